"""Building a finding's fix on demand, applying edits, and fix-all until nothing changes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze, suppression
from fastapi_practices.engine.analyze import DEFAULT_SETTINGS
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.fixes.imports import ImportConflict
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.fixes.validity import parses
from fastapi_practices.model import Applicability, FileEdit, Finding, Position, Range, TextEdit
from fastapi_practices.rules import registry
from fastapi_practices.workspace.context import EMPTY_WORKSPACE, WorkspaceContext

MAX_FIX_ROUNDS = 10


class FixError(Exception):
    """Edits that overlap, or a fix whose result does not parse."""


@dataclass(frozen=True)
class WorkspaceFix:
    """A fix's edits to the analysed file, and to other files (created when `create` is set)."""

    edits: list[TextEdit]
    files: list[FileEdit]

    @property
    def creates_files(self) -> bool:
        return any(file.create for file in self.files)


def build_fix(
    text: str,
    finding: Finding,
    kind: str | None = None,
    path: Path | None = None,
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
) -> list[TextEdit] | None:
    """The edits for one of the finding's fixes (the first when `kind` is None), or None.

    Fixes that also change other files give None here: callers that work one file at a time
    (`check --fix`, fix-all) must never apply half of one. See `build_workspace_fix`.
    """
    option = finding.fix(kind) if kind else (finding.fixes[0] if finding.fixes else None)
    if option is not None and option.editor_only:
        return None  # known before building it (FBP402's extraction is not cheap)
    fix = build_workspace_fix(text, finding, kind, path, workspace)
    if fix is None or fix.files:
        return None
    return fix.edits


def build_workspace_fix(
    text: str,
    finding: Finding,
    kind: str | None = None,
    path: Path | None = None,
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
    verify: bool = False,
) -> WorkspaceFix | None:
    """Every edit of one of the finding's fixes: to this file and to the other files it touches.

    With `verify`, a fix whose result would not parse is dropped (None): for a fix handed to a
    user on its own. It costs a parse of the whole file, so callers building a fix for every
    finding (fix-all, which checks its combined result) leave it off."""
    option = finding.fix(kind) if kind else (finding.fixes[0] if finding.fixes else None)
    rule = registry.get_rule(finding.code)
    if option is None or rule is None:
        return None
    fixer = rule.fixer(option.kind)
    if fixer is None:
        return None
    request = FixRequest(text=text, finding=finding, path=path, workspace=workspace)
    try:
        changes = fixer(request)
    except (ImportConflict, SyntaxError, RecursionError):
        return None
    if not changes:
        return None
    own: list[TextEdit] = []
    others: dict[str, FileEdit] = {}
    for change in changes:
        if isinstance(change, TextEdit):
            own.append(change)
        elif path is not None and _same_file(change.path, path):
            own.extend(change.edits)
        else:
            known = others.get(change.path)
            others[change.path] = FileEdit(
                change.path,
                (*known.edits, *change.edits) if known else change.edits,
                change.create or (known is not None and known.create),
            )
    files = [replace(f, edits=tuple(_merge_identical(f.edits))) for f in others.values()]
    if any(not f.edits for f in files) or not (own or files):
        return None
    own = _merge_identical(own)
    if verify and own and not _applies_cleanly(text, own, path):
        return None  # never hand out a broken file, whatever the input looked like
    return WorkspaceFix(own, files)


def _applies_cleanly(text: str, edits: Sequence[TextEdit], path: Path | None) -> bool:
    try:
        return parses(apply_edits(text, edits), path)
    except FixError:
        return False


def _same_file(other: str, path: Path) -> bool:
    try:
        return Path(other).resolve() == path.resolve()
    except (OSError, RuntimeError):
        return Path(other) == path


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
        if not parses(candidate, path):
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
