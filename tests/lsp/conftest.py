"""End-to-end fixtures: a real server subprocess driven by pytest-lsp's client profiles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp.clients import EMACS, NEOVIM, SERVER, VSCODE, Profile, RecordingClient


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0"\n', encoding="utf-8"
    )
    (tmp_path / "app").mkdir()
    return tmp_path


@pytest_lsp.fixture(config=SERVER, params=[VSCODE, NEOVIM, EMACS], ids=str)
async def client(
    request: pytest.FixtureRequest, lsp_client: RecordingClient, project: Path
) -> AsyncIterator[None]:
    profile: Profile = request.param
    lsp_client.profile = profile
    if profile.configuration is not None:
        lsp_client.set_configuration(profile.configuration, section="fastapiPractices")
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=profile.capabilities(),
            initialization_options=profile.options,
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()
