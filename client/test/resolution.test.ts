import assert from "node:assert/strict";
import { test } from "node:test";

import {
  defaultPython,
  resolveInterpreter,
  substituteVariables,
  type ResolutionInputs,
  type Variables,
} from "../src/resolution";

const VARIABLES: Variables = {
  workspaceFolder: "/work/shop",
  userHome: "/home/ada",
  env: { VIRTUAL_ENV: "/venvs/shop" },
};

function inputs(overrides: Partial<ResolutionInputs>): ResolutionInputs {
  return {
    setting: [],
    variables: VARIABLES,
    fromPythonExtension: async () => undefined,
    platform: "linux",
    ...overrides,
  };
}

test("the interpreter setting wins over the Python extension", async () => {
  let asked = false;
  const resolved = await resolveInterpreter(
    inputs({
      setting: ["${workspaceFolder}/.venv/bin/python"],
      fromPythonExtension: async () => {
        asked = true;
        return ["/usr/bin/python3.12"];
      },
    }),
  );
  assert.deepEqual(resolved, { command: ["/work/shop/.venv/bin/python"], source: "setting" });
  assert.equal(asked, false);
});

test("a command-line setting keeps its arguments in order", async () => {
  const resolved = await resolveInterpreter(
    inputs({ setting: ["conda", "run", "-n", "shop", "python"] }),
  );
  assert.deepEqual(resolved.command, ["conda", "run", "-n", "shop", "python"]);
});

test("without a setting the Python extension's active interpreter is used", async () => {
  const resolved = await resolveInterpreter(
    inputs({ fromPythonExtension: async () => ["/venvs/shop/bin/python"] }),
  );
  assert.deepEqual(resolved, { command: ["/venvs/shop/bin/python"], source: "python-extension" });
});

test("a setting that expands to nothing falls through to the next source", async () => {
  const resolved = await resolveInterpreter(
    inputs({ setting: ["${env:UNSET_VARIABLE}"], fromPythonExtension: async () => ["/x/python"] }),
  );
  assert.equal(resolved.source, "python-extension");
});

test("without the Python extension, python3 on PATH is used", async () => {
  const resolved = await resolveInterpreter(inputs({}));
  assert.deepEqual(resolved, { command: ["python3"], source: "path" });
});

test("on Windows the PATH fallback is python", async () => {
  const resolved = await resolveInterpreter(inputs({ platform: "win32" }));
  assert.deepEqual(resolved.command, ["python"]);
  assert.equal(defaultPython("darwin"), "python3");
});

test("an extension with no resolvable environment falls back to PATH and says why", async () => {
  const messages: string[] = [];
  const resolved = await resolveInterpreter(
    inputs({ fromPythonExtension: async () => [], log: (message) => messages.push(message) }),
  );
  assert.equal(resolved.source, "path");
  assert.equal(messages.length, 1);
});

test("a failing Python extension falls back to PATH instead of throwing", async () => {
  const messages: string[] = [];
  const resolved = await resolveInterpreter(
    inputs({
      fromPythonExtension: async () => {
        throw new Error("extension host busy");
      },
      log: (message) => messages.push(message),
    }),
  );
  assert.equal(resolved.source, "path");
  assert.match(messages[0] ?? "", /extension host busy/);
});

test("variables and a leading tilde are expanded", () => {
  assert.equal(substituteVariables("~/venv/bin/python", VARIABLES), "/home/ada/venv/bin/python");
  assert.equal(substituteVariables("~", VARIABLES), "/home/ada");
  assert.equal(substituteVariables("${userHome}/py", VARIABLES), "/home/ada/py");
  assert.equal(
    substituteVariables("${env:VIRTUAL_ENV}/bin/python", VARIABLES),
    "/venvs/shop/bin/python",
  );
  assert.equal(substituteVariables("/opt/~user/python", VARIABLES), "/opt/~user/python");
});

test("unknown variables are left as written", () => {
  const noFolder: Variables = { env: {} };
  assert.equal(
    substituteVariables("${workspaceFolder}/python", noFolder),
    "${workspaceFolder}/python",
  );
  assert.equal(substituteVariables("${config:python.path}", VARIABLES), "${config:python.path}");
});
