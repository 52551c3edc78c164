// Runs every compiled test in out-test/ with node's built-in test runner.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const files = readdirSync("out-test")
  .filter((name) => name.endsWith(".test.js"))
  .sort()
  .map((name) => join("out-test", name));
if (files.length === 0) {
  console.error("no compiled tests in out-test/");
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--enable-source-maps", "--test", "--test-reporter=spec", ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
