"""`check` analyses every file against its project's workspace index."""

from __future__ import annotations

import json
import pickle
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi_practices.cli_support import indexes as indexes_module
from fastapi_practices.cli_support import progress as progress_module
from fastapi_practices.cli_support.discovery import discover
from fastapi_practices.cli_support.indexes import ProjectIndexes, build_index
from fastapi_practices.cli_support.projects import ProjectResolver
from fastapi_practices.cli_support.runner import POOL_THRESHOLD
from fastapi_practices.cli_support.selection import RuleSelection
from fastapi_practices.engine import analyze
from fastapi_practices.engine.data_files import data_file_names
from fastapi_practices.workspace import FileSystemWorkspace

from tests.cli.helpers import project, run

CaptureFixture = pytest.CaptureFixture[str]
SEED_LIKE = Path(__file__).parent.parent / "fixtures" / "workspace" / "seed_like"
JSON_KEYS = {
    "code",
    "end_location",
    "filename",
    "fix",
    "location",
    "message",
    "name",
    "noqa_row",
    "severity",
    "url",
}

ROUTING = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
NOT_A_ROUTER = "class Router:\n    pass\n\n\nrouter = Router()\n"
VIEW = (
    "from app.routing import router\n"
    "\n"
    "\n"
    '@router.get("/items")\n'
    "async def items():\n"
    "    try:\n"
    "        return load()\n"
    "    except Exception:\n"
    "        return []\n"
)
BROAD_EXCEPT = '[tool.fastapi-practices]\nselect = ["FBP505"]\n'


def _seed_like(tmp_path: Path) -> Path:
    target = tmp_path / "seed_like"
    shutil.copytree(SEED_LIKE, target)
    return target


def _cli_json(capsys: CaptureFixture, *argv: str) -> list[dict[str, Any]]:
    result = run(capsys, "check", "--format", "json", "--exit-zero", *argv)
    assert result.code == 0
    rows: list[dict[str, Any]] = json.loads(result.out)
    return rows


def _key(code: str, row: int, column: int, end_row: int, end_column: int) -> tuple[Any, ...]:
    return (code, row, column, end_row, end_column)


def test_cli_findings_equal_the_engine_with_the_same_index(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    root = _seed_like(tmp_path)
    rows = _cli_json(capsys, "--jobs", "1", str(root))
    assert rows, "the seed-like project breaks rules on purpose"
    assert all(set(row) == JSON_KEYS for row in rows)
    from_cli: dict[Path, list[tuple[Any, ...]]] = {}
    for row in rows:
        start, end = row["location"], row["end_location"]
        key = _key(row["code"], start["row"], start["column"], end["row"], end["column"])
        from_cli.setdefault(Path(row["filename"]).resolve(), []).append(key)

    found = discover([str(root)], ProjectResolver(RuleSelection()), extra_names=data_file_names())
    settings = found.files[0].project.settings
    index = build_index(found.files[0].project.root, settings)
    from_engine: dict[Path, list[tuple[Any, ...]]] = {}
    for source in found.files:
        text = source.path.read_text(encoding="utf-8")
        for finding in analyze(text, source.path, settings, workspace=index):
            start, end = finding.range.start, finding.range.end
            key = _key(finding.code, start.line + 1, start.column + 1, end.line + 1, end.column + 1)
            from_engine.setdefault(source.path.resolve(), []).append(key)
    assert len(found.files) == len(list(root.rglob("*.py"))) + 1  # and pyproject.toml
    assert {path: sorted(keys) for path, keys in from_cli.items()} == {
        path: sorted(keys) for path, keys in from_engine.items()
    }


def test_a_router_from_another_module_makes_a_path_operation(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    project(tmp_path, {"app/routing.py": ROUTING, "app/views.py": VIEW}, BROAD_EXCEPT)
    rows = _cli_json(capsys, str(tmp_path))
    assert [(Path(r["filename"]).name, r["code"]) for r in rows] == [("views.py", "FBP505")]


def test_no_path_operation_when_the_other_router_is_not_an_api_router(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    project(tmp_path, {"app/routing.py": NOT_A_ROUTER, "app/views.py": VIEW}, BROAD_EXCEPT)
    assert _cli_json(capsys, str(tmp_path)) == []


def _many_views(root: Path, count: int) -> None:
    files = {"app/routing.py": ROUTING}
    files.update({f"app/views_{n:02d}.py": "\n" * (n % 3) + VIEW for n in range(count)})
    project(root, files, BROAD_EXCEPT)


def test_the_pool_sees_the_index_like_the_serial_path(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    count = POOL_THRESHOLD + 4
    _many_views(tmp_path, count)
    serial = run(capsys, "check", "--jobs", "1", "--format", "json", str(tmp_path))
    pooled = run(capsys, "check", "--jobs", "2", "--format", "json", str(tmp_path))
    assert serial.code == pooled.code == 1
    assert pooled.err == serial.err == ""
    assert pooled.out == serial.out
    assert [row["code"] for row in json.loads(pooled.out)] == ["FBP505"] * count


def test_no_index_is_built_while_no_enabled_rule_needs_one(tmp_path: Path) -> None:
    project(tmp_path, {"app/routing.py": ROUTING}, BROAD_EXCEPT)
    settings = ProjectResolver(RuleSelection()).for_directory(tmp_path, tmp_path).settings
    assert not indexes_module.needs_index(settings)
    assert isinstance(ProjectIndexes({tmp_path: settings}).get(tmp_path), FileSystemWorkspace)


def test_a_pickled_index_set_builds_each_index_once_on_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexes_module, "needs_index", lambda settings: True)
    project(tmp_path, {"app/routing.py": ROUTING}, BROAD_EXCEPT)
    settings = ProjectResolver(RuleSelection()).for_directory(tmp_path, tmp_path).settings
    indexes = ProjectIndexes({tmp_path: settings})
    indexes.build_all()
    shipped = pickle.loads(pickle.dumps(indexes))
    first = shipped.get(tmp_path)
    assert shipped.get(tmp_path) is first
    assert first is not indexes.get(tmp_path)
    assert first.modules == indexes.get(tmp_path).modules == ("app.routing",)


def test_large_runs_show_one_progress_line_on_a_terminal(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexes_module, "needs_index", lambda settings: True)
    _many_views(tmp_path, 3)
    quiet = run(capsys, "check", "--format", "concise", str(tmp_path))
    monkeypatch.setattr(progress_module, "LARGE_RUN", 2)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    shown = run(capsys, "check", "--no-cache", "--format", "concise", str(tmp_path))
    assert shown.out == quiet.out
    assert quiet.err == ""
    assert "\rindexing 4/4 files" in shown.err
    assert "\rchecking 5/5 files" in shown.err  # pyproject.toml is checked, not indexed
    assert "\n" not in shown.err
    last_line = shown.err.rsplit("\r", 2)
    assert last_line[-1] == "" and last_line[-2].strip() == ""


def test_no_progress_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_views(tmp_path, 3)
    monkeypatch.setattr(progress_module, "LARGE_RUN", 2)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    result = run(capsys, "check", "--format", "concise", str(tmp_path))
    assert result.err == ""
    assert "\r" not in result.out


def test_small_runs_show_no_progress_even_on_a_terminal(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_views(tmp_path, 3)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert run(capsys, "check", "--format", "concise", str(tmp_path)).err == ""
