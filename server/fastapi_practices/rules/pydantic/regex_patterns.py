"""Turning `re.match/fullmatch/search(P, v)` into an equivalent `Field(pattern=...)`.

pydantic v2 checks `pattern` with Rust's `regex` crate by default, which searches (unanchored)
and rejects Python-only syntax such as look-arounds and back-references; with
`regex_engine='python-re'` it calls `re.match`. A pattern that starts with `^` and has no
top-level `|` means the same under both engines, so that is the only shape produced.
"""

from __future__ import annotations

import re
import string

# Escapes of letters both engines read the same way.
_SHARED_LETTER_ESCAPES = frozenset("dDwWsSbBAntrfvxuU")
_CLASS_LETTER_ESCAPES = frozenset("dDwWsSntrfvxuU")
_PUNCTUATION = frozenset(string.punctuation)
_QUANTITY = re.compile(r"\{\d+(?:,\d*)?\}")
_SCOPED_FLAGS = re.compile(r"[imsx]*(?:-[imsx]+)?:")
_GLOBAL_FLAGS = re.compile(r"[imsx]+\)")
_NAMED_GROUP = re.compile(r"P?<[A-Za-z_]\w*>")


def field_pattern_affixes(pattern: str, how: str) -> tuple[str, str] | None:
    """Text to put before and after `pattern` so that `Field(pattern=...)` accepts exactly what
    `re.<how>(pattern, value)` accepts; None when no faithful equivalent exists."""
    if not rust_compatible(pattern):
        return None
    alternation = has_top_level_alternation(pattern)
    anchored = pattern.startswith("^") and not alternation
    if how == "search":
        return ("", "") if anchored else None
    if how not in ("match", "fullmatch"):
        return None
    ends = _ends_with_dollar(pattern) and not alternation
    prefix, suffix = ("", "") if anchored else ("^", "")
    if alternation:
        prefix, suffix = "^(?:", ")"
    if how == "fullmatch" and not ends:
        suffix += "$"
    if (prefix or suffix) and not rust_compatible(prefix + pattern + suffix):
        return None
    return prefix, suffix


def _ends_with_dollar(pattern: str) -> bool:
    if not pattern.endswith("$"):
        return False
    backslashes = len(pattern[:-1]) - len(pattern[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def has_top_level_alternation(pattern: str) -> bool:
    depth = 0
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index = _skip_class_start(pattern, index + 1)
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


def _skip_class_start(pattern: str, index: int) -> int:
    """Past a leading `^` and a leading literal `]` of a character class."""
    if pattern[index : index + 1] == "^":
        index += 1
    if pattern[index : index + 1] == "]":
        index += 1
    return index


def rust_compatible(pattern: str) -> bool:
    """Conservatively: the pattern uses only syntax that Python's `re` and Rust's `regex`
    read the same way. The scan runs first so that `re` never warns about what it sees."""
    if not _shared_syntax(pattern):
        return False
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return False
    return True


def _shared_syntax(pattern: str) -> bool:
    index = 0
    in_class = False
    after_quantifier = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            following = pattern[index + 1 : index + 2]
            allowed = _CLASS_LETTER_ESCAPES if in_class else _SHARED_LETTER_ESCAPES
            if following not in allowed and following not in _PUNCTUATION:
                return False
            index += 2
            after_quantifier = False
            continue
        if in_class:
            if char == "[" or pattern.startswith(("&&", "--", "~~", "||"), index):
                return False
            in_class = char != "]"
            index += 1
            continue
        if after_quantifier and char in "*+{":
            return False
        after_quantifier = False
        if char == "[":
            in_class = True
            index = _skip_class_start(pattern, index + 1)
            continue
        if char == "(" and pattern.startswith("(?", index):
            rest = pattern[index + 2 :]
            global_flags = index == 0 and _GLOBAL_FLAGS.match(rest)
            if not (
                rest.startswith(":")
                or _NAMED_GROUP.match(rest)
                or _SCOPED_FLAGS.match(rest)
                or global_flags
            ):
                return False
        if char == "{":
            quantity = _QUANTITY.match(pattern, index)
            if quantity is None:
                return False
            index = quantity.end()
            after_quantifier = True
            continue
        if char in "*+?":
            after_quantifier = True
        index += 1
    return True
