// End-to-end test of the VS Code extension in a real editor: code-server serves VS Code, headless
// Chromium (driven by playwright-core over CDP) types into it like a user would.
// Run through scripts/e2e-vscode.sh, which installs the tools, builds the .vsix and cleans up.
//
// Inputs (environment): FBP_REPO, FBP_PYTHON (a Python that can import fastapi_practices),
// FBP_VSIX, FBP_WORK (an empty temp dir this run owns), FBP_ARTIFACTS (screenshots and logs),
// FBP_CHROMIUM (default /usr/bin/chromium), FBP_E2E_TIMEOUT_S (default 480).
// Every process group it starts is written to $FBP_WORK/pids so the shell script can stop them
// even if this process dies.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = required("FBP_REPO");
const PYTHON = required("FBP_PYTHON");
const VSIX = required("FBP_VSIX");
const WORK = required("FBP_WORK");
const ARTIFACTS = required("FBP_ARTIFACTS");
const CHROMIUM = process.env.FBP_CHROMIUM || "/usr/bin/chromium";
const DEADLINE_MS = Number(process.env.FBP_E2E_TIMEOUT_S || 480) * 1000;
const CODE_SERVER = path.join(HERE, "node_modules", ".bin", "code-server");
const PIDS_FILE = path.join(WORK, "pids");

const dirs = {
  project: path.join(WORK, "shop"),
  oracle: path.join(WORK, "oracle"),
  userData: path.join(WORK, "user-data"),
  extensions: path.join(WORK, "extensions"),
  home: path.join(WORK, "home"),
  chromeProfile: path.join(WORK, "chromium-profile"),
  tmp: path.join(WORK, "tmp"),
};
const SETTINGS_FILE = path.join(dirs.userData, "User", "settings.json");
const ROUTER = "src/products/router.py";
const FIX_ALL_FILE = "src/products/maintenance.py";
const IGNORE_FILE = "src/products/polling.py";
const EDIT_MARK = "# edited in code-server";
const SNIPPET_ROUTER = "src/reviews/router.py";
const NEW_DOMAIN = "coupons";
const SQUIGGLES = ".squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint";

// Files with safe-fixable findings, added to the copy of examples/shop (never to the repo).
const EXTRA_FILES = {
  [FIX_ALL_FILE]: `import time

from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/maintenance", tags=["maintenance"])


@router.post("/warm-up", status_code=202)
async def warm_up() -> dict[str, str]:
    time.sleep(1)
    return {"status": "warming"}


@router.post("/drain")
async def drain(force: bool = False) -> dict[str, str]:
    if not force:
        raise HTTPException(status_code=409, detail="use force")
    time.sleep(2)
    return {"status": "drained"}
`,
  // A small domain for the snippet step: `fbp-get` imports what this domain defines.
  "src/reviews/__init__.py": "",
  "src/reviews/schemas.py": `from pydantic import BaseModel


class ReviewResponse(BaseModel):
    id: int
    text: str
`,
  "src/reviews/dependencies.py": `from src.reviews.schemas import ReviewResponse


async def valid_review_id(review_id: int) -> ReviewResponse:
    return ReviewResponse(id=review_id, text="")
`,
  [SNIPPET_ROUTER]: `from fastapi import APIRouter, status

router = APIRouter(prefix="/reviews", tags=["reviews"])


`,
  [IGNORE_FILE]: `import time

from fastapi import APIRouter

router = APIRouter(prefix="/polling", tags=["polling"])


@router.get("/wait")
async def wait() -> dict[str, bool]:
    time.sleep(0.25)
    return {"done": True}
`,
};

const BASE_SETTINGS = {
  "fastapiPractices.interpreter": [PYTHON],
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.editor.enablePreview": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.enabled": false,
  "files.autoSave": "off",
  "editor.formatOnSave": false,
  "editor.minimap.enabled": false,
  "window.restoreWindows": "none",
};

