// Reading the `fastapiPractices` section from VS Code.

import * as os from "node:os";
import * as vscode from "vscode";

import type { Variables } from "./resolution";
import { clientSettings, SECTION, serverSettings, type ClientSettings } from "./settingsMapping";

/** The folder the server starts in and whose settings pick the interpreter. */
export function primaryFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  return folder ?? vscode.workspace.workspaceFolders?.[0];
}

function sectionObject(resource: vscode.Uri | undefined): unknown {
  // The section as a plain object with defaults filled in, as the language client reads it.
  return vscode.workspace.getConfiguration(undefined, resource).get<unknown>(SECTION);
}

export function readClientSettings(folder: vscode.WorkspaceFolder | undefined): ClientSettings {
  return clientSettings(sectionObject(folder?.uri));
}

export function readServerSettings(): Record<string, unknown> {
  return serverSettings(sectionObject(undefined));
}

export function variables(folder: vscode.WorkspaceFolder | undefined): Variables {
  return { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir(), env: process.env };
}
