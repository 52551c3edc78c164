"""The CLI over a whole project and the server, file by file, report the same findings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp.clients import SERVER, VSCODE, RecordingClient
from tests.lsp.helpers import index_ready, wait_for_diagnostics

FIXTURES = Path(__file__).parents[1] / "fixtures"
PROJECTS = {
    "shop": Path(__file__).parents[2] / "examples" / "shop",
    "seed_like": FIXTURES / "workspace" / "seed_like",
    "flat": FIXTURES / "structure" / "flat",
}
LANGUAGES = {".py": "python", ".ini": "ini", ".toml": "toml"}

JSON_OPTIONS = ("--output-format", "json", "--exit-zero", "--no-cache")
Located = set[tuple[str, int, int]]


@pytest.fixture(params=sorted(PROJECTS))
def project_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    target = tmp_path / request.param
    shutil.copytree(PROJECTS[request.param], target)
    return target


def cli_findings(root: Path) -> dict[Path, Located]:
    completed = subprocess.run(
        [sys.executable, "-m", "fastapi_practices", "check", str(root), *JSON_OPTIONS],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[Path, Located] = {}
    for item in json.loads(completed.stdout):
        located = (item["code"], item["location"]["row"] - 1, item["location"]["column"] - 1)
        found.setdefault(Path(item["filename"]).resolve(), set()).add(located)
    return found


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: RecordingClient, project_copy: Path) -> AsyncIterator[None]:
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=VSCODE.capabilities(),
            initialization_options=VSCODE.options,
            root_uri=project_copy.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project_copy.as_uri(), name="project")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def _files(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and (path.suffix == ".py" or path.name in {"alembic.ini", "pyproject.toml"})
    )


async def test_server_publishes_what_the_cli_reports(
    client: RecordingClient, project_copy: Path
) -> None:
    expected = cli_findings(project_copy)
    await index_ready(client)
    published: dict[Path, Located] = {}
    for path in _files(project_copy):
        uri = path.as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri,
                    language_id=LANGUAGES.get(path.suffix, "plaintext"),
                    version=1,
                    text=path.read_text(encoding="utf-8"),
                )
            )
        )
        diagnostics = await wait_for_diagnostics(client, uri, version=1)
        if diagnostics:
            published[path.resolve()] = {
                (str(d.code), d.range.start.line, d.range.start.character) for d in diagnostics
            }
    assert published == expected
    assert any(published.values()) or project_copy.name == "flat"
