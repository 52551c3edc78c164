"""`# noqa: FBPxxx` comments and `# fastapi-practices: ignore-file` directives."""

from __future__ import annotations

import re

NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)", re.I)
IGNORE_FILE = re.compile(
    r"^[ \t]*#[ \t]*fastapi-practices[ \t]*:[ \t]*ignore-file"
    r"(?:[ \t]*=[ \t]*(?P<codes>[A-Za-z0-9, \t]+))?[ \t]*$",
    re.M,
)


def noqa_codes(line: str) -> frozenset[str]:
    """Exact codes a line's `# noqa:` comment names (a bare `# noqa` names none)."""
    if "noqa" not in line.lower():
        return frozenset()
    codes: set[str] = set()
    for match in NOQA.finditer(line):
        codes.update(code.strip().upper() for code in match.group("codes").split(","))
    return frozenset(codes)


def ignored_file_prefixes(text: str) -> tuple[str, ...] | None:
    """Code prefixes a file-level directive ignores; ("",) for all; None when there is none."""
    if "fastapi-practices" not in text:
        return None
    prefixes: list[str] = []
    for match in IGNORE_FILE.finditer(text):
        codes = match.group("codes")
        if not codes:
            return ("",)
        prefixes.extend(c.strip().upper() for c in codes.split(",") if c.strip())
    return tuple(prefixes) if prefixes else None


def add_noqa(line: str, code: str) -> str:
    """The line with `code` added to its `# noqa:` comment, or a new comment appended."""
    match = NOQA.search(line)
    if match is None:
        stripped = line.rstrip()
        return f"{stripped}  # noqa: {code}"
    existing = [c.strip().upper() for c in match.group("codes").split(",")]
    if code in existing:
        return line
    codes = ", ".join([*existing, code])
    return f"{line[: match.start()]}# noqa: {codes}{line[match.end() :]}"
