// The manifest and the code agree: settings, activation, restricted keys.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { CLIENT_ONLY_KEYS, RESTART_KEYS, SECTION, serverSettings } from "../src/settingsMapping";

interface Manifest {
  main: string;
  activationEvents: string[];
  extensionDependencies?: string[];
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string }[];
    configuration: {
      properties: Record<
        string,
        { default?: unknown; description?: string; markdownDescription?: string }
      >;
    };
  };
}

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;
const properties = manifest.contributes.configuration.properties;
/** The keys the server reads (server/fastapi_practices/lsp/settings.py). */
const SERVER_KEYS = [
  "enable",
  "select",
  "extendSelect",
  "ignore",
  "perFileIgnores",
  "severity",
  "debounceMs",
  "fixAll",
  "logLevel",
];

function defaults(): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const key = name.slice(SECTION.length + 1).split(".")[0] ?? "";
    section[key] = key === "trace" ? { server: schema.default } : schema.default;
  }
  return section;
}

test("every contributed setting is described and belongs to our section", () => {
  for (const [name, schema] of Object.entries(properties)) {
    assert.ok(name.startsWith(`${SECTION}.`), name);
    assert.ok((schema.description ?? schema.markdownDescription ?? "").length > 20, name);
  }
});

test("the defaults reach the server as exactly the keys it reads", () => {
  assert.deepEqual(Object.keys(serverSettings(defaults())).sort(), [...SERVER_KEYS].sort());
});

test("every extension-only key is a contributed setting", () => {
  const contributed = new Set(Object.keys(defaults()));
  for (const key of CLIENT_ONLY_KEYS) {
    assert.ok(contributed.has(key), key);
  }
});

test("settings that pick a program to run are restricted in untrusted workspaces", () => {
  assert.deepEqual(
    [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
    RESTART_KEYS.map((key) => `${SECTION}.${key}`).sort(),
  );
});

test("activation, entry point and commands are as documented", () => {
  assert.equal(manifest.main, "./dist/extension.js");
  assert.deepEqual(manifest.activationEvents, [
    "onLanguage:python",
    "workspaceContains:**/pyproject.toml",
    "workspaceContains:**/alembic.ini",
  ]);
  assert.equal(manifest.extensionDependencies, undefined);
  assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [
    "fastapiPractices.fixAll",
    "fastapiPractices.newDomain",
    "fastapiPractices.restart",
    "fastapiPractices.showOutput",
  ]);
});
