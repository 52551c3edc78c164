"""Client-side helpers: open and edit documents, wait for diagnostics, apply workspace edits.

Edits are applied here with an independent position decoder, so a server that miscounts
UTF-16 or UTF-8 columns produces the wrong text and fails the test.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types

from tests.lsp.clients import PUBLISH, RecordingClient

TIMEOUT = 20.0
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def open_document(
    client: RecordingClient, path: Path, text: str, version: int = 1, write: bool = True
) -> str:
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )
    return uri


def replace_document(client: RecordingClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def edit_document(
    client: RecordingClient, uri: str, version: int, edits: Sequence[types.TextEdit]
) -> None:
    """Send edits as incremental changes, last position first so earlier ranges stay valid."""
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
                for edit in reversed(ordered)
            ],
        )
    )


async def wait_for_diagnostics(
    client: RecordingClient,
    uri: str,
    version: int | None = None,
    until: Callable[[Sequence[types.Diagnostic]], bool] | None = None,
) -> Sequence[types.Diagnostic]:
    """The newest diagnostics for `uri` (for `version`, and satisfying `until`, when given)."""

    def ready() -> Sequence[types.Diagnostic] | None:
        for params in reversed(client.published):
            if params.uri != uri:
                continue
            if version is not None and params.version != version:
                return None
            if until is not None and not until(params.diagnostics):
                return None
            return params.diagnostics
        return None

    async def wait() -> Sequence[types.Diagnostic]:
        while True:
            next_publish = client.protocol.wait_for_notification_async(PUBLISH)
            # Left pending when not needed; the client fails it when the server exits.
            next_publish.add_done_callback(_retrieve)
            found = ready()
            if found is not None:
                return found
            await next_publish

    return await asyncio.wait_for(wait(), TIMEOUT)


def _retrieve(future: asyncio.Future[object]) -> None:
    if not future.cancelled():
        future.exception()


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def offset(text: str, position: types.Position, encoding: str) -> int:
    lines = _LINES.findall(text) or [""]
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line].rstrip("\r\n")
    count = 0
    for index, char in enumerate(line):
        if count >= position.character:
            return start + index
        count += units(char, encoding)
    return start + len(line)


def apply_text_edits(text: str, edits: Sequence[types.TextEdit], encoding: str) -> str:
    spans = sorted(
        (
            (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    if edit.document_changes is not None:
        result: list[types.TextEdit] = []
        for change in edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            if change.text_document.uri == uri:
                result.extend(e for e in change.edits if isinstance(e, types.TextEdit))
        return result
    assert edit.changes is not None
    return list(edit.changes.get(uri, []))


def position_of(text: str, needle: str, encoding: str, occurrence: int = 0) -> types.Position:
    """The client position of the `occurrence`-th `needle` in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return types.Position(line=line, character=units(column_text, encoding))


async def until(condition: Callable[[], bool]) -> None:
    """Wait (at most TIMEOUT) until `condition()` holds."""

    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), TIMEOUT)


def index_summaries(client: RecordingClient) -> list[str]:
    """The server's "indexed N files" log lines, one per project index built."""
    return [
        m.message for m in client.log_messages if m.message.startswith("fastapi-practices: indexed")
    ]


async def index_ready(client: RecordingClient) -> None:
    await until(lambda: bool(index_summaries(client)))
