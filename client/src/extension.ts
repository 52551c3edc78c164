// Entry point: finds Python, starts the fastapi-practices server and keeps it in step.

import * as vscode from "vscode";

import { registerCommands } from "./commands";
import { watchActiveInterpreter } from "./python";
import { DOCUMENT_SELECTOR, ServerManager } from "./server";
import { primaryFolder, readClientSettings } from "./settings";
import { needsRestart } from "./settingsMapping";
import { ServerStatus } from "./status";

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("fastapi-practices", { log: true });
  const status = new ServerStatus(DOCUMENT_SELECTOR);
  manager = new ServerManager(context, log, status);
  const current = manager;
  context.subscriptions.push(log, status, current, ...registerCommands(current, log));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart((setting) => event.affectsConfiguration(setting))) {
        void current.restart("interpreter settings changed");
      }
    }),
  );
  try {
    const watcher = await watchActiveInterpreter(() => {
      if (readClientSettings(primaryFolder()).interpreter.length === 0) {
        void current.restart("the active Python environment changed");
      }
    });
    if (watcher !== undefined) {
      context.subscriptions.push(watcher);
    }
  } catch (error) {
    log.warn(`cannot follow the Python extension's active environment: ${String(error)}`);
  }
  void current.restart("activation");
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}
