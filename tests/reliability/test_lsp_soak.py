"""A bounded LSP soak (the long one is `python -m fuzz lsp`): random edits at full speed, with
closes, reopens, stale and cancelled requests, settings and file events, then the checks."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp

from fuzz.seeds import REPO
from fuzz.soak import SERVER, SoakClient, initialize, run_soak

PROJECT = REPO / "tests" / "fixtures" / "workspace" / "seed_like"
DOCUMENTS = (
    "src/posts/router.py",
    "src/posts/dependencies.py",
    "src/auth/router.py",
    "src/main.py",
)


@pytest.fixture
def soak_project(tmp_path: Path) -> Path:
    root = tmp_path / "seed_like"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(".fastapi_practices_cache"))
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: SoakClient) -> AsyncIterator[None]:
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize("seed", [1, 2])
async def test_soak(client: SoakClient, soak_project: Path, seed: int) -> None:
    encoding = await initialize(client, soak_project)
    docs = [soak_project / relative for relative in DOCUMENTS]
    report = await run_soak(client, soak_project, docs, encoding, actions=400, seed=seed)
    assert report.failures == []
    assert report.edits > 100
