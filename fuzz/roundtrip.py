"""The fix round-trip property.

Each fix alone: its edits are well formed, every byte outside them is unchanged, the result
parses in the file's own language (Python, INI or TOML), keeps the file's line endings, and
the finding is gone. Fixes that also edit other files (`editor_only`) are never half-applied
by `build_fix`; through `build_workspace_fix`, every file they touch parses afterwards. Then
fix-all (safe, as the CLI runs it, and with unsafe fixes): it parses and a second run changes
nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_practices.fixes import apply_edits, build_fix, build_workspace_fix, fix_all
from fastapi_practices.fixes.validity import parses
from fastapi_practices.model import FileEdit, Finding, FixOption, Position, TextEdit

from fuzz.properties import Failure, guarded
from fuzz.targets import Target

_LINE_START = re.compile(r"\r\n|\r|\n")


@dataclass
class RoundTrip:
    """What one text's round trip did, and what went wrong."""

    fixes_applied: int = 0
    fixes_declined: int = 0
    """Fixes whose builder gave no edit (an import conflict, a shape it does not handle)."""
    failures: list[Failure] = field(default_factory=list)


class _Lines:
    """An independent position decoder (not the engine's), so both must agree."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in _LINE_START.finditer(text))]
        self.ends = [match.start() for match in _LINE_START.finditer(text)] + [len(text)]

    def offset(self, position: Position) -> int | None:
        """The code-point offset, or None when the position is not inside the text."""
        if not 0 <= position.line < len(self.starts):
            return None
        start, end = self.starts[position.line], self.ends[position.line]
        if not 0 <= position.column <= end - start:
            return None
        return start + position.column


def _spans(text: str, edits: Sequence[TextEdit]) -> list[tuple[int, int, str]] | str:
    """Edits as sorted (start, end, new text) offsets, or what is wrong with them."""
    lines = _Lines(text)
    spans = set()
    for edit in edits:
        start, end = lines.offset(edit.range.start), lines.offset(edit.range.end)
        if start is None or end is None:
            return f"edit outside the text: {edit.range}"
        if end < start:
            return f"edit ends before it starts: {edit.range}"
        spans.add((start, end, edit.new_text))
    ordered = sorted(spans)
    for (_, end, _), (start, _, _) in itertools.pairwise(ordered):
        if start < end:
            return "overlapping edits"
    return ordered


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


def _outside_unchanged(text: str, fixed: str, spans: list[tuple[int, int, str]]) -> bool:
    """Every gap between the edits (and before and after them) is still there, in order."""
    cursor_old, cursor_new = 0, 0
    for start, end, new_text in spans:
        gap = text[cursor_old:start]
        if fixed[cursor_new : cursor_new + len(gap)] != gap:
            return False
        cursor_new += len(gap) + len(new_text)
        cursor_old = end
    return fixed[cursor_new:] == text[cursor_old:]


def _valid(text: str, path: Path) -> bool:
    """Python that compiles (not only parses); any INI or TOML that parses."""
    if not parses(text, path):
        return False
    if path.suffix != ".py":
        return True
    try:
        compile(text, "<fuzzed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _new_bare_lf(text: str, fixed: str) -> bool:
    """A CR or CRLF file (no LF of its own) that the fix gave an LF line ending."""
    return "\r" in text and not _bare_lf(text) and _bare_lf(fixed)


def _bare_lf(text: str) -> bool:
    return "\n" in text.replace("\r\n", "")


def _kept_file_header(where: str, text: str, fixed: str) -> list[Failure]:
    """A shebang stays on line 1 (and an encoding declaration within lines 1-2)."""
    first = _LINE_START.split(text, 1)[0]
    if first.startswith("#!") and not fixed.startswith(first):
        return [Failure(where, "the fix moved the shebang off line 1")]
    return []


def check_single_fix(
    case: str, text: str, target: Target, findings: list[Finding], finding: Finding, kind: str
) -> tuple[bool, list[Failure]]:
    """One fix on its own. (applied, failures)."""
    where = f"{case} {finding.code}/{kind} at {finding.range.start}"
    option = finding.fix(kind)
    assert option is not None
    if option.editor_only:
        return _check_workspace_fix(where, text, target, finding, option)
    built = guarded(where, lambda: build_fix(text, finding, kind, target.path, target.workspace))
    if isinstance(built, Failure):
        return False, [built]
    if not built:
        return False, []
    spans = _spans(text, built)
    if isinstance(spans, str):
        return False, [Failure(where, spans)]
    fixed = _apply(text, spans)
    engine_fixed = guarded(where, lambda: apply_edits(text, built))
    if isinstance(engine_fixed, Failure):
        return False, [engine_fixed]
    problems = []
    if engine_fixed != fixed:
        problems.append(Failure(where, "apply_edits disagrees with a plain application"))
    if not _outside_unchanged(text, fixed, spans):
        problems.append(Failure(where, "bytes outside the edits changed"))
    if not parses(fixed, target.path):
        if _valid(text, target.path):
            problems.append(Failure(where, "the fixed text does not parse", fixed[:2000]))
            return True, problems
        # Input `ast` parses but Python would reject (`x = *a`): the editor's quick fix and
        # fix-all check the result and drop such a fix; only a valid input must fix cleanly.
        verified = guarded(
            where,
            lambda: build_workspace_fix(
                text, finding, kind, target.path, target.workspace, verify=True
            ),
        )
        if verified is not None:
            problems.append(Failure(where, "a fix that breaks the file passed verification"))
        return False, problems
    problems.extend(_kept_file_header(where, text, fixed))
    if _new_bare_lf(text, fixed):
        problems.append(Failure(where, "the fix brought LF line endings into a CRLF file"))
    after = guarded(where, lambda: target.analyze(fixed))
    if isinstance(after, Failure):
        return True, [*problems, after]
    if _still_there(finding, text, fixed, spans, after):
        problems.append(Failure(where, "the finding is still there after its fix", fixed[:2000]))
    return True, problems


def _still_there(
    finding: Finding,
    text: str,
    fixed: str,
    spans: list[tuple[int, int, str]],
    after: Sequence[Finding],
) -> bool:
    """Whether `fixed` has a finding of the same code where the fixed one was: its start mapped
    through the edits (a start inside an edit, or at an insertion, may be anywhere in the new
    text of that edit)."""
    offset = _Lines(text).offset(finding.range.start)
    assert offset is not None
    low, high = _mapped(offset, spans)
    new_lines = _Lines(fixed)
    for other in after:
        position = new_lines.offset(other.range.start)
        if other.code == finding.code and position is not None and low <= position <= high:
            return True
    return False


def _mapped(offset: int, spans: list[tuple[int, int, str]]) -> tuple[int, int]:
    """Where a finding starting at `offset` starts after the edits: the same node, moved; or,
    when an edit inserts at it or replaces text around it, anywhere in that edit's new text."""
    shift = 0
    for start, end, new_text in spans:
        if start == offset and end > start:
            return start + shift, start + shift
        if start < offset < end or start == end == offset:
            return start + shift, start + shift + len(new_text)
        if start > offset:
            break
        shift += len(new_text) - (end - start)
    return offset + shift, offset + shift


