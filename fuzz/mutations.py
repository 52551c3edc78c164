"""Ways to break a source text: truncation, token noise, brackets, indentation, odd characters,
and the giant inputs (a 5 MB line, nesting 500 deep, a 50k-line file).

Every mutation is deterministic for a given `random.Random`, so a failure can be replayed from
its seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

Mutation = Callable[[str, random.Random], str]

_TOKEN = re.compile(r"\w+|[ \t]+|\r\n|\r|\n|.", re.DOTALL)
TOKEN_POOL = (
    "async", "await", "def", "class", "lambda", "yield", "return", "raise", "import", "from",
    "with", "for", "in", "if", "else", "elif", "try", "except", "finally", "match", "case",
    "type", "global", "nonlocal", "del", "pass", "not", "is", "None", "*", "**", "@", ":",
    ":=", "->", "=", ",", ".", "...", ";", "\\", "#", "'", '"', '"""', "f'", "(", ")", "[",
    "]", "{", "}", "\n", "\n    ", "\t", " ", "0x", "1e", "Depends(", "time.sleep(",
    "HTTPException(", "status_code=", "APIRouter(", "BaseModel", "Session", "select(",
    "router.get('/{id}')", "# noqa: FBP201", "# fastapi-practices: ignore-file=FBP2",
)  # fmt: skip
ODD_CHARACTERS = (
    "\x00", "\ufeff", "\u2028", "\x0c", "\r", "\x1b", "\udc80", "\ud83d", "é", "😀", "\u200b",
    "\x85", "\t", "\v",
)  # fmt: skip
BRACKETS = "()[]{}"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def truncations(text: str, every: int) -> Iterator[str]:
    """The text cut after every `every`-th byte of its UTF-8 form (a split character is
    dropped, as a decoder that ignores errors would)."""
    data = text.encode("utf-8", errors="surrogatepass")
    for end in range(every, len(data), every):
        yield data[:end].decode("utf-8", errors="ignore")


def delete_token(text: str, rng: random.Random) -> str:
    parts = tokens(text)
    if not parts:
        return text
    del parts[rng.randrange(len(parts))]
    return "".join(parts)


def insert_token(text: str, rng: random.Random) -> str:
    parts = tokens(text)
    parts.insert(rng.randrange(len(parts) + 1), rng.choice(TOKEN_POOL))
    return "".join(parts)


def replace_token(text: str, rng: random.Random) -> str:
    parts = tokens(text)
    if not parts:
        return rng.choice(TOKEN_POOL)
    parts[rng.randrange(len(parts))] = rng.choice(TOKEN_POOL)
    return "".join(parts)


def unbalance(text: str, rng: random.Random) -> str:
    """Add a stray bracket, or remove one that was there."""
    positions = [i for i, char in enumerate(text) if char in BRACKETS]
    if positions and rng.random() < 0.5:
        at = rng.choice(positions)
        return text[:at] + text[at + 1 :]
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(BRACKETS) + text[at:]


def mix_indentation(text: str, rng: random.Random) -> str:
    """Turn the leading spaces of some lines into tabs (or tabs into spaces)."""
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if rng.random() < 0.3:
            stripped = line.lstrip(" \t")
            indent = line[: len(line) - len(stripped)]
            if "\t" in indent:
                indent = indent.replace("\t", " " * rng.choice((1, 4, 8)))
            else:
                indent = indent.replace("    ", "\t", rng.randint(1, 3))
            lines[number] = indent + stripped
    return "".join(lines)


def odd_character(text: str, rng: random.Random) -> str:
    """A NUL, a lone surrogate, a BOM in the middle, a form feed, a lone CR, ..."""
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(ODD_CHARACTERS) + text[at:]


