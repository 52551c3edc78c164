"""Analysis of the non-Python files some rules read (`alembic.ini`, `pyproject.toml`).

Such a rule names the files it reads in `Rule.file_names` and implements
`check_file(ctx: DataFileContext)`; it sees the file's text, never an `ast`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi_practices.config import Settings
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.model import Finding, FixOption, Position, Range
from fastapi_practices.rules import registry
from fastapi_practices.rules.base import Rule


def data_file_names() -> frozenset[str]:
    """Every non-Python file name some rule reads."""
    return frozenset(name for rule in registry.all_rules() for name in rule.file_names)


def is_data_file(path: Path | None) -> bool:
    return path is not None and path.suffix != ".py" and path.name in data_file_names()


@dataclass
class DataFileContext:
    text: str
    path: Path
    lines: LineIndex
    settings: Settings
    findings: list[Finding] = field(default_factory=list)

    def first_line(self) -> Range:
        """Line 1, where file-level findings are reported."""
        first = self.lines.line_text(0) if self.lines.lines else ""
        return Range(Position(0, 0), Position(0, len(first)))

    def report(
        self,
        rule: Rule,
        where: Range,
        message: str,
        fixes: tuple[FixOption, ...] = (),
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                message=message,
                severity=self.settings.severity.get(rule.code, rule.severity),
                range=where,
                fixes=fixes,
                data=dict(data or {}),
            )
        )


def analyze_data_file(
    text: str, path: Path, settings: Settings, codes: frozenset[str], lines: LineIndex
) -> list[Finding]:
    ctx = DataFileContext(text, path, lines, settings)
    for rule in registry.all_rules():
        if rule.code in codes and path.name in rule.file_names:
            check = getattr(rule, "check_file", None)
            if callable(check):
                check(ctx)
    return ctx.findings
