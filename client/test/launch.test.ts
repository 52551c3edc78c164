import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";

import {
  bundledLibsPath,
  explainProbe,
  interpretProbe,
  probeLaunch,
  PROBE_SCRIPT,
  serverEnvironment,
  serverLaunch,
} from "../src/launch";

test("the bundled libraries live in bundled/libs inside the extension", () => {
  assert.equal(
    bundledLibsPath("/ext/fastapi-practices-0.1.0", path.posix),
    "/ext/fastapi-practices-0.1.0/bundled/libs",
  );
  assert.equal(bundledLibsPath("C:\\ext\\fp", path.win32), "C:\\ext\\fp\\bundled\\libs");
});

test("useBundled puts the bundled libraries first on PYTHONPATH", () => {
  const env = serverEnvironment("useBundled", "/ext/bundled/libs", { PYTHONPATH: "/mine" }, ":");
  assert.equal(env["PYTHONPATH"], "/ext/bundled/libs:/mine");
  const alone = serverEnvironment("useBundled", "C:\\b", {}, ";");
  assert.equal(alone["PYTHONPATH"], "C:\\b");
});

test("fromEnvironment leaves PYTHONPATH alone", () => {
  const env = serverEnvironment("fromEnvironment", "/ext/bundled/libs", { PYTHONPATH: "/mine" });
  assert.equal("PYTHONPATH" in env, false);
});

test("the server runs as a module with the extra arguments after serve", () => {
  assert.deepEqual(serverLaunch(["/venv/bin/python"], ["--log", "x"]), {
    command: "/venv/bin/python",
    args: ["-m", "fastapi_practices", "serve", "--log", "x"],
  });
  assert.deepEqual(serverLaunch(["conda", "run", "-n", "web", "python"], []), {
    command: "conda",
    args: ["run", "-n", "web", "python", "-m", "fastapi_practices", "serve"],
  });
  assert.throws(() => serverLaunch([], []));
});

test("the probe runs its script with the same interpreter prefix", () => {
  assert.deepEqual(probeLaunch(["py", "-3.12"]), {
    command: "py",
    args: ["-3.12", "-c", PROBE_SCRIPT],
  });
});

test("probe output is read from its last tagged line", () => {
  assert.deepEqual(interpretProbe({ exitCode: 0, stdout: "noise\nok:0.1.0\n", stderr: "" }), {
    kind: "ok",
    version: "0.1.0",
  });
  assert.deepEqual(
    interpretProbe({ exitCode: 3, stdout: "missing:fastapi_practices\n", stderr: "" }),
    { kind: "missing", module: "fastapi_practices" },
  );
  assert.deepEqual(interpretProbe({ exitCode: 3, stdout: "missing:yaml._yaml\n", stderr: "" }), {
    kind: "missing",
    module: "yaml",
  });
  assert.deepEqual(interpretProbe({ exitCode: 3, stdout: "too-old:3.9.18\n", stderr: "" }), {
    kind: "tooOld",
    version: "3.9.18",
  });
  assert.deepEqual(
    interpretProbe({ errorCode: "ENOENT", exitCode: null, stdout: "", stderr: "" }),
    { kind: "notFound" },
  );
});

test("an ok line with a failing exit code is not success", () => {
  const outcome = interpretProbe({ exitCode: 1, stdout: "ok:0.1.0", stderr: "Traceback\nBoom" });
  assert.equal(outcome.kind, "failed");
});

test("a crash without a tag reports the end of stderr", () => {
  const outcome = interpretProbe({
    exitCode: 1,
    stdout: "",
    stderr: "Traceback (most recent call last):\n  File x\nSyntaxError: bad\n",
  });
  assert.deepEqual(outcome, {
    kind: "failed",
    detail: "Traceback (most recent call last):   File x SyntaxError: bad",
  });
});

test("a missing server offers the exact pip command for that interpreter", () => {
  const problem = explainProbe(
    { kind: "missing", module: "fastapi_practices" },
    "fromEnvironment",
    ["/venv/bin/python"],
  );
  assert.deepEqual(problem?.fix, ["/venv/bin/python", "-m", "pip", "install", "fastapi-practices"]);
  assert.match(problem?.message ?? "", /\/venv\/bin\/python -m pip install fastapi-practices/);
});

test("useBundled without libcst offers to install libcst, not the server", () => {
  const problem = explainProbe({ kind: "missing", module: "libcst" }, "useBundled", ["python3"]);
  assert.deepEqual(problem?.fix, ["python3", "-m", "pip", "install", "libcst"]);
});

test("useBundled missing a bundled module points at the extension, with no command", () => {
  const problem = explainProbe({ kind: "missing", module: "pygls" }, "useBundled", ["python3"]);
  assert.equal(problem?.fix, undefined);
  assert.match(problem?.message ?? "", /Reinstall the extension/);
});

test("interpreter problems explain without offering pip", () => {
  for (const outcome of [
    { kind: "notFound" } as const,
    { kind: "tooOld", version: "3.8.10" } as const,
    { kind: "failed", detail: "boom" } as const,
  ]) {
    const problem = explainProbe(outcome, "fromEnvironment", ["python3"]);
    assert.equal(problem?.fix, undefined);
    assert.ok((problem?.message ?? "").length > 0);
  }
  assert.equal(
    explainProbe({ kind: "ok", version: "1" }, "fromEnvironment", ["python3"]),
    undefined,
  );
});
