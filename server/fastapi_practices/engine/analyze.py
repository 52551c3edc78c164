"""The engine's entry points: analyse one text, with every enabled rule, in one traversal."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import suppression
from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.data_files import analyze_data_file, is_data_file
from fastapi_practices.engine.parsing import TOO_DEEP, ParseFailure, parse_module
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.traversal import Traversal
from fastapi_practices.model import Finding, Position, Range
from fastapi_practices.rules import registry
from fastapi_practices.workspace.context import EMPTY_WORKSPACE, WorkspaceContext
from fastapi_practices.workspace.layout import ProjectLayout, layout_for

_traversals: dict[frozenset[str], Traversal] = {}
DEFAULT_SETTINGS = Settings()


def _traversal_for(codes: frozenset[str]) -> Traversal:
    traversal = _traversals.get(codes)
    if traversal is None:
        rules = [rule for rule in registry.all_rules() if rule.code in codes]
        traversal = _traversals[codes] = Traversal(rules)
    return traversal


def analyze(
    text: str,
    path: Path | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
) -> list[Finding]:
    """All findings for `text`, sorted by position, after noqa and ignore-file."""
    codes = settings.codes_for(path)
    file_ignores = suppression.ignored_file_prefixes(text)
    if file_ignores is not None:
        codes = frozenset(c for c in codes if not any(c.startswith(p) for p in file_ignores))
    if not codes:
        return []
    lines = LineIndex(text)
    if path is not None and is_data_file(path):
        findings = analyze_data_file(text, path, settings, codes, lines)
        return _one_per_node(_sorted_unsuppressed(findings, lines))
    parsed = parse_module(text)
    if isinstance(parsed, ParseFailure):
        findings = _parse_failure(parsed, lines, settings, codes)
    else:
        module_name, is_package = (
            workspace.module_name_for(path) if path is not None else ("__main__", False)
        )
        ctx = FileContext(
            text=text,
            tree=parsed,
            path=path,
            resolver=Resolver(parsed, module_name, is_package, workspace),
            lines=lines,
            workspace=workspace,
            severity_overrides=settings.severity,
            settings=settings,
            layout=_layout(path, settings, codes),
        )
        try:
            _traversal_for(codes).run(ctx)
            findings = ctx.findings
        except RecursionError:
            # Valid code nested deeper than the rules can follow (Python's parser allows ~3x
            # more): one clear finding rather than a crash.
            findings = _parse_failure(TOO_DEEP, lines, settings, codes)
    return _one_per_node(_sorted_unsuppressed(findings, lines))


def _sorted_unsuppressed(findings: list[Finding], lines: LineIndex) -> list[Finding]:
    kept = [
        f
        for f in findings
        if f.code not in suppression.noqa_codes(lines.line_text(f.range.start.line))
    ]
    kept.sort(key=lambda f: (f.range.start, f.code))
    return kept


def _layout(path: Path | None, settings: Settings, codes: frozenset[str]) -> ProjectLayout | None:
    """The project layout, only looked up when a structure rule (FBP1xx) may use it."""
    if path is None or not any(code.startswith("FBP1") for code in codes):
        return None
    return layout_for(settings)


def _one_per_node(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, Range]] = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.range)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _parse_failure(
    failure: ParseFailure, lines: LineIndex, settings: Settings, codes: frozenset[str]
) -> list[Finding]:
    code = "FBP002" if failure.newer_syntax else "FBP001"
    if code not in codes:
        return []
    rule = registry.get_rule(code)
    assert rule is not None
    line = min(failure.position.line, max(len(lines.lines) - 1, 0))
    text = lines.line_text(line)
    column = min(failure.position.column, len(text))
    end = (
        Position(line, len(text))
        if failure.newer_syntax or column >= len(text)
        else Position(line, column + 1)
    )
    if failure.newer_syntax:
        start = Position(line, 0)
    else:
        start = Position(line, column if column < len(text) else max(len(text) - 1, 0))
        if end <= start:
            end = Position(line, start.column + (1 if text else 0))
    return [
        Finding(
            code=code,
            name=rule.name,
            message=failure.message,
            severity=settings.severity.get(code, rule.severity),
            range=Range(start, end),
        )
    ]
