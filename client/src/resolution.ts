// Which Python runs the server. Pure: the editor-facing parts are passed in as functions.

export type InterpreterSource = "setting" | "python-extension" | "path";

export interface ResolvedInterpreter {
  /** The executable followed by any arguments it needs before `-m` (e.g. `conda run ...`). */
  readonly command: readonly string[];
  readonly source: InterpreterSource;
}

export interface Variables {
  readonly workspaceFolder?: string;
  readonly userHome?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ResolutionInputs {
  /** `fastapiPractices.interpreter`, already normalised to a list (empty when unset). */
  readonly setting: readonly string[];
  readonly variables: Variables;
  /** The Python extension's active interpreter; undefined when that extension is absent. */
  readonly fromPythonExtension: () => Promise<readonly string[] | undefined>;
  readonly platform: string;
  /** Told why a source was skipped, for the output channel. */
  readonly log?: (message: string) => void;
}

const VARIABLE = /\$\{(workspaceFolder|userHome|env:([^}]+))\}/g;

/** `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~` expanded. */
export function substituteVariables(value: string, variables: Variables): string {
  let result = value.replace(VARIABLE, (whole, name: string, envName: string | undefined) => {
    if (envName !== undefined) {
      return variables.env[envName] ?? "";
    }
    const known = name === "workspaceFolder" ? variables.workspaceFolder : variables.userHome;
    return known ?? whole;
  });
  if (variables.userHome !== undefined && (result === "~" || /^~[\\/]/.test(result))) {
    result = variables.userHome + result.slice(1);
  }
  return result;
}

/** The interpreter found on PATH when nothing else says which one to use. */
export function defaultPython(platform: string): string {
  return platform === "win32" ? "python" : "python3";
}

/**
 * In order: the `fastapiPractices.interpreter` setting, then the Python extension's active
 * environment, then `python3` (`python` on Windows) on PATH.
 */
export async function resolveInterpreter(inputs: ResolutionInputs): Promise<ResolvedInterpreter> {
  const configured = inputs.setting
    .map((part) => substituteVariables(part, inputs.variables))
    .filter((part) => part.length > 0);
  if (configured.length > 0) {
    return { command: configured, source: "setting" };
  }
  try {
    const active = await inputs.fromPythonExtension();
    if (active !== undefined && active.length > 0 && active[0] !== "") {
      return { command: [...active], source: "python-extension" };
    }
    if (active !== undefined) {
      inputs.log?.("the Python extension has no resolvable active interpreter");
    }
  } catch (error) {
    inputs.log?.(`the Python extension did not give an interpreter: ${String(error)}`);
  }
  return { command: [defaultPython(inputs.platform)], source: "path" };
}

export function describeSource(source: InterpreterSource): string {
  switch (source) {
    case "setting":
      return "from the fastapiPractices.interpreter setting";
    case "python-extension":
      return "the Python extension's active environment";
    case "path":
      return "found on PATH";
  }
}
