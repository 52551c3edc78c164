"""Edits, fix-all and noqa edits: minimal, non-overlapping, parse-preserving."""

from __future__ import annotations

import ast

import pytest
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import FixError, apply_edits, build_fix, fix_all, noqa_edit
from fastapi_practices.model import Position, Range, TextEdit

TWO_SLEEPS = (
    '"""Workers."""\n'
    "from __future__ import annotations\n"
    "\n"
    "import time\n"
    "\n"
    "\n"
    "async def a():\n"
    "    time.sleep(1)\n"
    "\n"
    "\n"
    "async def b():\n"
    "    x = [1,\n"
    "         2]  # keep me\n"
    "    time.sleep(\n"
    "        2,\n"
    "    )\n"
)


def _edit(sl: int, sc: int, el: int, ec: int, text: str) -> TextEdit:
    return TextEdit(Range(Position(sl, sc), Position(el, ec)), text)


def test_apply_edits_rejects_overlaps_and_merges_identical_insertions() -> None:
    text = "abc\ndef\n"
    with pytest.raises(FixError):
        apply_edits(text, [_edit(0, 0, 0, 2, "x"), _edit(0, 1, 0, 3, "y")])
    same = _edit(1, 0, 1, 0, "import asyncio\n")
    assert apply_edits(text, [same, same]) == "abc\nimport asyncio\ndef\n"


def test_fix_all_fixes_every_safe_finding_keeps_formatting_and_is_idempotent() -> None:
    result = fix_all(TWO_SLEEPS)
    assert result.applied == 2
    assert result.remaining == []
    assert result.text.count("import asyncio\n") == 1
    assert "from __future__ import annotations\n\nimport time\nimport asyncio\n" in result.text
    assert "    await asyncio.sleep(\n        2,\n    )\n" in result.text
    assert "         2]  # keep me\n" in result.text
    ast.parse(result.text)
    again = fix_all(result.text)
    assert again.applied == 0 and again.text == result.text


def test_fix_keeps_crlf_line_endings() -> None:
    text = "import time\r\n\r\n\r\nasync def a():\r\n    time.sleep(1)\r\n"
    fixed = fix_all(text).text
    assert fixed == (
        "import time\r\nimport asyncio\r\n\r\n\r\nasync def a():\r\n    await asyncio.sleep(1)\r\n"
    )


def test_import_goes_after_a_docstring_when_there_are_no_imports() -> None:
    text = '"""Doc."""\nfrom time import sleep\nasync def a():\n    sleep(1)'
    fixed = fix_all(text).text
    assert fixed.startswith('"""Doc."""\nfrom time import sleep\nimport asyncio\n')
    assert fixed.endswith("    await asyncio.sleep(1)")


def test_no_fix_when_the_import_name_is_taken_by_something_else() -> None:
    text = "import time\nasyncio = None\n\nasync def a():\n    time.sleep(1)\n"
    [finding] = analyze(text)
    assert build_fix(text, finding) is None
    assert fix_all(text).text == text


def test_await_is_parenthesised_where_a_postfix_follows() -> None:
    text = "import asyncio\nimport time\n\nasync def a():\n    return time.sleep(1).real\n"
    fixed = fix_all(text).text
    assert "    return (await asyncio.sleep(1)).real\n" in fixed
    ast.parse(fixed)


def test_noqa_edit_adds_or_extends_the_comment() -> None:
    text = "import time\nasync def a():\n    time.sleep(1)\n"
    [finding] = analyze(text)
    edit = noqa_edit(text, finding)
    assert apply_edits(text, [edit]).splitlines()[2] == "    time.sleep(1)  # noqa: FBP201"
    text2 = "import time\nasync def a():\n    time.sleep(1)  # noqa: FBP504\n"
    [finding2] = analyze(text2)
    edited = apply_edits(text2, [noqa_edit(text2, finding2)])
    assert edited.splitlines()[2] == "    time.sleep(1)  # noqa: FBP504, FBP201"
    assert analyze(edited) == []
