"""Bad input in the editor: a bad pyproject.toml or bad editor settings are each shown once
(not per keystroke) and checking goes on; symbolic-link loops and links out of the workspace,
a FIFO named like a module and a document over the size bound never stall the server."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import VSCODE, Profile, RecordingClient
from tests.lsp.conftest import client, project
from tests.lsp.helpers import (
    TIMEOUT,
    codes,
    open_document,
    replace_document,
    wait_for_diagnostics,
)

__all__ = ["client", "project"]  # the fixtures, shared with tests/lsp

SLEEPY = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"


def warnings(client: RecordingClient) -> list[str]:
    return [m.message for m in client.messages if m.type == types.MessageType.Warning]


async def _edit_a_few_times(client: RecordingClient, uri: str, text: str) -> None:
    for version in range(2, 5):
        replace_document(client, uri, version, text + "\n" * version)
        await wait_for_diagnostics(client, uri, version=version)


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ("[tool.fastapi-practices\nselect = [", "invalid TOML"),
        ("[tool.fastapi-practices]\nselect = 3\n", "'select'"),
        ('[tool.fastapi-practices]\nignore = [""]\n', "'ignore'"),
        ("[tool.fastapi-practices]\nseverity = { FBP201 = 3 }\n", "'severity'"),
        ("[tool.ruff]\nx = " + "[" * 600 + "]" * 600 + "\n", "nested too deeply"),
    ],
    ids=["invalid-toml", "wrong-type", "empty-code", "wrong-severity", "nested-too-deeply"],
)
@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_bad_pyproject_is_shown_once(
    client: RecordingClient, project: Path, table: str, named: str
) -> None:
    config = project / "pyproject.toml"
    config.write_text(table, encoding="utf-8")
    first = open_document(client, project / "app" / "main.py", SLEEPY)
    second = open_document(client, project / "app" / "other.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, first, version=1)) == ["FBP201"]
    assert codes(await wait_for_diagnostics(client, second, version=1)) == ["FBP201"]
    await _edit_a_few_times(client, first, SLEEPY)

    (message,) = warnings(client)
    assert str(config) in message and named in message


BAD_SETTINGS = {
    "debounceMs": "soon",
    "enable": "yes",
    "severity": {"FBP201": "loud"},
    "perFileIgnores": 3,
    "logLevel": "chatty",
    "selectt": ["FBP2"],
}


@pytest.mark.parametrize(
    "client",
    [Profile("visual-studio-code", options={"debounceMs": 20}, configuration=BAD_SETTINGS)],
    indirect=True,
    ids=str,
)
async def test_bad_editor_settings_are_each_named_once(
    client: RecordingClient, project: Path
) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]
    await _edit_a_few_times(client, uri, SLEEPY)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    replace_document(client, uri, 5, SLEEPY)
    await wait_for_diagnostics(client, uri, version=5)

    (message,) = warnings(client)
    for key in BAD_SETTINGS:
        assert f"'{key}'" in message


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_links_and_loops_in_the_workspace(
    client: RecordingClient, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.py").write_text(SLEEPY, encoding="utf-8")
    (project / "app" / "__init__.py").write_text("", encoding="utf-8")
    (project / "app" / "loop").symlink_to(project / "app", target_is_directory=True)
    (project / "up").symlink_to(project, target_is_directory=True)
    (project / "out").symlink_to(outside, target_is_directory=True)
    (project / "app" / "linked.py").symlink_to(outside / "secret.py")
    os.mkfifo(project / "app" / "pipe.py")
    uri = open_document(client, project / "app" / "main.py", "from app import pipe\n" + SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]

    async def indexed() -> str:
        while True:
            for message in client.log_messages:
                if message.message.startswith("fastapi-practices: indexed"):
                    return message.message
            await client.wait_for_notification(types.WINDOW_LOG_MESSAGE)

    # app/__init__.py and app/main.py: nothing through the links, the loops or the FIFO.
    summary = await asyncio.wait_for(indexed(), TIMEOUT)
    assert summary.startswith("fastapi-practices: indexed 2 files")
    replace_document(client, uri, 2, "from app import pipe, linked\n" + SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == ["FBP201"]


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_a_document_over_the_size_bound(client: RecordingClient, project: Path) -> None:
    padding = "x = '" + "a" * 2_100_000 + "'\n"
    uri = open_document(client, project / "app" / "big.py", SLEEPY + padding)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == []
    await _edit_a_few_times(client, uri, SLEEPY + padding)
    replace_document(client, uri, 5, SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=5)) == ["FBP201"]

    (message,) = warnings(client)
    assert "big.py is not checked: it is larger than 2000000 bytes" in message
