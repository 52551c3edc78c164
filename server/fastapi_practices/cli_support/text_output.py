"""Human output: `full` (ruff-like excerpts), `concise`, the summary, statistics and diffs."""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Sequence

from fastapi_practices.cli_support.display import Display, Located, located, sort_reports
from fastapi_practices.cli_support.runner import FileReport
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.model import Finding

CONTEXT_LINES = 2
MAX_UNDERLINED_LINES = 6
TAB_WIDTH = 4
NO_NEWLINE = "\\ No newline at end of file\n"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def header(item: Located, display: Display) -> str:
    finding = item.finding
    start = finding.range.start
    marker = "[*] " if display.applicable_fix(finding) else ""
    location = f"{display.path(item.report.path)}:{start.line + 1}:{start.column + 1}"
    return f"{location}: {finding.code} {marker}{finding.message}"


def concise(reports: Sequence[FileReport], display: Display) -> list[str]:
    return [header(item, display) for item in located(reports)]


def full(reports: Sequence[FileReport], display: Display) -> list[str]:
    lines: list[str] = []
    indexes: dict[int, LineIndex] = {}
    for item in located(reports):
        index = indexes.setdefault(id(item.report), LineIndex(item.report.text))
        lines.append(header(item, display))
        lines.extend(excerpt(index, item.finding))
        fix = item.finding.fixes[0] if item.finding.fixes else None
        if fix is not None:
            lines.append(f"  = help: {fix.title}")
        lines.append("")
    return lines


def excerpt(index: LineIndex, finding: Finding) -> list[str]:
    """Numbered source lines around the finding, its range underlined with carets."""
    start, end = finding.range.start, finding.range.end
    if start.line >= len(index.lines) or not index.text:
        return []
    last = end.line if end.column > 0 or end.line == start.line else end.line - 1
    last = max(start.line, min(last, start.line + MAX_UNDERLINED_LINES - 1, len(index.lines) - 1))
    first_shown = max(0, start.line - CONTEXT_LINES)
    last_shown = min(len(index.lines) - 1, last + CONTEXT_LINES)
    gutter = " " * len(str(last_shown + 1))
    out = [f"{gutter} |"]
    for number in range(first_shown, last_shown + 1):
        text = index.line_text(number)
        out.append(f"{number + 1:>{len(gutter)}} | {_expand(text)}".rstrip())
        if start.line <= number <= last:
            begin = start.column if number == start.line else len(text) - len(text.lstrip())
            stop = end.column if number == end.line else len(text)
            carets = "^" * max(1, _width(text[begin:stop]))
            label = f" {finding.code}" if number == last else ""
            out.append(f"{gutter} | {' ' * _width(text[:begin])}{carets}{label}")
    out.append(f"{gutter} |")
    return out


def _expand(text: str) -> str:
    return text.replace("\t", " " * TAB_WIDTH)


def _width(text: str) -> int:
    """Terminal columns taken by `text` (wide East Asian characters take two)."""
    width = 0
    for character in text:
        if character == "\t":
            width += TAB_WIDTH
        elif unicodedata.combining(character):
            continue
        elif unicodedata.east_asian_width(character) in ("W", "F"):
            width += 2
        else:
            width += 1
    return width


def summary(reports: Sequence[FileReport], display: Display, fixing: bool) -> list[str]:
    findings = [item.finding for item in located(reports)]
    fixed = sum(report.fixed for report in reports)
    lines = [f"Fixed {plural(fixed, 'error')}."] if fixed else []
    if not findings:
        return [*lines, "All checks passed!"]
    lines.append(f"Found {plural(len(findings), 'error')}.")
    if not fixing:
        fixable = sum(1 for f in findings if display.applicable_fix(f))
        if fixable:
            lines.append(f"[*] {fixable} fixable with the --fix option.")
    hidden = sum(1 for f in findings if display.hidden_unsafe_fix(f))
    if hidden:
        hidden_fixes = plural(hidden, "hidden fix", "hidden fixes")
        lines.append(f"({hidden_fixes} can be enabled with the --unsafe-fixes option.)")
    return lines


def statistics_rows(reports: Sequence[FileReport], display: Display) -> list[dict[str, object]]:
    """Per code: count, name and whether `--fix` could fix any of them; most frequent first."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    fixable: dict[str, bool] = {}
    for item in located(reports):
        code = item.finding.code
        counts[code] += 1
        names[code] = item.finding.name
        fixable[code] = fixable.get(code, False) or display.applicable_fix(item.finding) is not None
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [
        {"code": code, "name": names[code], "count": counts[code], "fixable": fixable[code]}
        for code in ordered
    ]


def statistics(reports: Sequence[FileReport], display: Display) -> list[str]:
    rows = statistics_rows(reports, display)
    if not rows:
        return []
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(str(row["code"])) for row in rows)
    return [
        f"{row['count']!s:>{count_width}}\t{row['code']!s:<{code_width}}\t"
        f"{'[*]' if row['fixable'] else '[ ]'} {row['name']}"
        for row in rows
    ]


def unified_diff(reports: Sequence[FileReport], display: Display) -> str:
    """A unified diff of every file fixes would change."""
    chunks: list[str] = []
    for report in sort_reports(reports):
        if report.original is None:
            continue
        name = display.path(report.path)
        for line in difflib.unified_diff(
            report.original.splitlines(keepends=True),
            report.text.splitlines(keepends=True),
            fromfile=name,
            tofile=name,
        ):
            chunks.append(line if line.endswith(("\n", "\r")) else f"{line}\n{NO_NEWLINE}")
    return "".join(chunks)
