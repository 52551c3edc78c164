from __future__ import annotations

import ast

from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.model import Position, Range


def test_byte_columns_become_code_point_columns_on_non_ascii_lines() -> None:
    text = 'x = "é😀"; call()\n'
    node = ast.parse(text).body[1]
    assert node.col_offset == len('x = "é😀"; '.encode())
    assert LineIndex(text).node_range(node) == Range(Position(0, 10), Position(0, 16))


def test_offsets_and_segments_with_crlf_line_endings() -> None:
    text = "a = 1\r\nb = 2\r\n"
    index = LineIndex(text)
    assert index.line_text(1) == "b = 2"
    assert index.offset(Position(1, 0)) == 7
    assert index.source_segment(Range(Position(1, 0), Position(1, 1))) == "b"
