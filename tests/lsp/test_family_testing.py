"""Testing rules through the server: FBP803's quick fix, FBP801, and pytest's auto mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import VSCODE, RecordingClient
from tests.lsp.helpers import codes, open_document, wait_for_diagnostics
from tests.lsp.test_code_actions import apply, request_actions

TESTS = (
    "import pytest\n"
    "from fastapi.testclient import TestClient\n\n"
    "from app.main import app\n\n"
    "sync_client = TestClient(app)\n\n\n"
    "def test_sync() -> None:\n"
    '    assert sync_client.get("/").status_code == 200\n\n\n'
    "@pytest.mark.parametrize('path', ['/a', '/b'])\n"
    "async def test_async(client, path: str) -> None:\n"
    "    assert (await client.get(path)).status_code == 200\n"
)
MARKED = TESTS.replace("@pytest.mark.parametrize", "@pytest.mark.asyncio\n@pytest.mark.parametrize")


async def test_marker_quick_fix(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "tests" / "test_api.py", TESTS)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    assert codes(diagnostics) == ["FBP801", "FBP803"]
    sync_client, marker = diagnostics
    assert sync_client.range.start == types.Position(line=5, character=14)
    assert marker.range.start == types.Position(line=13, character=0)  # the def, not the decorator
    assert marker.severity == types.DiagnosticSeverity.Warning

    quick_for_client = await request_actions(client, uri, [sync_client], only=["quickfix"])
    assert [a.title for a in quick_for_client] == ["Disable FBP801 for this line"]
    actions = await request_actions(client, uri, [marker], only=["quickfix"])
    assert actions[0].title == "Mark the test with `@pytest.mark.asyncio`"

    assert await apply(client, uri, TESTS, actions[0], 2) == MARKED
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == ["FBP801"]


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_auto_mode_from_pytest_ini(client: RecordingClient, project: Path) -> None:
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    uri = open_document(client, project / "tests" / "test_api.py", TESTS)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP801"]
