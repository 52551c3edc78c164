"""Where the cursor is, lexically, in text that may not parse (the user is typing).

One regular-expression scan of the text before the cursor, from the start of the top-level
statement it is in, finds the strings, comments and brackets; nothing is parsed, so a
half-written file never fails and a large one stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Strings may be unterminated at the end of the scanned text: that is the cursor being inside.
_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z))
    | (?P<short>'(?:[^'\\\r\n]|\\.)*(?:'|$|\Z)
      | "(?:[^"\\\r\n]|\\.)*(?:"|$|\Z))
    | (?P<top>^(?:(?:async[ \t]+)?def\b|class\b|import\b|from\b|@))
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)
_CONTINUATION = re.compile(r"\\[ \t]*\r?\n[ \t]*\Z")


@dataclass(frozen=True)
class CursorPlace:
    """The word being typed at the cursor and whether a statement may start there."""

    word: str
    word_start: int  # offset of the word in the text
    indentation: str  # the whitespace before the word on its line
    statement_start: bool  # only whitespace precedes the word on its line, outside any bracket
    in_string_or_comment: bool


def cursor_place(text: str, offset: int) -> CursorPlace:
    """Lexical facts about the position `offset` (a code-point offset into `text`)."""
    offset = max(0, min(offset, len(text)))
    before = text[:offset]
    word_start = offset
    while word_start > 0 and (before[word_start - 1].isalnum() or before[word_start - 1] in "_-"):
        word_start -= 1
    word = before[word_start:]
    line_start = max(before.rfind("\n", 0, word_start), before.rfind("\r", 0, word_start)) + 1
    prefix = before[line_start:word_start]
    inside, depth = _scan(before[_window_start(before) :])
    blank_prefix = not prefix.strip()
    continued = bool(_CONTINUATION.search(before[:word_start]))
    return CursorPlace(
        word=word,
        word_start=word_start,
        indentation=prefix if blank_prefix else "",
        statement_start=blank_prefix and depth == 0 and not inside and not continued,
        in_string_or_comment=inside,
    )


_TOP_LEVEL_STARTS = ("\ndef ", "\nasync def ", "\nclass ", "\n@", "\nimport ", "\nfrom ")


def _window_start(before: str) -> int:
    """Where the top-level statement holding the cursor starts: the scan begins there, so a
    keystroke costs the size of one function, not of the module. A candidate line inside a
    triple-quoted string (an odd number of triple quotes before it) is skipped."""
    end = len(before)
    while True:
        start = max(before.rfind(marker, 0, end) for marker in _TOP_LEVEL_STARTS)
        if start < 0:
            return 0
        if before.count('"""', 0, start) % 2 == 0 and before.count("'''", 0, start) % 2 == 0:
            return start + 1
        end = start


def _scan(before: str) -> tuple[bool, int]:
    """(the end of `before` is inside a string or comment, open bracket depth there)."""
    depth = 0
    inside = False
    end = len(before)
    for match in _TOKENS.finditer(before):
        kind = match.lastgroup
        if kind == "top":
            depth = 0  # a new top-level statement: brackets left open above were a typo
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif match.end() == end:
            inside = _reaches_cursor(match.group(), kind)
    return inside, depth


_SQ, _DQ = "'", '"'
_CLOSED = {
    "long": re.compile(
        "|".join(rf"{q * 3}(?:[^{q}\\]|\\.|{q}(?!{q * 2}))*{q * 3}" for q in (_SQ, _DQ)),
        re.DOTALL,
    ),
    "short": re.compile("|".join(rf"{q}(?:[^{q}\\\r\n]|\\.)*{q}" for q in (_SQ, _DQ)), re.DOTALL),
}


def _reaches_cursor(token: str, kind: str | None) -> bool:
    """A comment, or a string left open, that ends exactly at the cursor contains it."""
    if kind == "comment":
        return True
    closed = _CLOSED.get(kind or "")
    return closed is not None and closed.fullmatch(token) is None
