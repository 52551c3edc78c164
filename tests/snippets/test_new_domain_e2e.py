"""End to end: a new domain in a fixture project answers over HTTP, and its own tests pass.

The generated app is imported in a child process (FastAPI and httpx are test dependencies);
the tool itself never imports user code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi_practices.cli import main

from tests.snippets.project import write_base_project

CALL_THE_ROUTES = """\
import asyncio

import httpx

from src.main import app


async def run() -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = await client.post("/posts/", json={"name": "First"})
        print(created.status_code, created.json())
        found = await client.get("/posts/1")
        print(found.status_code, found.json())
        missing = await client.get("/posts/99")
        print(missing.status_code, missing.json())
        listed = await client.get("/posts/")
        print(listed.status_code, len(listed.json()))


asyncio.run(run())
"""


def _run(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_generated_routes_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_base_project(tmp_path / "project")
    monkeypatch.chdir(root)
    assert main(["new-domain", "posts"]) == 0

    result = _run(root, "-c", CALL_THE_ROUTES)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "201 {'name': 'First', 'id': 1}",
        "200 {'name': 'First', 'id': 1}",
        "404 {'detail': 'Post not found'}",
        "200 1",
    ]


def test_the_generated_tests_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_base_project(tmp_path / "project")
    monkeypatch.chdir(root)
    assert main(["new-domain", "posts"]) == 0

    result = _run(
        root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(root), "tests"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
