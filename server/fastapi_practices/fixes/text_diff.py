"""Edits that turn one text into another, line by line, touching only the lines that differ."""

from __future__ import annotations

import difflib

from fastapi_practices.engine.positions import split_lines
from fastapi_practices.model import Position, Range, TextEdit


def line_edits(old: str, new: str) -> list[TextEdit]:
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    edits = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            rng = Range(_line_start(old_lines, i1), _line_start(old_lines, i2))
            edits.append(TextEdit(rng, "".join(new_lines[j1:j2])))
    return edits


def _line_start(lines: list[str], line: int) -> Position:
    """Where zero-based `line` starts; past the last line, the end of the text."""
    if line < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return Position(line, 0)
    return Position(len(lines) - 1, len(lines[-1]))
