"""Hover over a diagnostic explains the rule; elsewhere there is nothing to say."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import open_document, position_of, wait_for_diagnostics

TEXT = '"""Polling."""\nimport time\n\n\nasync def poll():\n    x = "é😀"; time.sleep(1)\n'


async def hover_at(
    client: RecordingClient, uri: str, position: types.Position
) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )


async def test_hover_on_diagnostic(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", TEXT)
    (diagnostic,) = await wait_for_diagnostics(client, uri, version=1)

    result = await hover_at(client, uri, position_of(TEXT, "sleep(1)", client.encoding))

    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    assert result.contents.value.startswith("## FBP201 · blocking-sleep-in-async")
    assert "### Why it matters" in result.contents.value
    assert "```python" in result.contents.value
    assert result.range == diagnostic.range


async def test_no_hover_away_from_diagnostics(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", TEXT)
    await wait_for_diagnostics(client, uri, version=1)

    # The emoji sits just before the call on the same line: not inside the finding.
    assert await hover_at(client, uri, position_of(TEXT, "😀", client.encoding)) is None
    assert await hover_at(client, uri, position_of(TEXT, "import time", client.encoding)) is None
