"""The workspace index in the server: progress while it builds, and republishing dependents."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp.clients import SERVER, VSCODE, RecordingClient
from tests.lsp.helpers import (
    codes,
    index_ready,
    index_summaries,
    open_document,
    replace_document,
    wait_for_diagnostics,
)

ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
NOT_A_ROUTER = "router = object()\n"
ROUTES = (
    "from .routing import router\n"
    "\n"
    "\n"
    '@router.get("/items")\n'
    "async def read_items() -> int:\n"
    "    try:\n"
    "        return 1\n"
    "    except Exception:\n"
    "        return 2\n"
)


@pytest.fixture
def two_modules(project: Path) -> Path:
    """`app.main` declares a route on a router that only `app.routing` proves is one."""
    (project / "app" / "__init__.py").write_text("", encoding="utf-8")
    (project / "app" / "routing.py").write_text(ROUTER, encoding="utf-8")
    (project / "app" / "main.py").write_text(ROUTES, encoding="utf-8")
    return project


@pytest_lsp.fixture(config=SERVER, params=["progress", "no-progress"])
async def indexed(
    request: pytest.FixtureRequest, lsp_client: RecordingClient, two_modules: Path
) -> AsyncIterator[None]:
    """A VS Code client, optionally without `window.workDoneProgress`, over `two_modules`."""
    capabilities = VSCODE.capabilities()
    if request.param == "no-progress":
        assert capabilities.window is not None
        capabilities.window.work_done_progress = False
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            initialization_options=VSCODE.options,
            root_uri=two_modules.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=two_modules.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def _has_broad_except(diagnostics: Sequence[types.Diagnostic]) -> bool:
    return "FBP505" in codes(diagnostics)


async def test_progress_only_for_clients_that_support_it(
    indexed: RecordingClient, request: pytest.FixtureRequest
) -> None:
    await index_ready(indexed)
    (summary,) = index_summaries(indexed)
    assert "3 files" in summary

    if request.node.callspec.params["indexed"] == "no-progress":
        assert indexed.progress_reports == {}
        return
    (reports,) = indexed.progress_reports.values()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    middle = reports[1:-1]
    assert middle and all(isinstance(r, types.WorkDoneProgressReport) for r in middle)
    percentages = [r.percentage for r in middle if isinstance(r, types.WorkDoneProgressReport)]
    assert percentages == sorted(percentages) and percentages[-1] == 100


@pytest.mark.parametrize("indexed", ["progress"], indirect=True)
async def test_disk_change_of_an_import_republishes(
    indexed: RecordingClient, two_modules: Path
) -> None:
    main = two_modules / "app" / "main.py"
    uri = open_document(indexed, main, ROUTES, write=False)
    await wait_for_diagnostics(indexed, uri, version=1, until=_has_broad_except)
    await index_ready(indexed)

    routing = two_modules / "app" / "routing.py"
    routing.write_text(NOT_A_ROUTER, encoding="utf-8")
    indexed.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=routing.as_uri(), type=types.FileChangeType.Changed)]
        )
    )

    diagnostics = await wait_for_diagnostics(indexed, uri, until=lambda d: not d)
    assert codes(diagnostics) == []
    watched = [r for r in indexed.registrations if r.method == "workspace/didChangeWatchedFiles"]
    (registration,) = watched
    options = registration.register_options
    assert isinstance(options, dict)
    assert {"globPattern": "**/*.py"} in options["watchers"]


@pytest.mark.parametrize("indexed", ["progress"], indirect=True)
async def test_editing_an_open_import_republishes(
    indexed: RecordingClient, two_modules: Path
) -> None:
    main_uri = open_document(indexed, two_modules / "app" / "main.py", ROUTES, write=False)
    await wait_for_diagnostics(indexed, main_uri, version=1, until=_has_broad_except)
    await index_ready(indexed)
    routing_uri = open_document(indexed, two_modules / "app" / "routing.py", ROUTER, write=False)

    replace_document(indexed, routing_uri, 2, NOT_A_ROUTER)
    assert codes(await wait_for_diagnostics(indexed, main_uri, until=lambda d: not d)) == []

    replace_document(indexed, routing_uri, 3, ROUTER)
    diagnostics = await wait_for_diagnostics(indexed, main_uri, until=_has_broad_except)
    assert codes(diagnostics) == ["FBP505"]
    assert (two_modules / "app" / "routing.py").read_text(encoding="utf-8") == ROUTER