const FIX_ALL_SETTINGS = {
  "editor.codeActionsOnSave": { "source.fixAll.fastapi-practices": "explicit" },
  "editor.rulers": [100],
};

const started = [];
const report = { steps: [], vsix: VSIX, python: PYTHON };
let stepNumber = 0;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (run scripts/e2e-vscode.sh)`);
  }
  return value;
}

function log(message) {
  process.stdout.write(`[e2e-vscode] ${message}\n`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Call `probe` until it returns something truthy; fail with `what` and the last value seen. */
async function poll(what, probe, timeoutMs = 30_000, intervalMs = 250) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last && !(last instanceof Mismatch)) {
        return last;
      }
    } catch (error) {
      last = new Mismatch(`probe threw: ${error.message}`);
    }
    if (Date.now() > until) {
      const detail = last instanceof Mismatch ? last.detail : JSON.stringify(last);
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}; last seen: ${detail}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** A falsy probe result that explains itself in the timeout message. */
class Mismatch {
  constructor(detail) {
    this.detail = typeof detail === "string" ? detail : JSON.stringify(detail);
  }
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(`assertion failed: ${message}`);
  }
}

function rememberProcessGroup(child) {
  started.push(child);
  appendFileSync(PIDS_FILE, `${child.pid}\n`);
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the whole group (the language server and extension host too), then SIGKILL it. */
async function stopProcessGroup(child) {
  for (const signal of ["SIGTERM", "SIGKILL"]) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      return; // the group is already gone
    }
    const until = Date.now() + 5000;
    while (groupAlive(child.pid) && Date.now() < until) {
      await sleep(100);
    }
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function editorEnvironment() {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, ".config"),
    XDG_DATA_HOME: path.join(dirs.home, ".local", "share"),
    XDG_CACHE_HOME: path.join(dirs.home, ".cache"),
    XDG_STATE_HOME: path.join(dirs.home, ".local", "state"),
    TMPDIR: dirs.tmp,
  };
}

function writeSettings(settings) {
  writeFileSync(SETTINGS_FILE, `${JSON.stringify(settings, null, 2)}\n`);
}

function prepareWorkspace() {
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir, { recursive: true });
  }
  mkdirSync(path.dirname(SETTINGS_FILE), { recursive: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  cpSync(path.join(REPO, "examples", "shop"), dirs.project, { recursive: true });
  for (const [relative, text] of Object.entries(EXTRA_FILES)) {
    mkdirSync(path.dirname(path.join(dirs.project, relative)), { recursive: true });
    writeFileSync(path.join(dirs.project, relative), text);
  }
  writeSettings(BASE_SETTINGS);
}

function installExtension() {
  const result = spawnSync(
    CODE_SERVER,
    [
      "--install-extension",
      VSIX,
      "--extensions-dir",
      dirs.extensions,
      "--user-data-dir",
      dirs.userData,
    ],
    { env: editorEnvironment(), encoding: "utf8", timeout: 120_000 },
  );
  const output = `${result.stdout}${result.stderr}`;
  writeFileSync(path.join(ARTIFACTS, "install-extension.log"), output);
  expect(
    result.status === 0 && /successfully installed/i.test(output),
    `code-server --install-extension ${VSIX} failed (exit ${result.status}):\n${output}`,
  );
}

async function startCodeServer() {
  const port = await freePort();
  const logFile = createWriteStream(path.join(ARTIFACTS, "code-server.log"));
  const child = spawn(
    CODE_SERVER,
    [
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--user-data-dir",
      dirs.userData,
      "--extensions-dir",
      dirs.extensions,
      dirs.project,
    ],
    { env: editorEnvironment(), detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  rememberProcessGroup(child);
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  const url = `http://127.0.0.1:${port}`;
  await poll("code-server to answer /healthz", async () => {
    expect(child.exitCode === null, `code-server exited (${child.exitCode}); see its log`);
    const response = await fetch(`${url}/healthz`);
    return response.ok;
  }, 60_000, 500);
  return url;
}

