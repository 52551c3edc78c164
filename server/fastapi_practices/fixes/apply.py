"""Building a finding's fix on demand, applying edits, and fix-all until nothing changes."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze, suppression
from fastapi_practices.engine.analyze import DEFAULT_SETTINGS
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.fixes.imports import ImportConflict
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, Finding, Position, Range, TextEdit
from fastapi_practices.rules import registry
from fastapi_practices.workspace.context import EMPTY_WORKSPACE, WorkspaceContext

MAX_FIX_ROUNDS = 10


class FixError(Exception):
    """Edits that overlap, or a fix whose result does not parse."""


def build_fix(
    text: str,
    finding: Finding,
    kind: str | None = None,
    path: Path | None = None,
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
) -> list[TextEdit] | None:
    """The edits for one of the finding's fixes (the first when `kind` is None), or None."""
    option = finding.fix(kind) if kind else (finding.fixes[0] if finding.fixes else None)
    rule = registry.get_rule(finding.code)
    if option is None or rule is None:
        return None
    fixer = rule.fixer(option.kind)
    if fixer is None:
        return None
    request = FixRequest(text=text, finding=finding, path=path, workspace=workspace)
    try:
        edits = fixer(request)
    except (ImportConflict, SyntaxError, RecursionError):
        return None
    if not edits:
        return None
    return _merge_identical(edits)


def _merge_identical(edits: Iterable[TextEdit]) -> list[TextEdit]:
    unique: list[TextEdit] = []
    for edit in edits:
        if edit not in unique:
            unique.append(edit)
    return unique


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """Apply non-overlapping edits; identical insertions at one point are applied once."""
    lines = LineIndex(text)
    spans = sorted(
        {(lines.offset(e.range.start), lines.offset(e.range.end), e.new_text) for e in edits},
        key=lambda s: (s[0], s[1]),
    )
    for (_, end_a, _), (start_b, _, _) in itertools.pairwise(spans):
        if start_b < end_a:
            raise FixError("overlapping edits")
    result = []
    cursor = 0
    for start, end, new_text in spans:
        result.append(text[cursor:start])
        result.append(new_text)
        cursor = max(cursor, end)
    result.append(text[cursor:])
    return "".join(result)


def noqa_edit(text: str, finding: Finding) -> TextEdit:
    """An edit adding the finding's code to the `# noqa:` comment of its line."""
    lines = LineIndex(text)
    line = finding.range.start.line
    current = lines.line_text(line)
    updated = suppression.add_noqa(current, finding.code)
    return TextEdit(Range(Position(line, 0), Position(line, len(current))), updated)


@dataclass(frozen=True)
class FixAllResult:
    text: str
    applied: int
    remaining: list[Finding]


def _allowed(finding: Finding, unsafe: bool) -> str | None:
    for option in finding.fixes:
        if option.applicability is Applicability.SAFE or unsafe:
            return option.kind
    return None


def fix_all(
    text: str,
    path: Path | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
    unsafe: bool = False,
    only_codes: frozenset[str] | None = None,
) -> FixAllResult:
    """Apply every allowed fix, re-check and repeat until nothing changes (bounded)."""
    applied = 0
    findings = analyze(text, path, settings, workspace)
    for _ in range(MAX_FIX_ROUNDS):
        chosen: list[TextEdit] = []
        taken: list[Range] = []
        count = 0
        for finding in findings:
            if only_codes is not None and finding.code not in only_codes:
                continue
            kind = _allowed(finding, unsafe)
            if kind is None:
                continue
            edits = build_fix(text, finding, kind, path, workspace)
            if not edits or any(_conflicts(e, taken, chosen) for e in edits):
                continue
            chosen.extend(edits)
            taken.extend(e.range for e in edits)
            count += 1
        if not chosen:
            break
        candidate = apply_edits(text, chosen)
        if not _parses(candidate):
            break
        text = candidate
        applied += count
        findings = analyze(text, path, settings, workspace)
    return FixAllResult(text, applied, findings)


def _conflicts(edit: TextEdit, taken: list[Range], chosen: list[TextEdit]) -> bool:
    if edit in chosen:
        return False
    for rng in taken:
        if edit.range.overlaps(rng):
            return True
        if edit.range.start == edit.range.end and rng.start <= edit.range.start <= rng.end:
            # Insertions touching another edit would make the order ambiguous.
            return True
        if rng.start == rng.end and edit.range.start <= rng.start <= edit.range.end:
            return True
    return False


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
