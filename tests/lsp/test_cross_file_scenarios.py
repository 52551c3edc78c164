"""Cross-file rules through a real server on a seed-shaped project: statuses that come from a
dependency in another file, republishing when that file changes, cross-file fixes as workspace
edits, and the project files (`alembic.ini`, `pyproject.toml`) the server also analyses."""

from __future__ import annotations

import ast
import shutil
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp.clients import SERVER, VSCODE, RecordingClient
from tests.lsp.helpers import (
    apply_text_edits,
    codes,
    edits_for,
    index_ready,
    open_document,
    replace_document,
    wait_for_diagnostics,
)

SEED_LIKE = Path(__file__).parents[1] / "fixtures" / "workspace" / "seed_like"


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    target = tmp_path / "seed_like"
    shutil.copytree(SEED_LIKE, target)
    return target


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: RecordingClient, seed_project: Path) -> AsyncIterator[None]:
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=VSCODE.capabilities(),
            initialization_options=VSCODE.options,
            root_uri=seed_project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=seed_project.as_uri(), name="seed")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def _undocumented(status: str) -> Callable[[Sequence[types.Diagnostic]], bool]:
    def check(diagnostics: Sequence[types.Diagnostic]) -> bool:
        return any(d.code == "FBP704" and status in d.message for d in diagnostics)

    return check


def _open(client: RecordingClient, path: Path, language: str = "python") -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=path.read_text(encoding="utf-8")
            )
        )
    )
    return uri


async def test_status_raised_by_a_dependency_in_another_file(
    client: RecordingClient, seed_project: Path
) -> None:
    await index_ready(client)
    router = _open(client, seed_project / "src" / "posts" / "router.py")
    diagnostics = await wait_for_diagnostics(client, router, until=_undocumented("403"))
    (finding,) = [d for d in diagnostics if d.code == "FBP704"]
    assert finding.range.start.line == 9  # `async def read_post`, not the decorator
    assert "404" not in finding.message, "documented by `include_router(..., responses=...)`"


async def test_disk_change_of_the_dependency_republishes_the_router(
    client: RecordingClient, seed_project: Path
) -> None:
    await index_ready(client)
    router = _open(client, seed_project / "src" / "posts" / "router.py")
    await wait_for_diagnostics(client, router, until=_undocumented("403"))

    dependency = seed_project / "src" / "posts" / "dependencies.py"
    dependency.write_text(
        dependency.read_text(encoding="utf-8").replace("status_code=404", "status_code=410"),
        encoding="utf-8",
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=dependency.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    diagnostics = await wait_for_diagnostics(client, router, until=_undocumented("410"))
    assert not _undocumented("404")(diagnostics)


async def test_editing_the_open_dependency_republishes_the_router(
    client: RecordingClient, seed_project: Path
) -> None:
    await index_ready(client)
    router = _open(client, seed_project / "src" / "posts" / "router.py")
    await wait_for_diagnostics(client, router, until=_undocumented("403"))

    path = seed_project / "src" / "posts" / "dependencies.py"
    original = path.read_text(encoding="utf-8")
    dependency = _open(client, path)
    replace_document(client, dependency, 2, original.replace("404", "409"))
    await wait_for_diagnostics(client, router, until=_undocumented("409"))
    assert path.read_text(encoding="utf-8") == original, "the server never writes files"


CROSS_DOMAIN = (
    "from fastapi import APIRouter\n"
    "\n"
    "from src.auth.service import current_user\n"
    "\n"
    "router = APIRouter(prefix='/feed', tags=['feed'])\n"
    "\n"
    "\n"
    "def owner() -> str:\n"
    "    return current_user()\n"
)


async def test_cross_domain_import_fix_is_a_workspace_edit_that_parses(
    client: RecordingClient, seed_project: Path
) -> None:
    await index_ready(client)
    path = seed_project / "src" / "posts" / "feed.py"
    uri = open_document(client, path, CROSS_DOMAIN)
    diagnostics = await wait_for_diagnostics(
        client, uri, until=lambda found: "FBP106" in codes(found)
    )
    target = next(d for d in diagnostics if d.code == "FBP106")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    assert actions is not None
    fix = next(
        action
        for action in actions
        if isinstance(action, types.CodeAction) and action.title.startswith("Import the module")
    )
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is not None and resolved.edit.document_changes
    fixed = apply_text_edits(CROSS_DOMAIN, edits_for(resolved.edit, uri), client.encoding)
    ast.parse(fixed)
    assert "from src.auth import service as auth_service" in fixed
    assert "auth_service.current_user()" in fixed
    replace_document(client, uri, 2, fixed)
    after = await wait_for_diagnostics(client, uri, version=2)
    assert "FBP106" not in codes(after)


async def test_project_files_are_analysed_and_published(
    client: RecordingClient, seed_project: Path
) -> None:
    alembic = seed_project / "alembic.ini"
    alembic.write_text("[alembic]\nscript_location = migrations\n", encoding="utf-8")
    alembic_uri = _open(client, alembic, language="ini")
    pyproject_uri = _open(client, seed_project / "pyproject.toml", language="toml")
    assert codes(await wait_for_diagnostics(client, alembic_uri, version=1)) == ["FBP606"]
    published = await wait_for_diagnostics(client, pyproject_uri, version=1)
    assert codes(published) == ["FBP901"]
    assert published[0].range.start.line == 0