async function startChromium() {
  const child = spawn(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--window-size=1400,2400",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      `--user-data-dir=${dirs.chromeProfile}`,
      "about:blank",
    ],
    { env: editorEnvironment(), detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  rememberProcessGroup(child);
  let stderr = "";
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Chromium did not open its DevTools endpoint:\n${stderr}`)),
      30_000,
    );
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${stderr}`));
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  child.stderr.resume();
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  return { browser, page };
}

// ---------------------------------------------------------------------------------------------
// Reading the workbench

function projectFile(relative) {
  return path.join(dirs.project, relative);
}

function readProjectFile(relative) {
  return readFileSync(projectFile(relative), "utf8");
}

/** Text of the visible lines of the active editor (Monaco renders spaces as U+00A0). */
async function visibleEditorText(page) {
  return page.evaluate(() => {
    const lines = document.querySelector(
      ".editor-group-container.active .monaco-editor .view-lines",
    );
    return lines ? lines.innerText.replaceAll("\u00a0", " ") : "";
  });
}

/** The visible lines of the active editor in line order (Monaco reuses and reorders the
 * line elements, so their document order is not the text's). */
async function visibleEditorLines(page) {
  return page.evaluate(() => {
    const lines = [
      ...document.querySelectorAll(
        ".editor-group-container.active .monaco-editor .view-lines .view-line",
      ),
    ];
    return lines
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: line.innerText }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replaceAll("\u00a0", " ").trimEnd());
  });
}

async function squiggleCount(page) {
  return page.locator(`.editor-group-container.active .monaco-editor :is(${SQUIGGLES})`).count();
}

async function problemsVisible(page) {
  return page.locator(".markers-panel").isVisible();
}

async function showProblems(page) {
  if (!(await problemsVisible(page))) {
    await page.keyboard.press("Control+Shift+M");
  }
  await poll("the Problems panel to open", () => problemsVisible(page), 10_000);
}

/**
 * The Problems panel as {file, code, text} rows. The tree is virtualised, so the per-file
 * counts are checked against the rendered rows: a clipped list fails instead of hiding rows.
 */
async function problemRows(page) {
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll(".markers-panel .monaco-list-row")].map((row) => ({
      level: row.getAttribute("aria-level"),
      label: row.getAttribute("aria-label") || "",
      text: row.innerText,
      count: row.querySelector(".monaco-count-badge")?.textContent ?? null,
    })),
  );
  const problems = [];
  let expected = 0;
  let file = null;
  for (const row of rows) {
    if (row.level === "1") {
      file = /in file (\S+)/.exec(row.label)?.[1] ?? row.text.split("\n")[0];
      expected += Number(row.count ?? 0);
    } else {
      const code = /\bFBP\d{3}\b/.exec(row.text)?.[0] ?? null;
      problems.push({ file, code, text: row.text.replace(/\s+/g, " ") });
    }
  }
  if (problems.length !== expected) {
    throw new Error(
      `the Problems panel shows ${problems.length} of ${expected} rows (list clipped or stale)`,
    );
  }
  return problems;
}

function codesIn(problems, file) {
  return new Set(problems.filter((p) => !file || p.file === file).map((p) => p.code));
}

async function activeTabName(page) {
  return page.locator(".editor-group-container.active .tab.active .label-name").first().innerText();
}

async function activeTabDirty(page) {
  const classes = await page
    .locator(".editor-group-container.active .tab.active")
    .first()
    .getAttribute("class");
  return /\bdirty\b/.test(classes ?? "");
}

// ---------------------------------------------------------------------------------------------
// Acting like a user

