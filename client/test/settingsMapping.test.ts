import assert from "node:assert/strict";
import { test } from "node:test";

import {
  clientSettings,
  filterConfigurationAnswers,
  needsRestart,
  serverSettings,
} from "../src/settingsMapping";

const SECTION_VALUES = {
  enable: true,
  select: ["FBP2"],
  ignore: [],
  extendSelect: [],
  perFileIgnores: { "tests/**": ["FBP201"] },
  severity: { FBP504: "warning" },
  debounceMs: 150,
  fixAll: false,
  logLevel: "info",
  trace: { server: "off" },
  interpreter: ["/venv/bin/python"],
  importStrategy: "useBundled",
  args: ["--verbose"],
};

test("the server gets every setting except the extension's own", () => {
  assert.deepEqual(serverSettings(SECTION_VALUES), {
    enable: true,
    select: ["FBP2"],
    ignore: [],
    extendSelect: [],
    perFileIgnores: { "tests/**": ["FBP201"] },
    severity: { FBP504: "warning" },
    debounceMs: 150,
    fixAll: false,
    logLevel: "info",
  });
});

test("server settings are plain copies, not views of the configuration", () => {
  const section = { severity: { FBP504: "warning" } };
  const mapped = serverSettings(section);
  section.severity.FBP504 = "error";
  assert.deepEqual(mapped, { severity: { FBP504: "warning" } });
});

test("anything but an object maps to no settings", () => {
  assert.deepEqual(serverSettings(undefined), {});
  assert.deepEqual(serverSettings(null), {});
  assert.deepEqual(serverSettings(["select"]), {});
});

test("client settings are normalised", () => {
  assert.deepEqual(clientSettings(SECTION_VALUES), {
    interpreter: ["/venv/bin/python"],
    importStrategy: "useBundled",
    args: ["--verbose"],
  });
  assert.deepEqual(clientSettings({ interpreter: "  /usr/bin/python3 " }).interpreter, [
    "/usr/bin/python3",
  ]);
  assert.deepEqual(clientSettings({ interpreter: "" }).interpreter, []);
  assert.deepEqual(clientSettings({ interpreter: ["python", 3, ""] }).interpreter, ["python"]);
});

test("malformed client settings fall back to their defaults", () => {
  assert.deepEqual(clientSettings({ importStrategy: "bundled", args: "--x" }), {
    interpreter: [],
    importStrategy: "fromEnvironment",
    args: [],
  });
  assert.deepEqual(clientSettings(undefined), {
    interpreter: [],
    importStrategy: "fromEnvironment",
    args: [],
  });
});

test("configuration answers for our section are filtered, other sections untouched", () => {
  const answers = filterConfigurationAnswers(
    [{ section: "fastapiPractices" }, { section: "python" }],
    [SECTION_VALUES, { interpreter: "kept" }],
  );
  assert.equal((answers[0] as Record<string, unknown>)["interpreter"], undefined);
  assert.deepEqual((answers[0] as Record<string, unknown>)["select"], ["FBP2"]);
  assert.deepEqual(answers[1], { interpreter: "kept" });
});

test("a request for the whole configuration has our section filtered inside it", () => {
  const answers = filterConfigurationAnswers(
    [{}],
    [{ fastapiPractices: SECTION_VALUES, editor: { tabSize: 4 } }],
  );
  const whole = answers[0] as Record<string, Record<string, unknown>>;
  assert.deepEqual(whole["editor"], { tabSize: 4 });
  assert.equal(whole["fastapiPractices"]?.["args"], undefined);
  assert.equal(whole["fastapiPractices"]?.["debounceMs"], 150);
});

test("only interpreter, import strategy and args changes restart the server", () => {
  const changed = (key: string) => (setting: string) => setting === key;
  assert.equal(needsRestart(changed("fastapiPractices.interpreter")), true);
  assert.equal(needsRestart(changed("fastapiPractices.importStrategy")), true);
  assert.equal(needsRestart(changed("fastapiPractices.args")), true);
  assert.equal(needsRestart(changed("fastapiPractices.select")), false);
  assert.equal(needsRestart(changed("python.defaultInterpreterPath")), false);
});
