// The Python extension (ms-python.python), used only when it is installed.

import { PythonExtension } from "@vscode/python-extension";
import * as vscode from "vscode";

const PYTHON_EXTENSION_ID = "ms-python.python";

function installed(): boolean {
  return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
}

/** The active interpreter for `resource`, or undefined when the Python extension is absent. */
export async function activeInterpreter(
  resource: vscode.Uri | undefined,
): Promise<string[] | undefined> {
  if (!installed()) {
    return undefined;
  }
  const api = await PythonExtension.api();
  const environmentPath = api.environments.getActiveEnvironmentPath(resource);
  const environment = await api.environments.resolveEnvironment(environmentPath);
  const executable = environment?.executable.uri?.fsPath;
  return executable ? [executable] : [];
}

/** Calls `onChange` when the active environment changes (undefined without the extension). */
export async function watchActiveInterpreter(
  onChange: () => void,
): Promise<vscode.Disposable | undefined> {
  if (!installed()) {
    return undefined;
  }
  const api = await PythonExtension.api();
  return api.environments.onDidChangeActiveEnvironmentPath(() => onChange());
}
