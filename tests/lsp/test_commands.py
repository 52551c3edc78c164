"""`workspace/executeCommand`: the fix-all command edits the document through applyEdit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig
from pytest_lsp.client import register_lsp_features

from tests.lsp.clients import (
    EMACS,
    NEOVIM,
    SERVER,
    VSCODE,
    Profile,
    RecordingClient,
    recording_features,
)
from tests.lsp.helpers import (
    apply_text_edits,
    codes,
    edits_for,
    open_document,
    replace_document,
    wait_for_diagnostics,
)

FIX_ALL = "fastapi-practices.fixAll"
TWICE = "import time\n\n\nasync def poll():\n    time.sleep(1)\n    time.sleep(2)\n"
TWICE_FIXED = (
    "import time\nimport asyncio\n\n\nasync def poll():\n"
    "    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"
)
CLEAN = "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"


class EditingClient(RecordingClient):
    """Answers `workspace/applyEdit`, keeping each request; `refuse` makes it decline."""

    def __init__(self) -> None:
        super().__init__()
        self.edit_requests: list[types.ApplyWorkspaceEditParams] = []
        self.refuse: str | None = None


def _apply_edit(
    client: EditingClient, params: types.ApplyWorkspaceEditParams
) -> types.ApplyWorkspaceEditResult:
    client.edit_requests.append(params)
    if client.refuse is not None:
        return types.ApplyWorkspaceEditResult(applied=False, failure_reason=client.refuse)
    return types.ApplyWorkspaceEditResult(applied=True)


def make_editing_client() -> EditingClient:
    client = EditingClient()
    register_lsp_features(
        client,
        {**recording_features(), types.WORKSPACE_APPLY_EDIT: _apply_edit},
    )
    return client


EDITING_SERVER = ClientServerConfig(
    server_command=SERVER.server_command, client_factory=make_editing_client
)


@dataclass(frozen=True)
class Editor:
    profile: Profile
    apply_edit: bool = True

    def __str__(self) -> str:
        return f"{self.profile}{'' if self.apply_edit else '-without-applyEdit'}"


@pytest_lsp.fixture(
    config=EDITING_SERVER, params=[Editor(VSCODE), Editor(NEOVIM), Editor(EMACS)], ids=str
)
async def editor(
    request: pytest.FixtureRequest, lsp_client: EditingClient, project: Path
) -> AsyncIterator[None]:
    setup: Editor = request.param
    lsp_client.profile = setup.profile
    capabilities = setup.profile.capabilities()
    if not setup.apply_edit and capabilities.workspace is not None:
        capabilities.workspace.apply_edit = False
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            initialization_options=setup.profile.options,
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def run_fix_all(client: EditingClient, *arguments: Any) -> dict[str, Any]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=FIX_ALL, arguments=list(arguments))
    )
    assert isinstance(result, dict)
    return result


async def test_the_command_is_advertised(editor: EditingClient) -> None:
    assert editor.init_result is not None
    provider = editor.init_result.capabilities.execute_command_provider
    assert provider is not None
    assert FIX_ALL in provider.commands


async def test_fix_all_applies_every_safe_fix(editor: EditingClient, project: Path) -> None:
    uri = open_document(editor, project / "app" / "main.py", TWICE)
    assert codes(await wait_for_diagnostics(editor, uri, version=1)) == ["FBP201", "FBP201"]

    answer = await run_fix_all(editor, uri)

    (request,) = editor.edit_requests
    edits = edits_for(request.edit, uri)
    assert answer == {"applied": True, "edits": len(edits)}
    fixed = apply_text_edits(TWICE, edits, editor.encoding)
    assert fixed == TWICE_FIXED
    replace_document(editor, uri, 2, fixed)
    assert codes(await wait_for_diagnostics(editor, uri, version=2)) == []


async def test_a_versioned_edit_names_the_current_version(
    editor: EditingClient, project: Path
) -> None:
    uri = open_document(editor, project / "app" / "main.py", CLEAN)
    await wait_for_diagnostics(editor, uri, version=1)
    replace_document(editor, uri, 7, TWICE)
    await wait_for_diagnostics(editor, uri, version=7)

    await run_fix_all(editor, {"uri": uri})

    (request,) = editor.edit_requests
    if request.edit.document_changes is not None:
        (change,) = request.edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == 7
    else:
        assert editor.profile.client == "neovim"
    assert apply_text_edits(TWICE, edits_for(request.edit, uri), editor.encoding) == TWICE_FIXED


async def test_nothing_to_fix_sends_no_edit(editor: EditingClient, project: Path) -> None:
    uri = open_document(editor, project / "app" / "main.py", CLEAN)
    await wait_for_diagnostics(editor, uri, version=1)

    assert await run_fix_all(editor, uri) == {"applied": False, "edits": 0}
    assert editor.edit_requests == []


async def test_a_document_that_is_not_open_is_left_alone(
    editor: EditingClient, project: Path
) -> None:
    path = project / "app" / "closed.py"
    path.write_text(TWICE, encoding="utf-8")

    answer = await run_fix_all(editor, path.as_uri())

    assert answer["applied"] is False
    assert "not open" in answer["reason"]
    assert editor.edit_requests == []
    assert path.read_text(encoding="utf-8") == TWICE


async def test_a_refused_edit_is_reported(editor: EditingClient, project: Path) -> None:
    uri = open_document(editor, project / "app" / "main.py", TWICE)
    await wait_for_diagnostics(editor, uri, version=1)
    editor.refuse = "the file changed"

    answer = await run_fix_all(editor, uri)

    assert answer["applied"] is False
    assert answer["reason"] == "the file changed"
    assert answer["edits"] > 0


@pytest.mark.parametrize("arguments", [[], [42], [{"path": "x.py"}]], ids=str)
async def test_a_call_without_a_uri_is_an_invalid_params_error(
    editor: EditingClient, arguments: list[Any]
) -> None:
    with pytest.raises(JsonRpcException) as raised:
        await editor.workspace_execute_command_async(
            types.ExecuteCommandParams(command=FIX_ALL, arguments=arguments)
        )
    assert raised.value.code == types.ErrorCodes.InvalidParams
    assert editor.edit_requests == []


@pytest.mark.parametrize("editor", [Editor(NEOVIM, apply_edit=False)], indirect=True, ids=str)
async def test_a_client_that_cannot_apply_edits_is_not_asked(
    editor: EditingClient, project: Path
) -> None:
    uri = open_document(editor, project / "app" / "main.py", TWICE)
    await wait_for_diagnostics(editor, uri, version=1)

    answer = await run_fix_all(editor, uri)

    assert answer["applied"] is False
    assert answer["edits"] > 0
    assert "cannot apply" in answer["reason"]
    assert editor.edit_requests == []
