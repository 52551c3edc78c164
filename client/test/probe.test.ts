// The probe and the launch command line against real Python interpreters. The project's
// interpreter comes from FASTAPI_PRACTICES_PYTHON (scripts/client-test.sh sets it).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { interpretProbe, probeLaunch, serverLaunch, type ProbeResult } from "../src/launch";

const PROJECT_PYTHON = process.env["FASTAPI_PRACTICES_PYTHON"] ?? "python3";
const VERSION = /__version__ = "([^"]+)"/.exec(
  readFileSync(path.join("..", "server", "fastapi_practices", "__init__.py"), "utf8"),
)?.[1];

function probe(interpreter: string[]): Promise<ProbeResult> {
  const launch = probeLaunch(interpreter);
  return new Promise((resolve) => {
    execFile(launch.command, [...launch.args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve({
        errorCode: typeof code === "string" ? code : undefined,
        exitCode: error === null ? 0 : typeof code === "number" ? code : null,
        stdout,
        stderr,
      });
    });
  });
}

test("the project's interpreter passes the probe with the server's version", async () => {
  const outcome = interpretProbe(await probe([PROJECT_PYTHON]));
  assert.deepEqual(outcome, { kind: "ok", version: VERSION }, `interpreter: ${PROJECT_PYTHON}`);
});

test("an interpreter without site-packages is missing libcst", async () => {
  const outcome = interpretProbe(await probe([PROJECT_PYTHON, "-I", "-S"]));
  assert.deepEqual(outcome, { kind: "missing", module: "libcst" });
});

test("an interpreter that does not exist is reported as not found", async () => {
  const outcome = interpretProbe(await probe(["/nonexistent/bin/python3"]));
  assert.deepEqual(outcome, { kind: "notFound" });
});

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body, "utf8")}\r\n\r\n${body}`;
}

test(
  "the server starts from the launch command line with --stdio appended",
  { timeout: 60_000 },
  async () => {
    const launch = serverLaunch([PROJECT_PYTHON], []);
    const server = spawn(launch.command, [...launch.args, "--stdio"], { stdio: "pipe" });
    let received = Buffer.alloc(0);
    const response = new Promise<Record<string, unknown>>((resolve, reject) => {
      server.on("error", reject);
      server.on("exit", (code) => reject(new Error(`server exited early with ${String(code)}`)));
      server.stdout.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf("\r\n\r\n");
        const header = /Content-Length: *(\d+)/i.exec(
          received.subarray(0, Math.max(end, 0)).toString(),
        );
        if (end < 0 || header === null) {
          return;
        }
        const start = end + 4;
        const length = Number(header[1]);
        if (received.length >= start + length) {
          resolve(JSON.parse(received.subarray(start, start + length).toString("utf8")));
        }
      });
    });
    server.stdin.write(
      frame({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { processId: process.pid, rootUri: null, capabilities: {} },
      }),
    );
    try {
      const message = (await response) as {
        result: {
          serverInfo: { name: string };
          capabilities: { executeCommandProvider?: { commands: string[] } };
        };
      };
      assert.equal(message.result.serverInfo.name, "fastapi-practices");
      assert.deepEqual(message.result.capabilities.executeCommandProvider?.commands, [
        "fastapi-practices.fixAll",
        "fastapi-practices.newDomain",
      ]);
    } finally {
      server.removeAllListeners("exit");
      server.kill();
    }
  },
);
