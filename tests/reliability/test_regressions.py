"""One test per bug the reliability harness found (see issue 8), so each stays fixed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest
from fastapi_practices.config import ConfigError, Settings, load_project
from fastapi_practices.engine import analyze
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.fixes import apply_edits, build_fix, build_workspace_fix, fix_all
from fastapi_practices.lsp.server import create_server

from fuzz.seeds import REPO


def _only(*codes: str) -> Settings:
    return Settings(select=codes)


def _fix_all(text: str, code: str, path: Path | None = None) -> str:
    return fix_all(text, path, _only(code), unsafe=True).text


# ----- engine --------------------------------------------------------------------------------


def test_deep_but_valid_nesting_is_one_clear_finding() -> None:
    """500 nested lambdas parse, but are deeper than the traversal follows (RecursionError)."""
    findings = analyze("f = " + "lambda: " * 500 + "0\n")
    assert [(f.code, f.message) for f in findings] == [
        ("FBP001", "Cannot check file: the code nests too deeply for fastapi-practices to follow")
    ]


def test_too_deep_for_the_parser_says_so() -> None:
    """The parser's MemoryError used to come out as "Cannot parse file: MemoryError"."""
    (finding,) = analyze("x = " + "-" * 100_000 + "1\n")
    assert finding.message == "Cannot parse file: the code nests too deeply for Python's parser"


