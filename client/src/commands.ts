// The extension's commands: restart, fix all in the current file, new domain, show the output.

import * as vscode from "vscode";
import { ExecuteCommandRequest } from "vscode-languageclient/node";

import {
  checkDomainName,
  describeResult,
  newDomainArguments,
  routerFile,
  SERVER_NEW_DOMAIN,
  type NewDomainResult,
} from "./newDomain";
import type { ServerManager } from "./server";

export const FIX_ALL_KIND = "source.fixAll.fastapi-practices";
export const SERVER_FIX_ALL = "fastapi-practices.fixAll";

interface FixAllResult {
  readonly applied?: boolean;
  readonly edits?: number;
}

export function registerCommands(
  manager: ServerManager,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("fastapiPractices.restart", () =>
      manager.restart("the Restart Server command"),
    ),
    vscode.commands.registerCommand("fastapiPractices.showOutput", () => log.show()),
    vscode.commands.registerCommand("fastapiPractices.fixAll", () => fixAll(manager)),
    vscode.commands.registerCommand("fastapiPractices.newDomain", () => newDomain(manager)),
  ];
}

async function newDomain(manager: ServerManager): Promise<void> {
  const client = manager.running;
  if (client === undefined) {
    void vscode.window.showWarningMessage("The fastapi-practices server is not running.");
    return;
  }
  const name = await vscode.window.showInputBox({
    title: "New FastAPI Domain",
    prompt: "The domain's package name: its role modules, tests and routes are created for it",
    placeHolder: "posts",
    validateInput: checkDomainName,
  });
  if (name === undefined) {
    return;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const project =
    active?.scheme === "file" ? active : vscode.workspace.workspaceFolders?.[0]?.uri;
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_NEW_DOMAIN,
    arguments: newDomainArguments(
      name,
      project === undefined ? undefined : client.code2ProtocolConverter.asUri(project),
    ),
  })) as NewDomainResult | null;
  const message = describeResult(name.trim(), result);
  if (result?.applied !== true) {
    void vscode.window.showWarningMessage(message);
    return;
  }
  void vscode.window.showInformationMessage(message);
  const router = routerFile(result);
  if (router !== undefined) {
    await vscode.window.showTextDocument(client.protocol2CodeConverter.asUri(router));
  }
}

async function fixAll(manager: ServerManager): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined || document.languageId !== "python") {
    void vscode.window.showInformationMessage(
      "Open a Python file to fix its fastapi-practices problems.",
    );
    return;
  }
  const client = manager.running;
  if (client === undefined) {
    void vscode.window.showWarningMessage("The fastapi-practices server is not running.");
    return;
  }
  const commands = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  let changed: boolean;
  if (commands.includes(SERVER_FIX_ALL)) {
    const result = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_FIX_ALL,
      arguments: [client.code2ProtocolConverter.asUri(document.uri)],
    })) as FixAllResult | null;
    changed = result?.applied === true && (result.edits ?? 1) > 0;
  } else {
    changed = await applyFixAllActions(document);
  }
  if (!changed) {
    void vscode.window.setStatusBarMessage("fastapi-practices: nothing to fix safely", 3000);
  }
}

/** For servers without the command: apply the file's fix-all code action. */
async function applyFixAllActions(document: vscode.TextDocument): Promise<boolean> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      whole,
      FIX_ALL_KIND,
    )) ?? [];
  let changed = false;
  for (const action of actions) {
    if (action.kind?.value === FIX_ALL_KIND && action.edit !== undefined) {
      changed = (await vscode.workspace.applyEdit(action.edit)) || changed;
    }
  }
  return changed;
}