def _check_workspace_fix(
    where: str, text: str, target: Target, finding: Finding, option: FixOption
) -> tuple[bool, list[Failure]]:
    """A cross-file fix: never half-applied by `build_fix`; every file it touches parses."""
    half = guarded(
        where, lambda: build_fix(text, finding, option.kind, target.path, target.workspace)
    )
    if isinstance(half, Failure):
        return False, [half]
    problems = []
    built = guarded(
        where,
        lambda: build_workspace_fix(text, finding, option.kind, target.path, target.workspace),
    )
    if isinstance(built, Failure):
        return False, [built]
    if built is None:
        return False, []
    if half is not None and built.files:
        problems.append(Failure(where, "build_fix returned half of a cross-file fix"))
    spans = _spans(text, built.edits)
    if isinstance(spans, str):
        return False, [*problems, Failure(where, spans)]
    fixed = _apply(text, spans)
    if not parses(fixed, target.path):
        problems.append(Failure(where, "the fixed file does not parse", fixed[:2000]))
    for file in built.files:
        problems.extend(_other_file_problems(where, target.path, file))
    return True, problems


def _other_file_problems(where: str, origin: Path, file: FileEdit) -> list[Failure]:
    path = Path(file.path)
    if not path.is_absolute():
        path = origin.parent / path
    if file.create and path.exists():
        original = path.read_text(encoding="utf-8")
    elif file.create:
        original = ""
    else:
        try:
            original = path.read_text(encoding="utf-8")
        except OSError as error:
            return [Failure(where, f"the fix edits {path}, which cannot be read: {error}")]
    spans = _spans(original, file.edits)
    if isinstance(spans, str):
        return [Failure(where, f"{path}: {spans}")]
    if not parses(_apply(original, spans), path):
        return [Failure(where, f"{path} does not parse after the fix")]
    return []


def check_fix_all(case: str, text: str, target: Target, unsafe: bool) -> list[Failure]:
    """Fix-all terminates, parses, and a second run changes nothing."""
    where = f"{case} fix-all{' --unsafe' if unsafe else ''}"

    def run(source: str) -> object:
        return fix_all(source, target.path, target.settings, target.workspace, unsafe=unsafe)

    first = guarded(where, lambda: run(text))
    if isinstance(first, Failure):
        return [first]
    fixed = first.text  # type: ignore[attr-defined]
    if fixed == text:
        return []
    if not parses(fixed, target.path):
        return [Failure(where, "fix-all output does not parse", fixed[:2000])]
    problems = _kept_file_header(where, text, fixed)
    if _new_bare_lf(text, fixed):
        problems.append(Failure(where, "fix-all brought LF line endings into a CRLF file"))
    second = guarded(where, lambda: run(fixed))
    if isinstance(second, Failure):
        return [*problems, second]
    if second.text != fixed:  # type: ignore[attr-defined]
        problems.append(Failure(where, "a second fix-all changed the text again", fixed[:2000]))
    return problems


def round_trip(
    case: str, text: str, target: Target, findings: list[Finding] | None = None
) -> RoundTrip:
    """Every fix of every finding alone, then fix-all (safe and unsafe)."""
    result = RoundTrip()
    if findings is None:
        analysed = guarded(case, lambda: target.analyze(text))
        if isinstance(analysed, Failure):
            result.failures.append(analysed)
            return result
        findings = analysed
    for finding in findings:
        for option in finding.fixes:
            applied, problems = check_single_fix(case, text, target, findings, finding, option.kind)
            result.fixes_applied += applied
            result.fixes_declined += not applied and not problems
            result.failures.extend(problems)
    if any(f.fixes for f in findings):
        for unsafe in (False, True):
            result.failures.extend(check_fix_all(case, text, target, unsafe))
    return result
