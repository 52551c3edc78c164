"""`workspace/executeCommand` fastapi-practices.newDomain: one workspace edit that creates the
domain and registers it; applied, it gives a lint-clean domain. Clients that cannot create files
get the files written by the server and only the registration as an edit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path
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
from tests.lsp.helpers import apply_text_edits, open_document, wait_for_diagnostics
from tests.snippets.project import describe, findings_of_project, write_base_project

NEW_DOMAIN = "fastapi-practices.newDomain"


class DiskEditingClient(RecordingClient):
    """Applies `workspace/applyEdit` to the files on disk, keeping each request."""

    def __init__(self) -> None:
        super().__init__()
        self.edit_requests: list[types.ApplyWorkspaceEditParams] = []


def _apply_edit(
    client: DiskEditingClient, params: types.ApplyWorkspaceEditParams
) -> types.ApplyWorkspaceEditResult:
    client.edit_requests.append(params)
    edit = params.edit
    for change in edit.document_changes or ():
        if isinstance(change, types.CreateFile):
            path = Path(to_fs_path(change.uri) or "")
            if path.exists():
                return types.ApplyWorkspaceEditResult(applied=False, failure_reason="exists")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("", encoding="utf-8")
        elif isinstance(change, types.TextDocumentEdit):
            _edit_file(client, change.text_document.uri, list(change.edits))
    for uri, edits in (edit.changes or {}).items():
        _edit_file(client, uri, list(edits))
    return types.ApplyWorkspaceEditResult(applied=True)


def _edit_file(client: DiskEditingClient, uri: str, edits: list[Any]) -> None:
    path = Path(to_fs_path(uri) or "")
    text = path.read_text(encoding="utf-8")
    path.write_text(apply_text_edits(text, edits, client.encoding), encoding="utf-8")


def make_client() -> DiskEditingClient:
    client = DiskEditingClient()
    register_lsp_features(client, {**recording_features(), types.WORKSPACE_APPLY_EDIT: _apply_edit})
    return client


EDITING_SERVER = ClientServerConfig(
    server_command=SERVER.server_command, client_factory=make_client
)


@pytest_lsp.fixture(config=EDITING_SERVER, params=[VSCODE, NEOVIM, EMACS], ids=str)
async def editor(
    request: pytest.FixtureRequest, lsp_client: DiskEditingClient, tmp_path: Path
) -> AsyncIterator[None]:
    profile: Profile = request.param
    lsp_client.profile = profile
    root = write_base_project(tmp_path / "project")
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=profile.capabilities(),
            initialization_options=profile.options,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def run(client: DiskEditingClient, *arguments: Any) -> dict[str, Any]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=NEW_DOMAIN, arguments=list(arguments))
    )
    assert isinstance(result, dict)
    return result


def _root(tmp_path: Path) -> Path:
    return (tmp_path / "project").resolve()


async def test_the_command_is_advertised(editor: DiskEditingClient) -> None:
    assert editor.init_result is not None
    provider = editor.init_result.capabilities.execute_command_provider
    assert provider is not None and NEW_DOMAIN in provider.commands


async def test_new_domain_edit_creates_a_lint_clean_registered_domain(
    editor: DiskEditingClient, tmp_path: Path
) -> None:
    root = _root(tmp_path)

    answer = await run(editor, "orders")

    assert answer["applied"] is True, answer
    (request,) = editor.edit_requests
    created = [c for c in request.edit.document_changes or () if isinstance(c, types.CreateFile)]
    if editor.profile.client == "visual-studio-code":
        assert {Path(to_fs_path(c.uri) or "").name for c in created} >= {"router.py", "schemas.py"}
        assert all(c.options is not None and c.options.overwrite is False for c in created)
    else:
        assert created == []  # these clients cannot create files: the server wrote them
    assert (root / "src" / "orders" / "router.py").is_file()
    assert (root / "tests" / "orders" / "test_router.py").is_file()
    main = (root / "src" / "main.py").read_text(encoding="utf-8")
    assert "app.include_router(orders_router)" in main
    assert "from src.orders.router import router as orders_router" in main
    found = findings_of_project(root)
    assert not found, describe(found)


async def test_an_open_app_module_is_edited_at_its_current_version(
    editor: DiskEditingClient, tmp_path: Path
) -> None:
    root = _root(tmp_path)
    main = root / "src" / "main.py"
    uri = open_document(editor, main, main.read_text(encoding="utf-8"), write=False)
    await wait_for_diagnostics(editor, uri, version=1)

    answer = await run(editor, {"name": "tags", "uri": uri})

    assert answer["applied"] is True, answer
    (request,) = editor.edit_requests
    edits = [
        change
        for change in request.edit.document_changes or ()
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
    ]
    if request.edit.document_changes is not None and edits:
        assert edits[0].text_document.version == 1
    assert "app.include_router(tags_router)" in main.read_text(encoding="utf-8")


async def test_an_existing_domain_is_refused_and_left_alone(
    editor: DiskEditingClient, tmp_path: Path
) -> None:
    root = _root(tmp_path)
    (root / "src" / "orders").mkdir()
    (root / "src" / "orders" / "router.py").write_text("# mine\n", encoding="utf-8")

    answer = await run(editor, "orders")

    assert answer["applied"] is False
    assert "already exists" in answer["reason"] and "nothing was created" in answer["reason"]
    assert editor.edit_requests == []
    assert (root / "src" / "orders" / "router.py").read_text(encoding="utf-8") == "# mine\n"
    assert not (root / "tests").exists()


@pytest.mark.parametrize("arguments", [[], [42], [{"uri": "file:///x"}]], ids=str)
async def test_a_call_without_a_name_is_an_invalid_params_error(
    editor: DiskEditingClient, arguments: list[Any]
) -> None:
    with pytest.raises(JsonRpcException) as raised:
        await editor.workspace_execute_command_async(
            types.ExecuteCommandParams(command=NEW_DOMAIN, arguments=arguments)
        )
    assert raised.value.code == types.ErrorCodes.InvalidParams


async def test_an_invalid_name_is_refused(editor: DiskEditingClient) -> None:
    answer = await run(editor, "Not A Name")
    assert answer["applied"] is False and "not a valid domain name" in answer["reason"]
