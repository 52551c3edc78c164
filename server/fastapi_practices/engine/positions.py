"""Conversion from `ast` positions (1-based lines, UTF-8 byte columns) to engine positions.

Engine positions are zero-based lines and zero-based columns counted in code points.
"""

from __future__ import annotations

import ast
import re

from fastapi_practices.model import Position, Range

# Python and LSP break lines only at these; str.splitlines() also breaks at \f, \u2028, ...
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """The lines of `text` with their line endings, split the way Python's tokenizer does."""
    return _LINE.findall(text)


class LineIndex:
    """Line table for one source text; converts byte columns to code-point columns."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text) or [""]
        self._offsets: list[int] | None = None

    def line_text(self, line: int) -> str:
        """Text of a zero-based line without its line ending."""
        if 0 <= line < len(self.lines):
            return self.lines[line].rstrip("\r\n")
        return ""

    def column_from_bytes(self, line: int, byte_col: int) -> int:
        text = self.line_text(line)
        if text.isascii():
            return min(byte_col, len(text))
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def position(self, lineno: int, byte_col: int) -> Position:
        """Position from an `ast` 1-based line and UTF-8 byte column."""
        line = lineno - 1
        return Position(line, self.column_from_bytes(line, byte_col))

    def node_range(self, node: ast.AST) -> Range:
        start = self.position(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end_lineno = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end = Position(start.line, len(self.line_text(start.line)))
        else:
            end = self.position(end_lineno, end_col)
        return Range(start, end)

    def line_range(self, line: int, start_col: int = 0) -> Range:
        """A range from `start_col` to the end of the zero-based `line`."""
        return Range(Position(line, start_col), Position(line, len(self.line_text(line))))

    def offset(self, pos: Position) -> int:
        """Character offset in the text of an engine position (clamped to the text)."""
        if self._offsets is None:
            offsets = [0]
            for chunk in self.lines:
                offsets.append(offsets[-1] + len(chunk))
            self._offsets = offsets
        if pos.line >= len(self.lines):
            return len(self.text)
        return self._offsets[pos.line] + min(pos.column, len(self.line_text(pos.line)))

    def source_segment(self, rng: Range) -> str:
        return self.text[self.offset(rng.start) : self.offset(rng.end)]