async function quickOpen(page, relative) {
  const name = path.basename(relative);
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await page.keyboard.type(relative);
  await poll(`Quick Open to list ${relative}`, async () => {
    const first = await page.locator(".quick-input-list .monaco-list-row").first().innerText();
    return first.includes(name) && first.includes(path.dirname(relative));
  }, 15_000);
  await page.keyboard.press("Enter");
  await poll(`${name} to become the active editor`, async () => {
    const tab = await activeTabName(page);
    return tab === name || new Mismatch({ activeTab: tab });
  }, 15_000);
  const firstLine = readProjectFile(relative).split("\n")[0];
  await poll(`${name} to render`, async () => (await visibleEditorText(page)).includes(firstLine));
}

async function goTo(page, line, column) {
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible" });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
  await poll(`the cursor to reach Ln ${line}, Col ${column}`, async () => {
    const status = await page.locator("#status\\.editor\\.selection").innerText();
    return status.includes(`Ln ${line}, Col ${column}`) || new Mismatch(status);
  }, 10_000);
}

/** In the Ctrl+. menu, move the focus to the action titled `title` and apply it with Enter. */
async function chooseCodeAction(page, title) {
  const actions = page.locator(".action-widget .monaco-list-row.action");
  await actions.first().waitFor({ state: "visible", timeout: 15_000 });
  const offered = await actions.allInnerTexts();
  expect(
    offered.some((text) => text.trim() === title),
    `the code action menu offers "${title}": ${JSON.stringify(offered)}`,
  );
  for (let moves = 0; moves <= offered.length; moves += 1) {
    const focused = await page
      .locator(".action-widget .monaco-list-row.action.focused")
      .innerText();
    if (focused.trim() === title) {
      await page.keyboard.press("Enter");
      return offered;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`could not focus "${title}" in the code action menu`);
}

/**
 * Change user settings the way a user does: "Preferences: Open User Settings (JSON)", replace the
 * text, save. (code-server does not notice settings.json being rewritten behind its back.)
 */
async function editUserSettings(page, extra) {
  const wanted = { ...BASE_SETTINGS, ...extra };
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible" });
  await page.keyboard.type("Preferences: Open User Settings (JSON)");
  await poll("the command palette to offer Open User Settings (JSON)", async () => {
    const first = await page.locator(".quick-input-list .monaco-list-row").first().innerText();
    return first.includes("Open User Settings (JSON)") || new Mismatch(first);
  }, 15_000);
  await page.keyboard.press("Enter");
  await poll("settings.json to become the active editor", async () => {
    const tab = await activeTabName(page);
    return tab === "settings.json" || new Mismatch({ activeTab: tab });
  }, 15_000);
  await page.locator(".editor-group-container.active .monaco-editor .view-lines").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // One line of JSON, inserted at once: no auto-closing brackets or auto-indent to fight.
  await page.keyboard.insertText(JSON.stringify(wanted));
  await save(page);
  await poll("settings.json to be saved", () => {
    const saved = readFileSync(SETTINGS_FILE, "utf8");
    return saved.trim() === JSON.stringify(wanted) || new Mismatch(saved);
  }, 15_000);
}

/** Run a command from the palette (F1) by its full title. */
async function runCommand(page, title) {
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible" });
  await page.keyboard.type(title);
  await poll(`the command palette to offer ${title}`, async () => {
    const first = await page.locator(".quick-input-list .monaco-list-row").first().innerText();
    return first.includes(title) || new Mismatch(first);
  }, 15_000);
  await page.keyboard.press("Enter");
}

/** The names the explorer shows inside the folder `name` (the rows rendered under it). */
async function explorerChildren(page, name) {
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll(".explorer-folders-view .monaco-list-row")].map((row) => ({
      level: Number(row.getAttribute("aria-level")),
      name: row.innerText.trim(),
    })),
  );
  const folder = rows.findIndex((row) => row.name === name);
  if (folder < 0) {
    return new Mismatch({ folder: name, rows: rows.map((row) => row.name) });
  }
  const children = [];
  for (const row of rows.slice(folder + 1)) {
    if (row.level <= rows[folder].level) {
      break;
    }
    if (row.level === rows[folder].level + 1) {
      children.push(row.name);
    }
  }
  return children;
}

