"""The properties every input must keep. Each check returns a list of problems (empty: fine)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.model import Finding

from fuzz.targets import Target

T = TypeVar("T")
PARSE_CODES = frozenset({"FBP001", "FBP002"})


@dataclass(frozen=True)
class Failure:
    """A broken property: which case, what went wrong, and the traceback when one was raised."""

    case: str
    problem: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.case}: {self.problem}" + (f"\n{self.detail}" if self.detail else "")


def guarded(case: str, call: Callable[[], T]) -> T | Failure:
    """The call's result, or a Failure naming what it raised (nothing may escape)."""
    try:
        return call()
    except BaseException as error:  # SystemExit, RecursionError, MemoryError count too
        if isinstance(error, KeyboardInterrupt):
            raise
        detail = "".join(traceback.format_exception(error, limit=-8))
        return Failure(case, f"raised {type(error).__name__}: {str(error)[:200]}", detail)


def finding_problems(case: str, text: str, findings: list[Finding]) -> list[Failure]:
    """Findings point inside the text, in order, and a parse failure stands alone."""
    problems = []
    lines = LineIndex(text)
    for finding in findings:
        rng = finding.range
        if not rng.start <= rng.end:
            problems.append(Failure(case, f"{finding.code}: range ends before it starts: {rng}"))
        for position in (rng.start, rng.end):
            if not 0 <= position.line < len(lines.lines) or not (
                0 <= position.column <= len(lines.line_text(position.line))
            ):
                problems.append(Failure(case, f"{finding.code}: position outside the text: {rng}"))
    codes = {f.code for f in findings}
    if codes & PARSE_CODES and len(findings) != 1:
        problems.append(Failure(case, f"a parse failure came with other findings: {sorted(codes)}"))
    if findings != sorted(findings, key=lambda f: (f.range.start, f.code)):
        problems.append(Failure(case, "findings are not sorted by position"))
    return problems


def check_engine(case: str, text: str, target: Target) -> tuple[list[Finding], list[Failure]]:
    """Analyse one text: it must not raise, and its findings must be well formed."""
    result = guarded(case, lambda: target.analyze(text))
    if isinstance(result, Failure):
        return [], [result]
    return result, finding_problems(case, text, result)
