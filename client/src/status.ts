// The language status item shown in the status bar while a Python file is open.

import * as vscode from "vscode";

import { statusView, type ServerState } from "./presentation";
import type { ResolvedInterpreter } from "./resolution";

const SEVERITY = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
} as const;

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private interpreter: ResolvedInterpreter | undefined;
  private version: string | undefined;
  state: ServerState = "stopped";

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem("fastapiPractices.status", selector);
    this.item.name = "fastapi-practices";
    this.item.command = { title: "Show Output", command: "fastapiPractices.showOutput" };
    this.show("stopped");
  }

  use(interpreter: ResolvedInterpreter | undefined, version?: string): void {
    this.interpreter = interpreter;
    this.version = version;
    this.show(this.state);
  }

  show(state: ServerState): void {
    this.state = state;
    const view = statusView(state, this.interpreter, this.version);
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.severity = SEVERITY[view.severity];
    this.item.busy = view.busy;
  }

  dispose(): void {
    this.item.dispose();
  }
}
