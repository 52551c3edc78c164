"""Settings: initializationOptions, workspace/configuration, changes, and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import VSCODE, Profile, RecordingClient
from tests.lsp.helpers import codes, open_document, replace_document, wait_for_diagnostics

SLEEPY = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"


def warnings(client: RecordingClient) -> list[str]:
    return [m.message for m in client.messages if m.type == types.MessageType.Warning]


@pytest.mark.parametrize(
    "client",
    [
        Profile("visual-studio-code", options={"debounceMs": 20, "severity": {"FBP201": "error"}}),
        Profile("neovim", options={"settings": {"severity": {"FBP201": "error"}}}),
        Profile("emacs", options={"fastapiPractices": {"severity": {"FBP2": "error"}}}),
    ],
    indirect=True,
    ids=str,
)
async def test_initialization_options(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    (diagnostic,) = await wait_for_diagnostics(client, uri, version=1)
    assert diagnostic.severity == types.DiagnosticSeverity.Error


@pytest.mark.parametrize(
    "client",
    [Profile("visual-studio-code", configuration={"severity": {"FBP201": "information"}})],
    indirect=True,
    ids=str,
)
async def test_workspace_configuration_is_pulled(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    (diagnostic,) = await wait_for_diagnostics(client, uri, version=1)
    assert diagnostic.severity == types.DiagnosticSeverity.Information


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_configuration_change_is_pulled_and_republished(
    client: RecordingClient, project: Path
) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]

    client.set_configuration({"ignore": ["FBP201"]}, section="fastapiPractices")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert codes(await wait_for_diagnostics(client, uri, until=lambda d: not d)) == []

    client.set_configuration({"ignore": []}, section="fastapiPractices")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert codes(await wait_for_diagnostics(client, uri, until=bool)) == ["FBP201"]


@pytest.mark.parametrize(
    "client", [Profile("emacs", without_configuration=True)], indirect=True, ids=str
)
async def test_configuration_pushed_with_the_notification(
    client: RecordingClient, project: Path
) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"fastapiPractices": {"ignore": ["FBP2"]}})
    )
    assert codes(await wait_for_diagnostics(client, uri, until=lambda d: not d)) == []


@pytest.mark.parametrize(
    "client",
    [Profile("visual-studio-code", options={"debounceMs": 20, "enable": False})],
    indirect=True,
    ids=str,
)
async def test_disabled(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == []


@pytest.mark.parametrize(
    "client",
    [Profile("visual-studio-code", options={"debounceMs": 20, "select": ["NOPE"]})],
    indirect=True,
    ids=str,
)
async def test_bad_setting_warns_once_and_falls_back(
    client: RecordingClient, project: Path
) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]
    for version in range(2, 5):
        replace_document(client, uri, version, SLEEPY + "\n" * version)
        await wait_for_diagnostics(client, uri, version=version)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    replace_document(client, uri, 5, SLEEPY)
    await wait_for_diagnostics(client, uri, version=5)

    (message,) = warnings(client)
    assert "'select'" in message and "NOPE" in message


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_project_config_is_used_and_reloaded(client: RecordingClient, project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text('[tool.fastapi-practices]\nignore = ["FBP201"]\n', encoding="utf-8")
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == []

    config.write_text("[tool.fastapi-practices]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert codes(await wait_for_diagnostics(client, uri, until=bool)) == ["FBP201"]
    watched = [r for r in client.registrations if r.method == "workspace/didChangeWatchedFiles"]
    assert len(watched) == 1

    # Saving the pyproject.toml in the editor reloads it too.
    config.write_text('[tool.fastapi-practices]\nignore = ["FBP2"]\n', encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=config.as_uri())
        )
    )
    assert codes(await wait_for_diagnostics(client, uri, until=lambda d: not d)) == []


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_editor_settings_beat_pyproject(client: RecordingClient, project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.fastapi-practices]\nseverity = { FBP201 = "error" }\n', encoding="utf-8"
    )
    client.set_configuration({"severity": {"FBP201": "information"}}, section="fastapiPractices")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    (diagnostic,) = await wait_for_diagnostics(
        client,
        uri,
        until=lambda d: bool(d) and d[0].severity == types.DiagnosticSeverity.Information,
    )
    assert diagnostic.code == "FBP201"


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_bad_pyproject_warns_once_and_keeps_serving(
    client: RecordingClient, project: Path
) -> None:
    config = project / "pyproject.toml"
    config.write_text('[tool.fastapi-practices]\nselct = ["FBP2"]\n', encoding="utf-8")
    first = open_document(client, project / "app" / "main.py", SLEEPY)
    second = open_document(client, project / "app" / "other.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, first, version=1)) == ["FBP201"]
    assert codes(await wait_for_diagnostics(client, second, version=1)) == ["FBP201"]
    for version in range(2, 4):
        replace_document(client, first, version, SLEEPY + "\n" * version)
        await wait_for_diagnostics(client, first, version=version)

    (message,) = warnings(client)
    assert str(config) in message and "'selct'" in message
