import assert from "node:assert/strict";
import { test } from "node:test";

import { statusView } from "../src/presentation";

const INTERPRETER = { command: ["/venv/bin/python"], source: "python-extension" } as const;

test("the status shows the interpreter and where it came from", () => {
  const view = statusView("running", INTERPRETER, "0.1.0");
  assert.match(view.detail, /\/venv\/bin\/python/);
  assert.match(view.detail, /Python extension/);
  assert.match(view.detail, /0\.1\.0/);
  assert.equal(view.severity, "information");
  assert.equal(view.busy, false);
});

test("each state has its own text; errors are errors and starting is busy", () => {
  const texts = new Set(
    (["starting", "running", "stopped", "error"] as const).map(
      (s) => statusView(s, INTERPRETER).text,
    ),
  );
  assert.equal(texts.size, 4);
  assert.equal(statusView("error", INTERPRETER).severity, "error");
  assert.equal(statusView("stopped", INTERPRETER).severity, "warning");
  assert.equal(statusView("starting", undefined).busy, true);
});
