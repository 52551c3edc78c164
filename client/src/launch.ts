// How the server process is started and how a failed start is explained. Pure.

import * as path from "node:path";

import type { ImportStrategy } from "./settingsMapping";

export const SERVER_MODULE = "fastapi_practices";
export const PACKAGE_NAME = "fastapi-practices";
/** Pure-Python packages shipped in `bundled/libs`; libcst is not among them (it is compiled). */
export const BUNDLED_MODULES: ReadonlySet<string> = new Set([
  "fastapi_practices",
  "pygls",
  "lsprotocol",
  "cattrs",
  "cattr",
  "attrs",
  "attr",
  "pathspec",
  "typing_extensions",
  "exceptiongroup",
  "tomli",
]);

export interface PathApi {
  join(...parts: string[]): string;
  delimiter: string;
}

export function bundledLibsPath(extensionRoot: string, paths: PathApi = path): string {
  return paths.join(extensionRoot, "bundled", "libs");
}

/**
 * Extra environment for the server (merged over the editor's own by the language client).
 * `useBundled` puts the shipped libraries first on PYTHONPATH.
 */
export function serverEnvironment(
  strategy: ImportStrategy,
  bundledLibs: string,
  baseEnv: Readonly<Record<string, string | undefined>>,
  delimiter: string = path.delimiter,
): Record<string, string> {
  const env: Record<string, string> = { PYTHONUNBUFFERED: "1" };
  if (strategy === "useBundled") {
    const existing = baseEnv["PYTHONPATH"];
    env["PYTHONPATH"] = existing ? `${bundledLibs}${delimiter}${existing}` : bundledLibs;
  }
  return env;
}

export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
}

/** `<python> -m fastapi_practices serve [args]`; the language client appends `--stdio`. */
export function serverLaunch(interpreter: readonly string[], extraArgs: readonly string[]): Launch {
  const [command, ...prefix] = interpreter;
  if (command === undefined) {
    throw new Error("no Python interpreter to start the server with");
  }
  return { command, args: [...prefix, "-m", SERVER_MODULE, "serve", ...extraArgs] };
}

/** Imports what the server needs and prints one line saying what it found. */
export const PROBE_SCRIPT = [
  "import sys",
  // `-c` puts the working directory (the workspace) first on the import path: a project's own
  // `libcst.py` would be imported, and run, instead of the package.
  "if sys.path and sys.path[0] == '':",
  "    del sys.path[0]",
  "if sys.version_info < (3, 10):",
  "    print('too-old:' + '.'.join(map(str, sys.version_info[:3])))",
  "    sys.exit(3)",
  "try:",
  "    import libcst",
  "    import fastapi_practices",
  "    import fastapi_practices.lsp.server",
  "except ImportError as error:",
  "    print('missing:' + str(error.name or error))",
  "    sys.exit(3)",
  "print('ok:' + getattr(fastapi_practices, '__version__', '?'))",
].join("\n");

export function probeLaunch(interpreter: readonly string[]): Launch {
  const [command, ...prefix] = interpreter;
  if (command === undefined) {
    throw new Error("no Python interpreter to check");
  }
  return { command, args: [...prefix, "-c", PROBE_SCRIPT] };
}

export type ProbeOutcome =
  | { readonly kind: "ok"; readonly version: string }
  | { readonly kind: "missing"; readonly module: string }
  | { readonly kind: "tooOld"; readonly version: string }
  | { readonly kind: "notFound" }
  | { readonly kind: "failed"; readonly detail: string };

export interface ProbeResult {
  /** The spawn error code (`ENOENT` when the interpreter does not exist), if any. */
  readonly errorCode?: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function interpretProbe(result: ProbeResult): ProbeOutcome {
  if (result.errorCode === "ENOENT" || result.errorCode === "EACCES") {
    return { kind: "notFound" };
  }
  const lines = result.stdout.split(/\r?\n/).map((line) => line.trim());
  for (const line of lines.reverse()) {
    const colon = line.indexOf(":");
    const tag = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (colon > 0 && tag === "ok" && result.exitCode === 0) {
      return { kind: "ok", version: value };
    }
    if (colon > 0 && tag === "missing") {
      return { kind: "missing", module: value.split(".")[0] ?? value };
    }
    if (colon > 0 && tag === "too-old") {
      return { kind: "tooOld", version: value };
    }
  }
  const detail = (result.stderr.trim() || result.stdout.trim()).split(/\r?\n/).slice(-3).join(" ");
  return { kind: "failed", detail: detail || `exit code ${String(result.exitCode)}` };
}

export interface Problem {
  readonly message: string;
  /** A command that fixes the problem, to offer to run in a terminal. */
  readonly fix?: readonly string[];
}

/** What to tell the user when the probe found a problem (undefined when all is well). */
export function explainProbe(
  outcome: ProbeOutcome,
  strategy: ImportStrategy,
  interpreter: readonly string[],
): Problem | undefined {
  const python = interpreter.join(" ");
  const pipInstall = (what: string): string[] => [...interpreter, "-m", "pip", "install", what];
  switch (outcome.kind) {
    case "ok":
      return undefined;
    case "notFound":
      return {
        message:
          `fastapi-practices could not run the Python interpreter \`${python}\`. ` +
          "Select an interpreter with the Python extension or set fastapiPractices.interpreter.",
      };
    case "tooOld":
      return {
        message:
          `fastapi-practices needs Python 3.10 or newer; \`${python}\` is ${outcome.version}. ` +
          "Select a newer interpreter or set fastapiPractices.interpreter.",
      };
    case "missing":
      if (strategy === "useBundled") {
        if (BUNDLED_MODULES.has(outcome.module)) {
          return {
            message:
              `The server bundled with the extension is incomplete (no module ${outcome.module}). ` +
              "Reinstall the extension, or set fastapiPractices.importStrategy to fromEnvironment.",
          };
        }
        const fix = pipInstall("libcst");
        return {
          message:
            `The bundled fastapi-practices server needs libcst in \`${python}\` ` +
            `(no module ${outcome.module}). Install it with: ${fix.join(" ")}`,
          fix,
        };
      }
      {
        const fix = pipInstall(PACKAGE_NAME);
        return {
          message:
            `fastapi-practices is not installed in \`${python}\` (no module ${outcome.module}). ` +
            `Install it with: ${fix.join(" ")}`,
          fix,
        };
      }
    case "failed":
      return {
        message: `fastapi-practices could not start with \`${python}\`: ${outcome.detail}`,
      };
  }
}