def shuffle_lines(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return text
    first, second = rng.sample(range(len(lines)), 2)
    lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


def reindent_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    number = rng.randrange(len(lines))
    lines[number] = " " * rng.choice((0, 1, 2, 4, 8, 12)) + lines[number].lstrip(" \t")
    return "".join(lines)


def crlf(text: str, rng: random.Random) -> str:
    """Windows or old-Mac line endings, on every line or only some."""
    ending = rng.choice(("\r\n", "\r"))
    if rng.random() < 0.5:
        return text.replace("\n", ending)
    return "".join(
        line[:-1] + ending if line.endswith("\n") and rng.random() < 0.5 else line
        for line in text.splitlines(keepends=True)
    )


HEADERS = (
    "#!/usr/bin/env python\n",
    "# -*- coding: utf-8 -*-\n",
    "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n",
    '"""A module docstring."""\n',
    "from __future__ import annotations\n",
)


def prepend_header(text: str, rng: random.Random) -> str:
    """A shebang, an encoding declaration, a docstring or a `__future__` import on top."""
    return rng.choice(HEADERS) + text


MUTATIONS: dict[str, Mutation] = {
    "prepend-header": prepend_header,
    "delete-token": delete_token,
    "insert-token": insert_token,
    "replace-token": replace_token,
    "unbalance": unbalance,
    "mix-indentation": mix_indentation,
    "odd-character": odd_character,
    "shuffle-lines": shuffle_lines,
    "reindent-line": reindent_line,
    "crlf": crlf,
}


def mutate(text: str, rng: random.Random, rounds: int = 1) -> tuple[str, list[str]]:
    """`rounds` random mutations in a row, and their names."""
    applied = []
    for _ in range(rounds):
        name = rng.choice(sorted(MUTATIONS))
        text = MUTATIONS[name](text, rng)
        applied.append(name)
    return text, applied


def splice(text: str, other: str, rng: random.Random) -> str:
    """Some lines of `other` pasted somewhere into `text`."""
    theirs = other.splitlines(keepends=True)
    ours = text.splitlines(keepends=True)
    if not theirs:
        return text
    start = rng.randrange(len(theirs))
    chunk = theirs[start : start + rng.randint(1, 8)]
    at = rng.randrange(len(ours) + 1)
    return "".join(ours[:at] + chunk + ours[at:])


# Giant inputs --------------------------------------------------------------------------------

FIVE_MB = 5_000_000
DEPTH = 500


def giant_inputs(sample: str) -> dict[str, str]:
    """Inputs at the limits. `sample` (a realistic module) is repeated for the long file."""
    body = sample if sample.endswith("\n") else sample + "\n"
    repeats = 50_000 // max(body.count("\n"), 1) + 1
    long_file = "".join(body for _ in range(repeats))
    return {
        "5mb-expression-line": "x = " + "1 + " * (FIVE_MB // 4) + "1\n",
        "5mb-string-line": "x = '" + "a" * FIVE_MB + "'\n",
        "5mb-call-line": "f(" + "a, " * (FIVE_MB // 3) + ")\n",
        "5mb-comment-line": "# " + "noqa: FBP201 " * (FIVE_MB // 13) + "\n",
        "5mb-no-newline": "import time\nasync def f():\n    time.sleep(" + "1" * FIVE_MB + ")",
        "nested-parentheses": "x = " + "(" * DEPTH + "1" + ")" * DEPTH + "\n",
        "nested-lists": "x = " + "[" * DEPTH + "]" * DEPTH + "\n",
        "nested-blocks": "".join("    " * i + "if x:\n" for i in range(DEPTH))
        + "    " * DEPTH
        + "pass\n",
        "nested-async-defs": "".join(" " * i + f"async def f{i}():\n" for i in range(DEPTH))
        + " " * DEPTH
        + "time.sleep(1)\n",
        "nested-elif": "if a:\n    pass\n"
        + "".join(f"elif a == {i}:\n    time.sleep({i})\n" for i in range(DEPTH * 10)),
        "nested-attributes": "x = a" + ".b" * DEPTH * 10 + "\n",
        "nested-calls": "x = f" + "()" * DEPTH * 10 + "\n",
        "nested-subscripts": "x = a" + "[0]" * DEPTH * 10 + "\n",
        "nested-binary": "x = " + " + ".join(["a"] * DEPTH * 10) + "\n",
        "nested-not": "x = " + "not " * DEPTH + "a\n",
        "nested-lambdas": "f = " + "lambda: " * DEPTH + "0\n",
        "nested-awaits": "async def f():\n    return " + "await " * DEPTH + "g()\n",
        "nested-decorators": "".join(f"@d{i}\n" for i in range(DEPTH * 10))
        + "async def f():\n    pass\n",
        "nested-depends": "from fastapi import Depends\n\nx = "
        + "Depends(" * DEPTH
        + "f"
        + ")" * DEPTH
        + "\n",
        "50k-lines": long_file,
        "50k-blank-lines": "\n" * 50_000 + "import time\nasync def f():\n    time.sleep(1)\n",
    }
