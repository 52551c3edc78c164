"""FBP402's cross-file fix in an editor: a workspace edit that creates or edits `dependencies.py`,
shaped by what the client can do, and never offered to a client that cannot create the file."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import EMACS, NEOVIM, VSCODE, RecordingClient
from tests.lsp.helpers import (
    apply_text_edits,
    codes,
    open_document,
    replace_document,
    wait_for_diagnostics,
)

ROUTER = (
    "from fastapi import APIRouter, Depends, HTTPException\n"
    "from sqlalchemy.ext.asyncio import AsyncSession\n"
    "\n"
    "from src.database import get_session\n"
    "from src.posts.models import Post\n"
    "\n"
    "router = APIRouter()\n"
    "\n"
    "\n"
    '@router.get("/posts/{post_id}")\n'
    "async def read_post(post_id: int, session: AsyncSession = Depends(get_session)) -> Post:\n"
    '    """One post; the title says « where » (non-ASCII before the edits)."""\n'
    "    post = await session.get(Post, post_id)\n"
    "    if post is None:\n"
    '        raise HTTPException(status_code=404, detail="Post not found")\n'
    "    return post\n"
)
TITLE = "Extract `valid_post_id` into `dependencies.py`"
EXISTING = '"""Dependencies of posts — shared by the routes."""\nfrom fastapi import Depends\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a `posts` domain (overrides the plain project of conftest)."""
    files = {
        "pyproject.toml": '[project]\nname = "blog"\nversion = "0"\n',
        "src/__init__.py": "",
        "src/database.py": (
            "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
            "async def get_session() -> AsyncSession:\n    ...\n"
        ),
        "src/posts/__init__.py": "",
        "src/posts/models.py": "class Post:\n    pass\n",
    }
    for relative, text in files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tmp_path


def _has_finding(diagnostics: Sequence[types.Diagnostic]) -> bool:
    return "FBP402" in codes(diagnostics)


async def _actions(client: RecordingClient, uri: str) -> list[types.CodeAction]:
    diagnostics = await wait_for_diagnostics(client, uri, version=1, until=_has_finding)
    (diagnostic,) = [d for d in diagnostics if d.code == "FBP402"]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def _edit(client: RecordingClient, action: types.CodeAction) -> types.WorkspaceEdit:
    if action.edit is not None:
        return action.edit
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None
    return resolved.edit


async def _router_clean(client: RecordingClient, uri: str, fixed: str) -> None:
    replace_document(client, uri, 2, fixed)
    after = await wait_for_diagnostics(client, uri, version=2)
    assert "FBP402" not in codes(after)


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_resolving_creates_the_module(client: RecordingClient, project: Path) -> None:
    router = project / "src" / "posts" / "router.py"
    deps = project / "src" / "posts" / "dependencies.py"
    uri = open_document(client, router, ROUTER)
    (action,) = [a for a in await _actions(client, uri) if a.title == TITLE]
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.edit is None and action.data is not None  # resolved lazily

    edit = await _edit(client, action)
    assert edit.changes is None and edit.document_changes is not None
    own, create, new_file = edit.document_changes
    assert isinstance(own, types.TextDocumentEdit)
    assert own.text_document.uri == uri and own.text_document.version == 1
    assert isinstance(create, types.CreateFile) and create.uri == deps.as_uri()
    assert create.options is not None and create.options.ignore_if_exists
    assert not create.options.overwrite
    assert isinstance(new_file, types.TextDocumentEdit)
    assert new_file.text_document.uri == deps.as_uri() and new_file.text_document.version is None

    assert not deps.exists()
    created = apply_text_edits("", list(_text_edits(new_file)), client.encoding)
    ast.parse(created)
    assert "async def valid_post_id(" in created and created.startswith("from fastapi import")
    fixed = apply_text_edits(ROUTER, list(_text_edits(own)), client.encoding)
    ast.parse(fixed)
    assert "async def read_post(post: Post = Depends(valid_post_id)) -> Post:\n" in fixed
    assert "« where »" in fixed and "session.get" not in fixed
    deps.write_text(created, encoding="utf-8")
    await _router_clean(client, uri, fixed)


@pytest.mark.parametrize("client", [NEOVIM, EMACS], indirect=True, ids=str)
async def test_no_extract_action_for_clients_that_cannot_create_files(
    client: RecordingClient, project: Path
) -> None:
    """Neovim's profile has no `documentChanges`; Emacs's no `create` resource operation (and no
    resolve, so its edits are computed up front)."""
    uri = open_document(client, project / "src" / "posts" / "router.py", ROUTER)
    titles = [a.title for a in await _actions(client, uri)]
    assert "Disable FBP402 for this line" in titles
    assert TITLE not in titles


@pytest.mark.parametrize("client", [NEOVIM, EMACS], indirect=True, ids=str)
async def test_an_existing_module_is_edited_by_every_client(
    client: RecordingClient, project: Path
) -> None:
    deps = project / "src" / "posts" / "dependencies.py"
    deps.write_text(EXISTING, encoding="utf-8")
    uri = open_document(client, project / "src" / "posts" / "router.py", ROUTER)
    (action,) = [a for a in await _actions(client, uri) if a.title == TITLE]
    edit = await _edit(client, action)
    if client.profile.client == "neovim":
        assert edit.document_changes is None and edit.changes is not None
        router_edits, deps_edits = edit.changes[uri], edit.changes[deps.as_uri()]
    else:
        assert edit.changes is None and edit.document_changes is not None
        assert not any(isinstance(c, types.CreateFile) for c in edit.document_changes)
        by_uri = {
            c.text_document.uri: c
            for c in edit.document_changes
            if isinstance(c, types.TextDocumentEdit)
        }
        assert by_uri[uri].text_document.version == 1
        assert by_uri[deps.as_uri()].text_document.version is None
        router_edits = list(_text_edits(by_uri[uri]))
        deps_edits = list(_text_edits(by_uri[deps.as_uri()]))
    extended = apply_text_edits(EXISTING, deps_edits, client.encoding)
    ast.parse(extended)
    assert extended.startswith(
        '"""Dependencies of posts — shared by the routes."""\n'
        "from fastapi import Depends, HTTPException\n"
    )
    assert extended.count("from fastapi import") == 1
    fixed = apply_text_edits(ROUTER, router_edits, client.encoding)
    ast.parse(fixed)
    await _router_clean(client, uri, fixed)


def _text_edits(change: types.TextDocumentEdit) -> list[types.TextEdit]:
    return [e for e in change.edits if isinstance(e, types.TextEdit)]


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_an_open_module_is_edited_in_its_editor_text(
    client: RecordingClient, project: Path
) -> None:
    deps = project / "src" / "posts" / "dependencies.py"
    deps.write_text(EXISTING, encoding="utf-8")
    unsaved = EXISTING + "\n\ndef unsaved() -> None:\n    pass\n"
    deps_uri = open_document(client, deps, unsaved, write=False)
    await wait_for_diagnostics(client, deps_uri, version=1)
    uri = open_document(client, project / "src" / "posts" / "router.py", ROUTER)
    (action,) = [a for a in await _actions(client, uri) if a.title == TITLE]
    edit = await _edit(client, action)
    assert edit.document_changes is not None
    (change,) = [
        c
        for c in edit.document_changes
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri == deps_uri
    ]
    extended = apply_text_edits(unsaved, _text_edits(change), client.encoding)
    ast.parse(extended)
    assert "def unsaved() -> None:\n    pass\n\n\nasync def valid_post_id(" in extended
