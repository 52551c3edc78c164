"""Parsing with stdlib `ast`, and telling a real syntax error from syntax newer than us."""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass

from fastapi_practices.model import Position


@dataclass(frozen=True)
class ParseFailure:
    message: str
    position: Position
    newer_syntax: bool


TOO_DEEP = ParseFailure(
    "Cannot check file: the code nests too deeply for fastapi-practices to follow",
    Position(0, 0),
    newer_syntax=False,
)


# The parsed code's own warnings (`"\d"`, `1if x`) are for its author, not for our stderr (nor
# errors under `-W error`). `ast.parse` names the text "<unknown>" unless told otherwise, and
# warnings about it are attributed to that module name: this silences them and nothing else.
warnings.filterwarnings("ignore", module="<unknown>")


def parse_module(text: str) -> ast.Module | ParseFailure:
    try:
        return ast.parse(text)
    except SyntaxError as error:
        if _may_be_newer_syntax(text, error) and _libcst_accepts(text):
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
    except (RecursionError, MemoryError):
        # CPython's parser gives up on very deep nesting with one of these, not a SyntaxError.
        return ParseFailure(
            "Cannot parse file: the code nests too deeply for Python's parser",
            Position(0, 0),
            False,
        )
    except ValueError as error:
        reason = "source contains NUL bytes" if "null" in str(error).lower() else str(error)
        return ParseFailure(
            f"Cannot parse file: {reason or type(error).__name__}", Position(0, 0), False
        )


# Constructs newer than Python 3.10 (the oldest we run on): `except*`, `except A, B:`,
# `type X = ...`, generics `def f[T]` / `class C[T]`, PEP 701 f-strings, t-strings, `a[*b]`,
# `lazy import`. Only when the failing lines hold one is LibCST's slower parser consulted.
_NEWER_SYNTAX = re.compile(
    r"\bexcept\b|^\s*type\s+\w|\b(?:def|class)\s+\w+\s*\[|\[\s*\*"
    r"|(?<![\w'\"])[rRbBuU]?[fFtT][rRbB]?['\"]|^\s*lazy\s+(?:import|from)\b",
    re.MULTILINE,
)


def _may_be_newer_syntax(text: str, error: SyntaxError) -> bool:
    if not error.lineno:
        return True
    lines = text.splitlines()
    first = max(error.lineno - 3, 0)
    last = max(error.end_lineno or error.lineno, error.lineno)
    return _NEWER_SYNTAX.search("\n".join(lines[first:last])) is not None


def _libcst_accepts(text: str) -> bool:
    import libcst

    try:
        libcst.parse_module(text)
    except Exception:  # libcst raises several error types, all meaning "no"
        return False
    return True
