"""Parsing with stdlib `ast`, and telling a real syntax error from syntax newer than us."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

from fastapi_practices.model import Position


@dataclass(frozen=True)
class ParseFailure:
    message: str
    position: Position
    newer_syntax: bool


def parse_module(text: str, filename: str) -> ast.Module | ParseFailure:
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as error:
        if _libcst_accepts(text):
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            return ParseFailure(
                f"Syntax newer than the Python {version} running the server; "
                "run the server with the project's interpreter for full checks",
                Position(0, 0),
                newer_syntax=True,
            )
        line = max((error.lineno or 1) - 1, 0)
        column = max((error.offset or 1) - 1, 0)
        return ParseFailure(f"Syntax error: {error.msg}", Position(line, column), False)
    except (ValueError, RecursionError, MemoryError) as error:
        reason = "source contains NUL bytes" if "null" in str(error).lower() else str(error)
        return ParseFailure(
            f"Cannot parse file: {reason or type(error).__name__}", Position(0, 0), False
        )


def _libcst_accepts(text: str) -> bool:
    import libcst

    try:
        libcst.parse_module(text)
    except Exception:  # libcst raises several error types, all meaning "no"
        return False
    return True
