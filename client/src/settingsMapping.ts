// How the `fastapiPractices` settings split between the extension and the server. Pure.

export const SECTION = "fastapiPractices";

/** Settings only the extension reads (how to start the server); never sent to the server. */
export const CLIENT_ONLY_KEYS: ReadonlySet<string> = new Set([
  "interpreter",
  "importStrategy",
  "args",
  "trace",
]);

/** Changing one of these needs a new server process. */
export const RESTART_KEYS: readonly string[] = ["interpreter", "importStrategy", "args"];

export type ImportStrategy = "fromEnvironment" | "useBundled";

export interface ClientSettings {
  readonly interpreter: readonly string[];
  readonly importStrategy: ImportStrategy;
  readonly args: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") {
    return value.trim() === "" ? [] : [value.trim()];
  }
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === "string" && item !== "");
  }
  return [];
}

/** The extension's own settings, normalised; anything malformed falls back to its default. */
export function clientSettings(section: unknown): ClientSettings {
  const raw = isRecord(section) ? section : {};
  return {
    interpreter: strings(raw["interpreter"]),
    importStrategy: raw["importStrategy"] === "useBundled" ? "useBundled" : "fromEnvironment",
    args: Array.isArray(raw["args"]) ? strings(raw["args"]) : [],
  };
}

/**
 * What the server gets, as `initializationOptions` and as the answer to
 * `workspace/configuration`: the section without the extension's own keys, as plain JSON.
 */
export function serverSettings(section: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!isRecord(section)) {
    return result;
  }
  for (const [key, value] of Object.entries(section)) {
    if (CLIENT_ONLY_KEYS.has(key) || value === undefined || typeof value === "function") {
      continue;
    }
    result[key] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return result;
}

export interface ConfigurationItemLike {
  readonly section?: string | null;
}

/**
 * Filter the answers to a `workspace/configuration` request: our section loses the
 * extension-only keys, whether it was asked for directly or as part of the whole configuration.
 */
export function filterConfigurationAnswers(
  items: readonly ConfigurationItemLike[],
  answers: readonly unknown[],
): unknown[] {
  return answers.map((answer, index) => {
    const section = items[index]?.section;
    if (section === SECTION) {
      return serverSettings(answer);
    }
    if ((section === undefined || section === null || section === "") && isRecord(answer)) {
      return SECTION in answer ? { ...answer, [SECTION]: serverSettings(answer[SECTION]) } : answer;
    }
    return answer;
  });
}

/** Whether a configuration change needs a restart; `affects` is VS Code's affectsConfiguration. */
export function needsRestart(affects: (setting: string) => boolean): boolean {
  return RESTART_KEYS.some((key) => affects(`${SECTION}.${key}`));
}
