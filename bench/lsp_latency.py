"""Editor latency through a real LSP client: didChange → publishDiagnostics, debounce off."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from bench.generate import generate_module


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(round(fraction * (len(ordered) - 1)), len(ordered) - 1)
    return ordered[index]


async def _measure(lines: int, changes: int) -> list[float]:
    client = LanguageClient("fastapi-practices-bench", "1")
    arrivals: asyncio.Queue[int | None] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        arrivals.put_nowait(params.version)

    await client.start_io(sys.executable, "-m", "fastapi_practices.lsp", "--stdio")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.py"
        text = generate_module(lines)
        path.write_text(text)
        uri = path.as_uri()
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=Path(tmp).as_uri(),
                initialization_options={"debounceMs": 0},
            )
        )
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
            )
        )
        await _wait_for_version(arrivals, 1)
        samples = []
        line = text.count("\n") - 2
        for version in range(2, changes + 2):
            change = types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 0), types.Position(line, 0)),
                text="#" if version % 2 == 0 else "",
            )
            if version % 2 == 1:
                change = types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(line, 0), types.Position(line, 1)), text=""
                )
            start = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[change],
                )
            )
            await _wait_for_version(arrivals, version)
            samples.append(time.perf_counter() - start)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    return samples


async def _wait_for_version(arrivals: asyncio.Queue[int | None], version: int) -> None:
    while True:
        got = await asyncio.wait_for(arrivals.get(), timeout=30)
        if got == version:
            return


def main(sizes: tuple[int, ...] = (1000, 10000), changes: int = 200) -> None:
    for lines in sizes:
        samples = asyncio.run(_measure(lines, changes))
        ms = [s * 1000 for s in samples]
        print(
            f"didChange→publishDiagnostics, {lines:,}-line module, {changes} changes, debounce 0: "
            f"p50 {statistics.median(ms):.1f} ms, p95 {_percentile(ms, 0.95):.1f} ms, "
            f"min {min(ms):.1f}, max {max(ms):.1f}"
        )


if __name__ == "__main__":
    main()
