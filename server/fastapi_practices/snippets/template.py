"""The LSP snippet syntax the catalog is written in, and its expansion into plain text.

Snippets use the subset every snippet client understands: tab stops (`$1`, `${1}`), placeholders
(`${1:default}`, nestable), choices (`${1|a,b|}`) and `$0`. Expanding with defaults gives the
text a user gets by pressing Tab through every stop: each placeholder becomes its default, a
choice its first option, and a mirrored stop (`$1` after `${1:x}`) the same default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ESCAPABLE = "$}\\"
_CHOICE_ESCAPABLE = "$}\\,|"


class SnippetSyntaxError(ValueError):
    """A catalog template that is not valid snippet syntax (a bug in the catalog)."""


def escape(text: str) -> str:
    """Literal text for a snippet body: `$`, `}` and `\\` would otherwise mean syntax."""
    return "".join(f"\\{char}" if char in _ESCAPABLE else char for char in text)


class _Parser:
    def __init__(self, body: str) -> None:
        self.body = body
        self.index = 0
        self.defaults: dict[int, str] = {}

    def error(self, message: str) -> SnippetSyntaxError:
        return SnippetSyntaxError(f"{message} at offset {self.index} of {self.body!r}")

    def sequence(self, stop: str = "") -> str:
        """Text up to an unescaped `stop` character (not consumed), or to the end."""
        parts: list[str] = []
        body = self.body
        while self.index < len(body):
            char = body[self.index]
            if stop and char == stop:
                return "".join(parts)
            if char == "\\" and self.index + 1 < len(body) and body[self.index + 1] in _ESCAPABLE:
                parts.append(body[self.index + 1])
                self.index += 2
            elif char == "$":
                parts.append(self.dollar())
            else:
                parts.append(char)
                self.index += 1
        if stop:
            raise self.error(f"missing {stop!r}")
        return "".join(parts)

    def dollar(self) -> str:
        body = self.body
        self.index += 1
        digits = re.match(r"\d+", body[self.index :])
        if digits is not None:
            self.index += digits.end()
            return self.defaults.get(int(digits.group()), "")
        if not body.startswith("{", self.index):
            raise self.error("a `$` that starts nothing (escape it as `\\$`)")
        self.index += 1
        digits = re.match(r"\d+", body[self.index :])
        if digits is None:
            raise self.error("only numbered tab stops are used in the catalog")
        number = int(digits.group())
        self.index += digits.end()
        char = body[self.index : self.index + 1]
        if char == "}":
            self.index += 1
            return self.defaults.get(number, "")
        if char == ":":
            self.index += 1
            value = self.sequence("}")
            self.index += 1
            self.defaults.setdefault(number, value)
            return self.defaults[number]
        if char == "|":
            self.index += 1
            value = self.choice()
            self.defaults.setdefault(number, value)
            return self.defaults[number]
        raise self.error("a malformed tab stop")

    def choice(self) -> str:
        options: list[str] = []
        current: list[str] = []
        body = self.body
        while self.index < len(body):
            char = body[self.index]
            if char == "\\" and body[self.index + 1 : self.index + 2] in tuple(_CHOICE_ESCAPABLE):
                current.append(body[self.index + 1])
                self.index += 2
            elif char == ",":
                options.append("".join(current))
                current = []
                self.index += 1
            elif char == "|":
                if not body.startswith("}", self.index + 1):
                    raise self.error("a choice must end with `|}`")
                options.append("".join(current))
                self.index += 2
                return options[0]
            else:
                current.append(char)
                self.index += 1
        raise self.error("an unfinished choice")


def expand_defaults(body: str, values: Mapping[int, str] | None = None) -> str:
    """The plain text of a snippet with every stop at its default, or at `values[stop]`."""
    first = _Parser(body)
    first.defaults.update(values or {})
    first.sequence()
    # A second pass, so that a mirror placed before its placeholder gets the default too.
    second = _Parser(body)
    second.defaults = first.defaults
    return second.sequence()


def validate(body: str) -> None:
    """Raise SnippetSyntaxError when `body` is not valid snippet syntax."""
    expand_defaults(body)


def indent_body(body: str, indentation: str) -> str:
    """`body` with every line after the first indented by `indentation` (blank lines stay empty)."""
    if not indentation:
        return body
    lines = body.split("\n")
    return "\n".join([lines[0], *(f"{indentation}{line}" if line else line for line in lines[1:])])