def test_a_name_bound_many_times_is_resolved_once_per_binding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`router = APIRouter()` repeated made every route resolve every binding of every name:
    a 50,000-line file took hours. The work must grow linearly with the copies."""
    module = (REPO / "examples/shop/src/products/router.py").read_text(encoding="utf-8")
    calls = 0
    original = Resolver._binding_qualname

    def counting(self: Resolver, *args: object) -> object:
        nonlocal calls
        calls += 1
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Resolver, "_binding_qualname", counting)
    counts = []
    for copies in (10, 40):
        calls = 0
        analyze(module * copies, None, Settings())
        counts.append(calls)
    assert counts[1] < counts[0] * 4 * 1.5


def test_warnings_about_the_analysed_code_stay_quiet(tmp_path: Path) -> None:
    """`"\\d"` and `1if x` made the parser print SyntaxWarnings on stderr, and under
    `-W error` turned valid code into FBP001."""
    target = tmp_path / "odd.py"
    target.write_text('import re\nPATTERN = "\\d+"\nx = 1if True else 2\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "w"\n', encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-m", "fastapi_practices", "check", "--no-cache",
         "--select", "FBP001", str(target)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (completed.returncode, completed.stderr) == (0, "")


# ----- configuration -------------------------------------------------------------------------


def test_deeply_nested_pyproject_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nx = " + "[" * 600 + "]" * 600)
    with pytest.raises(ConfigError, match=r"pyproject\.toml: cannot read: nested too deeply"):
        load_project(tmp_path / "main.py")
    pyproject = tmp_path / "pyproject.toml"
    assert analyze(pyproject.read_text(), pyproject, _only("FBP901")) == []


@pytest.mark.parametrize("selector", ["", "F", "FB"])
def test_a_fragment_of_a_code_is_unknown(tmp_path: Path, selector: str) -> None:
    """`ignore = [""]` silently meant every rule."""
    (tmp_path / "pyproject.toml").write_text(f'[tool.fastapi-practices]\nignore = ["{selector}"]\n')
    with pytest.raises(ConfigError, match="unknown rule code or prefix"):
        load_project(tmp_path / "main.py")


# ----- fixes ---------------------------------------------------------------------------------


def test_multi_line_rewrites_keep_crlf() -> None:
    """LibCST wrote the line breaks inside a rewritten call with LF."""
    text = "import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(\r\n        1\r\n    )\r\n"
    fixed = _fix_all(text, "FBP201")
    assert "await asyncio.sleep(\r\n        1\r\n    )\r\n" in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_split_settings_import_keeps_crlf() -> None:
    text = "from pydantic import (\r\n    BaseModel,\r\n    BaseSettings,\r\n)\r\n"
    fixed = _fix_all(text, "FBP307")
    assert "from pydantic_settings import BaseSettings" in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_ruff_fix_keeps_crlf_and_undoes_an_ignore() -> None:
    """The fix added lines with LF, and left `ignore = ["FAST"]`, so the finding stayed."""
    text = '[project]\r\ndependencies = ["fastapi"]\r\n\r\n[tool.ruff.lint]\r\nselect = ["ALL"]\r\n'
    text += 'ignore = ["FAST", "D"]\r\n'
    path = Path("pyproject.toml")
    fixed = _fix_all(text, "FBP901", path)
    assert "\n" not in fixed.replace("\r\n", "")
    assert 'ignore = ["D"]' in fixed
    assert analyze(fixed, path, _only("FBP901")) == []


def test_return_annotation_with_old_mac_line_ends() -> None:
    """With lone CR line ends the annotation landed inside a comment, again on each run."""
    text = (
        "from fastapi import APIRouter\rfrom pydantic import BaseModel\r\rrouter = APIRouter()\r"
        "class Item(BaseModel):\r    id: int\r@router.post('/items')\rasync def create_item(\r"
        "    item_id: int,  # the id\r):\r    return Item(id=item_id)\r"
    )
    fixed = _fix_all(text, "FBP703")
    assert "  # the id\r) -> Item:\r" in fixed
    assert _fix_all(fixed, "FBP703") == fixed


@pytest.mark.parametrize(
    "text",
    [
        "# note\x0c more\n[alembic]\nscript_location = migrations\nfile_template = %%(rev)s\n",
        "# \u2028\n[alembic]\nscript_location = migrations\nfile_template = %%(rev)s_%%(slug)s\n",
        "[alembic]\rscript_location = migrations\rfile_template = %%(rev)s\r",
        "[alembic]\nfile_template = %%(year)d_%%(slug)s\n[alembic]\nfile_template = %%(rev)s\n",
    ],
    ids=["form-feed", "line-separator", "lone-cr", "repeated-section"],
)
def test_alembic_template_fix_lands_where_the_value_is(text: str) -> None:
    """Lines were counted with str.splitlines (edits off by lines, or past the end); a lone CR
    was not a line end for the check; the first of two [alembic] sections was edited."""
    path = Path("alembic.ini")
    (finding,) = analyze(text, path, _only("FBP606"))
    edits = build_fix(text, finding, None, path)
    assert edits
    assert analyze(apply_edits(text, edits), path, _only("FBP606")) == []


def test_naming_convention_goes_before_a_decorated_method() -> None:
    text = (
        "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n"
        "    @classmethod\n    def make(cls):\n        return cls()\n"
    )
    fixed = _fix_all(text, "FBP601")
    assert "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\n    @classmethod\n" in (
        fixed
    )


@pytest.mark.parametrize(
    "header",
    ["#!/usr/bin/env python\n", "# -*- coding: utf-8 -*-\n", "#!/bin/python\n# coding=utf-8\n"],
)
def test_imports_go_below_a_shebang_and_an_encoding_line(header: str) -> None:
    text = header + "X = 1\nimport time\n\n\nasync def f():\n    time.sleep(1)\n"
    assert _fix_all(text, "FBP201").startswith(header + "import asyncio\n")


def test_imports_go_below_a_backslash_continuation() -> None:
    text = (
        "from fastapi import HTTPException\nfrom app.models import Post\\\n\n\n"
        "def f():\n    raise HTTPException(status_code=404)\n"
    )
    fixed = _fix_all(text, "FBP504")
    assert "from fastapi import status" in fixed
    compile(fixed, "<fixed>", "exec")


def test_a_quick_fix_that_would_break_the_file_is_not_offered() -> None:
    """On code `ast` accepts but Python rejects, FBP306's fix wrote `json_encoders=* {...}`."""
    text = (
        "from datetime import date\nfrom pydantic import BaseModel\n\n\nclass Report(BaseModel):\n"
        "    day: date\n\n    class Config:\n        json_encoders =* {date: str}\n"
    )
    (finding,) = analyze(text, None, _only("FBP306"))
    assert build_workspace_fix(text, finding, None, verify=True) is None


# ----- language server -----------------------------------------------------------------------


async def test_finished_handlers_are_forgotten() -> None:
    """pygls kept the future (and the parameters) of every notification: memory grew with
    every keystroke."""
    protocol = create_server().protocol

    async def handler(value: int) -> int:
        return value

    def builtin(value: int):  # type: ignore[no-untyped-def]
        result = yield handler, (value,), None
        return result

    protocol._execute_handler("plain", handler, lambda future: None, (1,))
    protocol._execute_handler("generator", builtin, lambda future: None, (2,))
    for _ in range(5):
        await asyncio.sleep(0)
    assert protocol._request_futures == {}


def test_a_late_answer_is_dropped_quietly() -> None:
    """A client answering after the server stopped waiting raised InvalidStateError."""
    protocol = create_server().protocol
    future: Future[object] = Future()
    future.cancel()
    protocol._request_futures["configuration-1"] = future
    protocol._handle_response("configuration-1", result=[{}])
    assert "configuration-1" not in protocol._request_futures
