"""What every output format shares: findings in a stable order, paths as the user reads them."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.cli_support.runner import FileReport
from fastapi_practices.model import Applicability, Finding, FixOption, TextEdit


@dataclass(frozen=True)
class Located:
    """One finding with the report it came from and its index there."""

    report: FileReport
    finding: Finding
    index: int

    @property
    def fix_edits(self) -> tuple[TextEdit, ...] | None:
        edits = self.report.fix_edits
        return edits[self.index] if self.index < len(edits) else None


@dataclass(frozen=True)
class Display:
    cwd: Path
    unsafe_fixes: bool = False

    def path(self, path: Path) -> str:
        """Relative to the working directory when under it, else absolute."""
        try:
            return path.relative_to(self.cwd).as_posix()
        except ValueError:
            return str(path)

    def applicable_fix(self, finding: Finding) -> FixOption | None:
        """The fix `--fix` would apply under the current options, if any."""
        for option in finding.fixes:
            if option.editor_only:
                continue
            if option.applicability is Applicability.SAFE or self.unsafe_fixes:
                return option
        return None

    def hidden_unsafe_fix(self, finding: Finding) -> bool:
        fixable_here = any(not option.editor_only for option in finding.fixes)
        return fixable_here and self.applicable_fix(finding) is None


def sort_reports(reports: Sequence[FileReport]) -> list[FileReport]:
    return sorted(reports, key=lambda report: report.path.parts)


def located(reports: Sequence[FileReport]) -> Iterator[Located]:
    """Every finding, ordered by path and then position."""
    for report in sort_reports(reports):
        order = sorted(
            range(len(report.findings)),
            key=lambda i: (report.findings[i].range.start, report.findings[i].code),
        )
        for index in order:
            yield Located(report, report.findings[index], index)


def current_directory() -> Path:
    return Path(os.path.abspath(os.curdir))
