// Starting, stopping and restarting the language client around one server process.

import { execFile } from "node:child_process";
import * as vscode from "vscode";
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";

import {
  bundledLibsPath,
  explainProbe,
  interpretProbe,
  probeLaunch,
  serverEnvironment,
  serverLaunch,
  type ProbeResult,
  type Problem,
} from "./launch";
import { activeInterpreter } from "./python";
import { resolveInterpreter, type ResolvedInterpreter } from "./resolution";
import { primaryFolder, readClientSettings, readServerSettings, variables } from "./settings";
import { filterConfigurationAnswers } from "./settingsMapping";
import type { ServerStatus } from "./status";

export const CLIENT_ID = "fastapiPractices";
const CLIENT_NAME = "fastapi-practices";
const PROBE_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 2_000;

export const DOCUMENT_SELECTOR = [
  { scheme: "file", language: "python" },
  { scheme: "untitled", language: "python" },
  { scheme: "file", pattern: "**/pyproject.toml" },
  { scheme: "file", pattern: "**/alembic.ini" },
];

function runProbe(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string | undefined,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { env: { ...process.env, ...env }, cwd, timeout: PROBE_TIMEOUT_MS, windowsHide: true },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        resolve({
          errorCode: typeof code === "string" ? code : undefined,
          exitCode: error === null ? 0 : typeof code === "number" ? code : null,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  interpreter: ResolvedInterpreter | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: ServerStatus,
  ) {}

  get running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** Stop any running server and start a new one; calls are queued, never interleaved. */
  restart(reason: string): Promise<void> {
    return this.enqueue(async () => {
      this.log.info(`(re)starting the server: ${reason}`);
      await this.stopClient();
      await this.startClient();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      this.status.show("error");
      this.log.error(`server management failed: ${String(error)}`);
    });
    return this.queue;
  }

  private async startClient(): Promise<void> {
    this.status.show("starting");
    const folder = primaryFolder();
    const settings = readClientSettings(folder);
    this.interpreter = await resolveInterpreter({
      setting: settings.interpreter,
      variables: variables(folder),
      fromPythonExtension: () => activeInterpreter(folder?.uri),
      platform: process.platform,
      log: (message) => this.log.info(message),
    });
    this.status.use(this.interpreter);
    const env = serverEnvironment(
      settings.importStrategy,
      bundledLibsPath(this.context.extensionPath),
      process.env,
    );
    const cwd = folder?.uri.fsPath;
    this.log.info(
      `interpreter: ${this.interpreter.command.join(" ")} (${this.interpreter.source}); ` +
        `import strategy: ${settings.importStrategy}`,
    );

    const probe = probeLaunch(this.interpreter.command);
    const outcome = interpretProbe(await runProbe(probe.command, probe.args, env, cwd));
    if (outcome.kind !== "ok") {
      const problem = explainProbe(outcome, settings.importStrategy, this.interpreter.command) ?? {
        message: "The fastapi-practices server cannot start.",
      };
      this.status.show("error");
      this.log.error(problem.message);
      void this.report(problem);
      return;
    }
    this.status.use(this.interpreter, outcome.version);

    const launch = serverLaunch(this.interpreter.command, settings.args);
    const serverOptions: ServerOptions = {
      command: launch.command,
      args: [...launch.args],
      options: { cwd, env },
      transport: TransportKind.stdio,
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, this.clientOptions());
    client.onDidChangeState((event) => {
      if (client !== this.client) {
        return;
      }
      if (event.newState === State.Running) {
        this.status.show("running");
      } else if (event.newState === State.Starting) {
        this.status.show("starting");
      } else if (event.newState === State.StartFailed) {
        this.status.show("error");
      } else {
        this.status.show(this.stopping ? "stopped" : "error");
      }
    });
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      this.status.show("error");
      this.log.error(`the server did not start: ${String(error)}`);
      void this.report({ message: `The fastapi-practices server did not start: ${String(error)}` });
    }
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => readServerSettings(),
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            return Array.isArray(answers)
              ? filterConfigurationAnswers(params.items, answers)
              : answers;
          },
          // Pushed settings would carry the extension's own keys: send an empty change and
          // let the server pull the filtered section instead.
          didChangeConfiguration: (_sections, next) => next(undefined),
        },
      },
    };
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    if (client === undefined) {
      this.status.show("stopped");
      return;
    }
    this.stopping = true;
    try {
      await client.dispose(STOP_TIMEOUT_MS);
    } catch (error) {
      this.log.warn(`stopping the server: ${String(error)}`);
    } finally {
      this.client = undefined;
      this.stopping = false;
      this.status.show("stopped");
    }
  }

  private async report(problem: Problem): Promise<void> {
    const install = problem.fix === undefined ? undefined : "Install in Terminal";
    const buttons = install === undefined ? ["Show Output"] : [install, "Show Output"];
    const choice = await vscode.window.showErrorMessage(problem.message, ...buttons);
    if (choice === "Show Output") {
      this.log.show(true);
    } else if (choice === install && problem.fix !== undefined) {
      await this.runInstall(problem.fix);
    }
  }

  /** Run the install as a task in the terminal panel; restart the server when it succeeds. */
  private async runInstall(commandLine: readonly string[]): Promise<void> {
    const [command, ...args] = commandLine;
    if (command === undefined) {
      return;
    }
    const task = new vscode.Task(
      { type: "fastapiPractices", action: "install" },
      primaryFolder() ?? vscode.TaskScope.Workspace,
      commandLine.slice(-1)[0] ?? "install",
      "fastapi-practices",
      new vscode.ProcessExecution(command, args),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    const execution = await vscode.tasks.executeTask(task);
    const finished = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution !== execution) {
        return;
      }
      finished.dispose();
      if (event.exitCode === 0) {
        void this.restart("installed the missing package");
      } else {
        const exit = String(event.exitCode);
        void vscode.window.showErrorMessage(
          `\`${commandLine.join(" ")}\` failed (exit code ${exit}); see the terminal.`,
        );
      }
    });
    this.context.subscriptions.push(finished);
  }

  dispose(): void {
    void this.stop();
  }
}
