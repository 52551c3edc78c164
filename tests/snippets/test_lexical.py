"""Where the cursor is: strings, comments, brackets and the word typed, in unparsable text."""

from __future__ import annotations

import pytest
from fastapi_practices.snippets.lexical import CursorPlace, cursor_place

CURSOR = "|"


def place(marked: str) -> CursorPlace:
    offset = marked.index(CURSOR)
    return cursor_place(marked.replace(CURSOR, "", 1), offset)


@pytest.mark.parametrize(
    "marked",
    [
        "x = 1\n# a comment fbp|",
        'x = "fbp|',
        "x = 'a' + 'fbp|",
        'x = """doc\n\nfbp|',
        "def f():\n    '''\n    fbp|",
        'x = f"{y} fbp|',
        "x = 1  # fbp|",
    ],
)
def test_inside_a_string_or_comment(marked: str) -> None:
    found = place(marked)
    assert found.in_string_or_comment
    assert not found.statement_start


@pytest.mark.parametrize(
    "marked",
    [
        "fbp|",
        "x = 'done'\nfbp-ge|",
        'x = """a\n"""\n\nfbp|',
        "def f(:\n    broken(\n\n\ndef g():\n    pass\n\nfbp|",
        "s = 'a\\'b'\nfbp|",
        "x = '#not a comment'\nfbp|",
        "class A:\n    fbp-get|",
    ],
)
def test_a_statement_may_start(marked: str) -> None:
    found = place(marked)
    assert found.statement_start
    assert not found.in_string_or_comment
    assert found.word.startswith("fbp")


@pytest.mark.parametrize(
    "marked",
    ["x = call(\n    fbp|", "items = [\n    1,\n    fbp|", "x = fbp|", "y = 1 + \\\n    fbp|"],
)
def test_inside_an_expression_no_statement_starts(marked: str) -> None:
    found = place(marked)
    assert not found.statement_start
    assert not found.in_string_or_comment


def test_the_word_and_its_indentation() -> None:
    found = place("class A:\n    fbp-ro|ut")
    assert found.word == "fbp-ro"
    assert found.indentation == "    "
    assert found.word_start == len("class A:\n    ")
