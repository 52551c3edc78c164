"""The workspace's code is read, never run: neither by `check` (also with `--fix`) nor by the
server, even when started in the project's folder where `python -m` would let the project's
own `tokenize.py` or `libcst.py` stand in for the real modules."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.wire import RawServer

# Modules the tool imports, some only lazily (when a fix is built): a project file of the same
# name must never be picked up instead.
SHADOWS = ("tokenize", "difflib", "configparser", "textwrap", "libcst", "tomlkit", "pathspec")
MARKER_CODE = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n"
ROUTE = (
    "import time\n"
    "from fastapi import APIRouter, Depends, HTTPException\n"
    "\n"
    "router = APIRouter()\n"
    "\n"
    "\n"
    "def get_db():\n"
    "    return None\n"
    "\n"
    "\n"
    '@router.get("/items/{item_id}")\n'
    "async def read_item(item_id: int, db=Depends(get_db())):\n"
    "    time.sleep(1)\n"
    "    raise HTTPException(status_code=404)\n"
)


@pytest.fixture
def booby_trapped(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A project whose every module would leave a marker file if it were ever executed."""
    root = tmp_path / "project"
    markers = tmp_path / "markers"
    markers.mkdir()
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "trap"\ndependencies = ["fastapi"]\n', encoding="utf-8"
    )
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    for name in (*SHADOWS, "conftest", "setup", "sitecustomize", "app/__init__"):
        marker = markers / name.replace("/", "_")
        (root / f"{name}.py").write_text(MARKER_CODE.format(marker=str(marker)), encoding="utf-8")
    trap = MARKER_CODE.format(marker=str(markers / "main"))
    (root / "app" / "main.py").write_text(trap + ROUTE, encoding="utf-8")
    yield root, markers
    assert sorted(p.name for p in markers.iterdir()) == []


def test_check_and_fix_never_run_project_code(booby_trapped: tuple[Path, Path]) -> None:
    root, _ = booby_trapped
    for extra in ([], ["--fix", "--unsafe-fixes"], ["--diff"], ["--format", "json"]):
        completed = subprocess.run(
            [sys.executable, "-m", "fastapi_practices", "check", "--no-cache", ".", *extra],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode in (0, 1), completed.stderr
        assert "Traceback" not in completed.stderr
    assert "await asyncio.sleep(1)" in (root / "app" / "main.py").read_text(encoding="utf-8")


async def test_the_server_never_runs_project_code(
    booby_trapped: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = booby_trapped
    monkeypatch.chdir(root)  # where editors start it
    server = await RawServer.start()
    try:
        await server.initialize(root.as_uri())
        uris = []
        for path in (root / "app" / "main.py", root / "pyproject.toml", root / "alembic.ini"):
            uris.append(path.as_uri())
            server.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": path.as_uri(), "languageId": "python", "version": 1,
                                  "text": path.read_text(encoding="utf-8")}},
            )  # fmt: skip
        for number, uri in enumerate(uris, start=10):
            whole = {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}}
            server.request(
                number,
                "textDocument/codeAction",
                {"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}},
            )
            for action in (await server.reply(number)).get("result") or []:
                if "data" in action:
                    server.request(f"resolve-{number}", "codeAction/resolve", action)
                    await server.reply(f"resolve-{number}")
            server.request(number + 100, "textDocument/hover", {
                "textDocument": {"uri": uri}, "position": {"line": 12, "character": 5},
            })  # fmt: skip
            await server.reply(number + 100)
        await asyncio.sleep(1.0)  # the background index
        server.request(99, "shutdown")
        await server.reply(99)
        server.notify("exit")
        code, stderr = await server.finish()
        assert (code, stderr) == (0, "")
        published = [
            m for m in server.messages if m.get("method") == "textDocument/publishDiagnostics"
        ]
        assert any(m["params"]["diagnostics"] for m in published)
    finally:
        await server.stop()
