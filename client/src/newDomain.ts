// The "New FastAPI Domain…" command's pure parts: the name check, the request, the summary.

export const SERVER_NEW_DOMAIN = "fastapi-practices.newDomain";

const DOMAIN_NAME = /^[a-z][a-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set([
  "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
  "else", "except", "false", "finally", "for", "from", "global", "if", "import", "in", "is",
  "lambda", "none", "nonlocal", "not", "or", "pass", "raise", "return", "true", "try", "while",
  "with", "yield",
]);

/** What the server answers (`applied`, the files it creates, and why when it did not). */
export interface NewDomainResult {
  readonly applied?: boolean;
  readonly files?: readonly string[];
  readonly notes?: readonly string[];
  readonly reason?: string;
}

export interface NewDomainRequest {
  readonly name: string;
  readonly uri?: string;
}

/** An error message for the input box, or undefined when the name can be sent. */
export function checkDomainName(value: string): string | undefined {
  const name = value.trim();
  if (name.length === 0) {
    return "Type the domain's name, for example posts.";
  }
  if (!DOMAIN_NAME.test(name)) {
    return "Use lower_snake_case: a lower-case letter, then letters, digits or underscores.";
  }
  if (PYTHON_KEYWORDS.has(name)) {
    return `${name} is a Python keyword.`;
  }
  return undefined;
}

/** The command's arguments: the name, and a file or folder that tells the server the project. */
export function newDomainArguments(name: string, projectUri: string | undefined): unknown[] {
  const request: NewDomainRequest =
    projectUri === undefined ? { name: name.trim() } : { name: name.trim(), uri: projectUri };
  return [request];
}

/** The router module among the created files, to open once the domain exists. */
export function routerFile(result: NewDomainResult): string | undefined {
  return result.files?.find((uri) => /\/router\.py$/.test(uri));
}

/** One line for the notification that follows the command. */
export function describeResult(name: string, result: NewDomainResult | null): string {
  if (result === null) {
    return "The fastapi-practices server did not answer the New Domain command.";
  }
  if (result.applied !== true) {
    return `Domain ${name} was not created: ${result.reason ?? "the editor refused the edit"}.`;
  }
  const count = result.files?.length ?? 0;
  const notes = (result.notes ?? []).map((note) => ` Note: ${note}.`).join("");
  return `Created domain ${name} (${count} files).${notes}`;
}
