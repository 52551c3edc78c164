// Bundles the extension into dist/extension.js (`vscode` stays external), or with `--tests`
// each test/*.test.ts into out-test/ for `node --test`.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

const tests = process.argv.includes("--tests");
const production = process.argv.includes("--production");

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  logLevel: "warning",
};

if (tests) {
  rmSync("out-test", { recursive: true, force: true });
  const entryPoints = readdirSync("test")
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => join("test", name));
  await esbuild.build({ ...common, entryPoints, outdir: "out-test", sourcemap: "inline" });
} else {
  rmSync("dist", { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    minify: production,
    sourcemap: production ? false : "linked",
  });
}
