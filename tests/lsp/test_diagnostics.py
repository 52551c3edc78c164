"""Diagnostics over the document lifecycle: open, edit, save, close, syntax errors, encodings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import EMACS, NEOVIM, VSCODE, Profile, RecordingClient
from tests.lsp.helpers import (
    codes,
    edit_document,
    open_document,
    replace_document,
    units,
    wait_for_diagnostics,
)

SLEEPY = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"
CALM = "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"
DOCS = "https://github.com/fastapi-practices/fastapi-practices/blob/main/docs/rules/"


async def test_open_publishes_diagnostic(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)

    diagnostics = await wait_for_diagnostics(client, uri, version=1)

    assert codes(diagnostics) == ["FBP201"]
    (diagnostic,) = diagnostics
    assert diagnostic.source == "fastapi-practices"
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.range == types.Range(
        start=types.Position(line=4, character=4), end=types.Position(line=4, character=17)
    )
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == f"{DOCS}FBP201.md"
    assert "time.sleep()" in diagnostic.message


async def test_edit_updates_and_close_clears(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", CALM)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == []

    replace_document(client, uri, 2, SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == ["FBP201"]

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert codes(await wait_for_diagnostics(client, uri, until=lambda d: not d)) == []
    assert client.published[-1].uri == uri and not client.published[-1].diagnostics


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_incremental_edit_moves_diagnostic(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    await wait_for_diagnostics(client, uri, version=1)

    # Insert a line above the call: the finding follows it down.
    edit_document(
        client,
        uri,
        2,
        [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(line=4, character=0),
                    end=types.Position(line=4, character=0),
                ),
                new_text="    x = 1\n",
            )
        ],
    )
    diagnostics = await wait_for_diagnostics(client, uri, version=2)
    assert [d.range.start for d in diagnostics] == [types.Position(line=5, character=4)]


async def test_save_reanalyses(client: RecordingClient, project: Path) -> None:
    path = project / "app" / "main.py"
    uri = open_document(client, path, SLEEPY)
    await wait_for_diagnostics(client, uri, version=1)
    count = len([p for p in client.published if p.uri == uri])

    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await wait_for_diagnostics(
        client, uri, until=lambda _: len([p for p in client.published if p.uri == uri]) > count
    )
    assert codes(client.published[-1].diagnostics) == ["FBP201"]


async def test_syntax_error_then_recovery(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    await wait_for_diagnostics(client, uri, version=1)

    broken = SLEEPY.replace("async def poll():", "async def poll(:")
    replace_document(client, uri, 2, broken)
    diagnostics = await wait_for_diagnostics(client, uri, version=2)
    assert codes(diagnostics) == ["FBP001"]
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert diagnostics[0].range.start.line == 3

    replace_document(client, uri, 3, SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=3)) == ["FBP201"]


NON_ASCII = '"""Polling."""\nimport time\n\n\nasync def poll():\n    x = "é😀"; time.sleep(1)\n'
EXPECTED_START = {"utf-16": 15, "utf-8": 18, "utf-32": 14}


@pytest.mark.parametrize(
    "client",
    [VSCODE, NEOVIM, EMACS, Profile("visual-studio-code", encodings=("utf-8",))],
    indirect=True,
    ids=["vscode-utf16", "neovim-utf8", "emacs-utf32", "vscode-utf8-only"],
)
async def test_non_ascii_columns_follow_the_encoding(
    client: RecordingClient, project: Path
) -> None:
    uri = open_document(client, project / "app" / "main.py", NON_ASCII)
    (diagnostic,) = await wait_for_diagnostics(client, uri, version=1)

    line = NON_ASCII.splitlines()[5]
    call = line.index("time.sleep(1)")
    start = units(line[:call], client.encoding)
    assert start == EXPECTED_START[client.encoding]
    assert diagnostic.range.start == types.Position(line=5, character=start)
    end = units(line[: call + len("time.sleep(1)")], client.encoding)
    assert diagnostic.range.end == types.Position(line=5, character=end)


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_encoding_negotiation(client: RecordingClient) -> None:
    assert client.encoding == "utf-16"


@pytest.mark.parametrize(
    "client", [Profile("visual-studio-code", encodings=("utf-8",))], indirect=True, ids=str
)
async def test_utf8_only_client_gets_utf8(client: RecordingClient) -> None:
    assert client.encoding == "utf-8"


@pytest.mark.parametrize(
    "client", [Profile("visual-studio-code", options={"debounceMs": 0})], indirect=True, ids=str
)
async def test_rapid_changes_publish_latest_version_last(
    client: RecordingClient, project: Path
) -> None:
    uri = open_document(client, project / "app" / "main.py", CALM)
    await wait_for_diagnostics(client, uri, version=1)

    final = 40
    for version in range(2, final + 1):
        text = SLEEPY * (version % 3 + 1) if version < final else SLEEPY
        replace_document(client, uri, version, text)
    diagnostics = await wait_for_diagnostics(client, uri, version=final)
    # A round trip: anything the server still had queued for older versions would come first.
    await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0),
        )
    )
    await asyncio.sleep(0)

    versions = [p.version for p in client.published if p.uri == uri]
    assert versions == sorted(versions)
    assert versions[-1] == final
    assert codes(diagnostics) == ["FBP201"]


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_out_of_order_messages_are_harmless(client: RecordingClient, project: Path) -> None:
    ghost = (project / "app" / "ghost.py").as_uri()
    replace_document(client, ghost, 5, SLEEPY)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=ghost))
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=ghost),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is None

    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]
    assert ghost not in client.diagnostics
    assert not [m for m in client.messages if m.type == types.MessageType.Error]


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_only_python_documents_are_analysed(client: RecordingClient, project: Path) -> None:
    notes = project / "notes.txt"
    notes.write_text(SLEEPY, encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=notes.as_uri(), language_id="plaintext", version=1, text=SLEEPY
            )
        )
    )
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    await wait_for_diagnostics(client, uri, version=1)
    assert notes.as_uri() not in client.diagnostics


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_untitled_python_document(client: RecordingClient) -> None:
    uri = "untitled:Untitled-1"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=SLEEPY
            )
        )
    )
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP201"]


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_reopened_document_gets_fresh_diagnostics(
    client: RecordingClient, project: Path
) -> None:
    path = project / "app" / "main.py"
    uri = open_document(client, path, SLEEPY)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    open_document(client, path, CALM, write=False)
    assert codes(await wait_for_diagnostics(client, uri, until=lambda d: not d)) == []
    replace_document(client, uri, 2, CALM + "\n")
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []
    assert codes(client.published[-1].diagnostics) == []


API = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
NOT_A_ROUTER = (
    "class Router:\n    def post(self, path):\n        return lambda f: f\n\n\nrouter = Router()\n"
)
ORDERS = (
    "import asyncio\n\nfrom app.api import router\n\n\nasync def notify():\n    ...\n\n\n"
    "@router.post('/orders')\nasync def place_order() -> None:\n    asyncio.create_task(notify())\n"
)


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_imports_resolve_across_open_files(client: RecordingClient, project: Path) -> None:
    # `app/api.py` exists only in the editor: the router is proven through the open buffer.
    api = open_document(client, project / "app" / "api.py", API, write=False)
    uri = open_document(client, project / "app" / "main.py", ORDERS)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == ["FBP208"]

    # Once the other module no longer makes a FastAPI router, saving it re-checks this one.
    replace_document(client, api, 2, NOT_A_ROUTER)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=api))
    )
    assert codes(await wait_for_diagnostics(client, uri, until=lambda d: not d)) == []


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_advertised_capabilities(client: RecordingClient) -> None:
    assert client.init_result is not None
    capabilities = client.init_result.capabilities
    sync = capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close is True and sync.save
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert capabilities.hover_provider
    actions = capabilities.code_action_provider
    assert isinstance(actions, types.CodeActionOptions)
    assert actions.resolve_provider is True
    assert set(actions.code_action_kinds or []) == {
        "quickfix",
        "source.fixAll",
        "source.fixAll.fastapi-practices",
    }
    assert client.init_result.server_info is not None
    assert client.init_result.server_info.name == "fastapi-practices"
