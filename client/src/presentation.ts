// What the language status item shows for each server state. Pure.

import { describeSource, type ResolvedInterpreter } from "./resolution";

export type ServerState = "starting" | "running" | "stopped" | "error";

export interface StatusView {
  readonly text: string;
  readonly detail: string;
  readonly severity: "information" | "warning" | "error";
  readonly busy: boolean;
}

const TEXT: Record<ServerState, string> = {
  starting: "$(loading~spin) fastapi-practices: starting",
  running: "$(check) fastapi-practices",
  stopped: "$(debug-stop) fastapi-practices: stopped",
  error: "$(error) fastapi-practices: not running",
};

export function statusView(
  state: ServerState,
  interpreter: ResolvedInterpreter | undefined,
  version?: string,
): StatusView {
  const where =
    interpreter === undefined
      ? "interpreter not resolved yet"
      : `${interpreter.command.join(" ")} (${describeSource(interpreter.source)})`;
  const detail = version ? `server ${version} · ${where}` : where;
  return {
    text: TEXT[state],
    detail,
    severity: state === "error" ? "error" : state === "stopped" ? "warning" : "information",
    busy: state === "starting",
  };
}