async function save(page) {
  await page.keyboard.press("Control+S");
}

async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${String(stepNumber).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file }).catch((error) => log(`screenshot failed: ${error}`));
  return file;
}

async function step(page, name, body) {
  stepNumber += 1;
  const began = Date.now();
  log(`step ${stepNumber}: ${name}`);
  try {
    const details = await body();
    const shot = await screenshot(page, name);
    const seconds = (Date.now() - began) / 1000;
    report.steps.push({ step: stepNumber, name, ok: true, seconds, screenshot: shot, details });
    log(`step ${stepNumber}: ${name} passed in ${seconds.toFixed(1)}s`);
  } catch (error) {
    const shot = await screenshot(page, `${name}-FAILED`);
    const failed = { step: stepNumber, name, ok: false, error: error.message, screenshot: shot };
    report.steps.push(failed);
    throw new Error(`step ${stepNumber} (${name}) failed: ${error.message}`);
  }
}

/** Run the CLI on `text` placed at `relative` in a scratch copy of the project. */
function cli(relative, text, args) {
  cpSync(dirs.project, dirs.oracle, { recursive: true });
  writeFileSync(path.join(dirs.oracle, relative), text);
  const output = execFileSync(PYTHON, ["-m", "fastapi_practices", "check", ...args, relative], {
    cwd: dirs.oracle,
    env: editorEnvironment(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { output, text: readFileSync(path.join(dirs.oracle, relative), "utf8") };
}

/** What `fastapi-practices check --fix` makes of `text`: the oracle for fix-all on save. */
function cliFixAll(relative, text) {
  return cli(relative, text, ["--fix", "--exit-zero"]).text;
}

/** The codes the CLI reports for `text`, to compare with the Problems panel. */
function cliCodes(relative, text, args = []) {
  const { output } = cli(relative, text, ["--format", "json", "--exit-zero", ...args]);
  return new Set(JSON.parse(output).map((finding) => finding.code));
}

function sameCodes(a, b) {
  return a.size === b.size && [...a].every((code) => b.has(code));
}

// ---------------------------------------------------------------------------------------------
// The scenario

async function scenario(page, url) {
  await step(page, "open-router-with-quick-open", async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(dirs.project)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await page.locator(".explorer-folders-view").waitFor({ timeout: 60_000 });
    await page.locator(".part.editor").click();
    await quickOpen(page, ROUTER);
    return { activeTab: await activeTabName(page) };
  });

  await step(page, "diagnostics-squiggles-and-problems", async () => {
    const squiggles = await poll(
      "a squiggle in router.py (extension activation + server start)",
      async () => (await squiggleCount(page)) || new Mismatch("no squiggle yet"),
      90_000,
      500,
    );
    await showProblems(page);
    const wanted = ["FBP201", "FBP202", "FBP203", "FBP204"];
    const problems = await poll("FBP201-FBP204 rows in the Problems panel", async () => {
      const rows = await problemRows(page);
      const codes = codesIn(rows, "router.py");
      return wanted.every((code) => codes.has(code)) ? rows : new Mismatch([...codes]);
    }, 30_000);
    const ours = problems.filter((p) => p.file === "router.py");
    expect(
      ours.every((p) => p.code && p.text.includes("fastapi-practices")),
      `every router.py row names source fastapi-practices and an FBP code: ${JSON.stringify(ours)}`,
    );
    return { squiggles, codes: [...codesIn(problems, "router.py")].sort(), rows: ours.length };
  });

  await step(page, "quick-fix-FBP201", async () => {
    const before = readProjectFile(ROUTER);
    const lines = before.split("\n");
    const index = lines.findIndex((line) => line.includes("time.sleep(0.5)"));
    expect(index >= 0, "examples/shop/src/products/router.py still contains time.sleep(0.5)");
    await page.locator(".editor-group-container.active .monaco-editor .view-lines").click();
    await goTo(page, index + 1, lines[index].indexOf("time.sleep") + 1);
    await page.keyboard.press("Control+.");
    const offered = await chooseCodeAction(page, "Replace with `await asyncio.sleep(...)`");
    await poll("the editor to show `await asyncio.sleep(0.5)`", async () => {
      const text = await visibleEditorText(page);
      return (text.includes("await asyncio.sleep(0.5)") && !text.includes("time.sleep(0.5)"))
        || new Mismatch(text.split("\n").filter((l) => l.includes("sleep")));
    });
    expect(await activeTabDirty(page), "the quick fix edited the buffer (tab is dirty)");
    expect(readProjectFile(ROUTER) === before, "the quick fix did not bypass the editor");
    await poll("the FBP201 row to disappear (FBP202 stays)", async () => {
      const codes = codesIn(await problemRows(page), "router.py");
      return (!codes.has("FBP201") && codes.has("FBP202")) || new Mismatch([...codes]);
    });
    await save(page);
    const after = await poll("router.py to be saved with the fix", () => {
      const text = readProjectFile(ROUTER);
      return text !== before ? text : new Mismatch("unchanged on disk");
    });
    expect(after.includes("    await asyncio.sleep(0.5)  # give the search cluster a moment"),
      "the fixed line keeps its indentation and comment");
    expect(/^import asyncio$/m.test(after), "`import asyncio` was added");
    expect(!after.includes("time.sleep("), "no time.sleep( left");
    expect(after.includes("requests.get("), "only the chosen finding was fixed");
    await poll("the tab to be clean after saving", async () => !(await activeTabDirty(page)));
    return { offered };
  });

  await step(page, "fix-all-on-save", async () => {
    // `editor.rulers` makes the new settings visible, so the save below cannot race them.
    await editUserSettings(page, FIX_ALL_SETTINGS);
    await quickOpen(page, FIX_ALL_FILE);
    await poll("the new settings to reach the editor", async () =>
      (await page.locator(".editor-group-container.active .view-ruler").count()) > 0, 30_000);
    const name = path.basename(FIX_ALL_FILE);
    await poll(`the findings of ${name}`, async () => {
      const codes = codesIn(await problemRows(page), name);
      return (codes.has("FBP201") && codes.has("FBP504")) || new Mismatch([...codes]);
    }, 30_000);
    const original = readProjectFile(FIX_ALL_FILE);
    await page.locator(".editor-group-container.active .monaco-editor .view-lines").click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type(EDIT_MARK);
    await page.keyboard.press("Enter");
    const edited = `${EDIT_MARK}\n${original}`;
    const expected = cliFixAll(FIX_ALL_FILE, edited);
    expect(expected !== edited, "the CLI oracle fixes something in the sample file");
    await save(page);
    const saved = await poll(`${name} to be saved with every safe fix`, () => {
      const text = readProjectFile(FIX_ALL_FILE);
      return text === expected ? text : new Mismatch(text);
    }, 30_000);
    expect(saved.startsWith(`${EDIT_MARK}\n`), "the user's edit was saved too");
    expect(!saved.includes("time.sleep("), "both time.sleep calls were fixed");
    expect(saved.split("await asyncio.sleep(").length - 1 === 2, "two await asyncio.sleep calls");
    expect(saved.includes("status_code=status.HTTP_202_ACCEPTED"), "202 became a constant");
    expect(saved.includes("status_code=status.HTTP_409_CONFLICT"), "409 became a constant");
    await poll("the tab to be clean after saving", async () => !(await activeTabDirty(page)));
    const remaining = cliCodes(FIX_ALL_FILE, saved);
    expect(!remaining.has("FBP201") && !remaining.has("FBP504"), "the oracle fixed them too");
    await poll(`the ${name} rows to match the CLI after the fix`, async () => {
      const codes = codesIn(await problemRows(page), name);
      return (
        sameCodes(codes, remaining) || new Mismatch({ panel: [...codes], cli: [...remaining] })
      );
    });
    return { saved, remaining: [...remaining].sort() };
  });

  await step(page, "ignore-setting-updates-problems", async () => {
    await quickOpen(page, IGNORE_FILE);
    const name = path.basename(IGNORE_FILE);
    await poll(`FBP201 in ${name}`, async () => {
      const codes = codesIn(await problemRows(page), name);
      return codes.has("FBP201") || new Mismatch([...codes]);
    }, 30_000);
    await poll(`a squiggle in ${name}`, async () => (await squiggleCount(page)) > 0);
    await screenshot(page, "ignore-setting-before");
    await editUserSettings(page, { ...FIX_ALL_SETTINGS, "fastapiPractices.ignore": ["FBP201"] });
    await quickOpen(page, IGNORE_FILE);
    const text = readProjectFile(IGNORE_FILE);
    const remaining = cliCodes(IGNORE_FILE, text, ["--ignore", "FBP201"]);
    const problems = await poll("FBP201 rows to disappear while FBP202 stays", async () => {
      const rows = await problemRows(page);
      const codes = codesIn(rows);
      const here = codesIn(rows, name);
      return !codes.has("FBP201") && codes.has("FBP202") && sameCodes(here, remaining)
        ? rows
        : new Mismatch({ panel: [...codes], [name]: [...here], cli: [...remaining] });
    }, 30_000);
    await poll(`the squiggles in ${name} to follow`, async () => {
      const count = await squiggleCount(page);
      return (count === 0) === (remaining.size === 0) || new Mismatch({ squiggles: count });
    });
    expect(readProjectFile(IGNORE_FILE) === text, "nothing was edited");
    return { codes: [...codesIn(problems)].sort() };
  });

  await snippetSteps(page);
}

async function snippetSteps(page) {
  await step(page, "snippet-completion-fbp-get", async () => {
    await quickOpen(page, SNIPPET_ROUTER);
    const before = readProjectFile(SNIPPET_ROUTER);
    await page.locator(".editor-group-container.active .monaco-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("fbp-get", { delay: 80 });
    const focused = page.locator(".editor-widget.suggest-widget .monaco-list-row.focused");
    const offered = await poll("the fbp-get suggestion to be focused", async () => {
      if ((await page.locator(".editor-widget.suggest-widget.visible").count()) === 0) {
        await page.keyboard.press("Control+Space");
        return new Mismatch("no suggestion widget yet");
      }
      const text = await focused.innerText().catch(() => "");
      return text.includes("fbp-get") ? text : new Mismatch(text);
    }, 30_000, 1000);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+Home");
    const lines = await poll("the route and its imports in the editor", async () => {
      const shown = await visibleEditorLines(page);
      return shown.includes("async def get_review(") ? shown : new Mismatch(shown);
    }, 15_000);
    const text = lines.join("\n");
    const expected = [
      "from fastapi import APIRouter, status, Depends",
      "from typing import Annotated",
      "from src.reviews.dependencies import valid_review_id",
      "from src.reviews.schemas import ReviewResponse",
      "",
      'router = APIRouter(prefix="/reviews", tags=["reviews"])',
    ];
    expect(
      JSON.stringify(lines.slice(0, 6)) === JSON.stringify(expected),
      `the imports were merged and added: ${JSON.stringify(lines.slice(0, 8))}`,
    );
    for (const wanted of [
      '    "/{review_id}",',
      "    response_model=ReviewResponse,",
      "    status_code=status.HTTP_200_OK,",
      '    responses={status.HTTP_404_NOT_FOUND: {"description": "Review not found"}},',
      "    review: Annotated[ReviewResponse, Depends(valid_review_id)],",
      ") -> ReviewResponse:",
      "    return review",
    ]) {
      expect(lines.includes(wanted), `the inserted route has ${JSON.stringify(wanted)}`);
    }
    expect(!text.includes("fbp-get"), "the typed prefix was replaced");
    expect(lines.filter((line) => line.includes("import Annotated")).length === 1, "no duplicate");
    expect(await activeTabDirty(page), "the completion edited the buffer");
    expect(readProjectFile(SNIPPET_ROUTER) === before, "nothing was written behind the editor");
    return { offered, lines: lines.filter((line) => line.trim()).length };
  });

  await step(page, "new-domain-command", async () => {
    await runCommand(page, "FastAPI Practices: New FastAPI Domain…");
    const input = page.locator(".quick-input-widget input");
    await poll("the domain name input box", async () => {
      const widget = await page.locator(".quick-input-widget").innerText();
      return widget.includes("New FastAPI Domain") || new Mismatch(widget);
    }, 15_000);
    await input.fill(NEW_DOMAIN);
    await page.keyboard.press("Enter");
    const router = `src/${NEW_DOMAIN}/router.py`;
    const saved = await poll(`${router} to be created and saved`, () => {
      if (!existsSync(projectFile(router))) {
        return new Mismatch("not created");
      }
      const text = readProjectFile(router);
      return text.includes(`prefix="/${NEW_DOMAIN}"`) ? text : new Mismatch(text);
    }, 30_000);
    const files = ["router.py", "schemas.py", "service.py", "dependencies.py", "exceptions.py"];
    const shown = await poll("the new domain's files in the explorer", async () => {
      const children = await explorerChildren(page, NEW_DOMAIN);
      if (children instanceof Mismatch) {
        return children;
      }
      const missing = files.filter((file) => !children.includes(file));
      return missing.length === 0 ? children : new Mismatch({ missing, children });
    }, 30_000);
    for (const relative of [`tests/${NEW_DOMAIN}/test_router.py`, `src/${NEW_DOMAIN}/config.py`]) {
      expect(existsSync(projectFile(relative)), `${relative} was created`);
    }
    await poll("the router to be registered in src/main.py", () => {
      const main = readProjectFile("src/main.py");
      return main.includes(`app.include_router(${NEW_DOMAIN}_router)`) || new Mismatch(main);
    }, 30_000);
    await poll(`${router} to open in the editor`, async () => {
      const tab = await activeTabName(page);
      return tab === "router.py" || new Mismatch({ activeTab: tab });
    }, 15_000);
    return { explorer: shown, routerLines: saved.split("\n").length };
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const began = Date.now();
  prepareWorkspace();
  log(`extension: ${VSIX}`);
  installExtension();
  const url = await startCodeServer();
  log(`code-server at ${url}`);
  const { browser, page } = await startChromium();
  let deadline;
  try {
    await Promise.race([
      scenario(page, url),
      new Promise((_, reject) => {
        deadline = setTimeout(
          () => reject(new Error(`the scenario took longer than ${DEADLINE_MS / 1000}s`)),
          DEADLINE_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(deadline);
    await browser.close().catch(() => {});
    report.seconds = (Date.now() - began) / 1000;
  }
}

async function cleanUp() {
  for (const child of started.reverse()) {
    await stopProcessGroup(child);
  }
  const logs = path.join(dirs.userData, "logs");
  if (existsSync(logs)) {
    cpSync(logs, path.join(ARTIFACTS, "vscode-logs"), { recursive: true });
  }
  writeFileSync(path.join(ARTIFACTS, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanUp().finally(() => process.exit(1));
  });
}

let failure = null;
try {
  await main();
} catch (error) {
  failure = error;
}
await cleanUp();
if (failure) {
  process.stderr.write(`[e2e-vscode] FAILED: ${failure.stack ?? failure}\n`);
  process.stderr.write(`[e2e-vscode] screenshots and logs: ${ARTIFACTS}\n`);
  process.exit(1);
}
log(`all ${report.steps.length} steps passed in ${report.seconds.toFixed(1)}s`);
log(`screenshots and logs: ${ARTIFACTS}`);
process.exit(0);
