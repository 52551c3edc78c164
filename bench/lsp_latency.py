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

from bench import workspace_index
from bench.generate import generate_module
from bench.wire_client import WireClient

# Typing happens in this comment line, so every version stays valid Python.
_SCRATCH = "# scratch\n"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(round(fraction * (len(ordered) - 1)), len(ordered) - 1)
    return ordered[index]


async def _measure(lines: int, changes: int) -> list[float]:
    client = LanguageClient("fastapi-practices-bench", "1")
    arrivals: asyncio.Queue[int] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        arrivals.put_nowait(params.version)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def _on_log(params: types.LogMessageParams) -> None:
        pass

    await client.start_io(sys.executable, "-m", "fastapi_practices.lsp", "--stdio")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.py"
        text = generate_module(lines) + _SCRATCH
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
        line = text.count("\n") - 1
        for version in range(2, changes + 2):
            change = types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 1), types.Position(line, 1)),
                text="#" if version % 2 == 0 else "",
            )
            if version % 2 == 1:
                change = types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(line, 1), types.Position(line, 2)), text=""
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


async def _wait_for_version(arrivals: asyncio.Queue[int], version: int) -> None:
    while True:
        got = await asyncio.wait_for(arrivals.get(), timeout=30)
        if got == version:
            return


async def _measure_wire(lines: int, changes: int, project_files: int = 0) -> list[float]:
    """Latency of one-character edits; inside a generated domain project of `project_files`
    files, indexed before the edits start, when that is not 0."""
    client = await WireClient.start("-m", "fastapi_practices.lsp", "--stdio")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "orders.py"
        if project_files:
            workspace_index.generate(root, project_files)
            path = root / "src" / "domain0" / "orders.py"
        text = generate_module(lines) + _SCRATCH
        path.write_text(text)
        uri = path.as_uri()
        await client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
                "capabilities": {},
                "initializationOptions": {"debounceMs": 0},
            },
        )
        client.notify("initialized", {})
        if project_files:
            await asyncio.wait_for(client.indexed.wait(), timeout=300)
        item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        client.notify("textDocument/didOpen", {"textDocument": item})
        await _wait_for_version(client.published, 1)
        line = text.count("\n") - 1
        samples = []
        for version in range(2, changes + 2):
            end = 1 if version % 2 == 0 else 2
            change = {
                "range": {
                    "start": {"line": line, "character": 1},
                    "end": {"line": line, "character": end},
                },
                "text": "#" if version % 2 == 0 else "",
            }
            start = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [change],
                },
            )
            await _wait_for_version(client.published, version)
            samples.append(time.perf_counter() - start)
        await client.close()
    return samples


def completion_latency(lines: int = 1000, requests: int = 100) -> None:
    """Round trip of `fbp-` snippet completion at the end of a domain's router.py of `lines`
    lines, each request right after a one-character edit: typing at 10 keys a second with the
    default debounce, then the worst case (debounce 0: an analysis starts with every key)."""

    async def measure(pause: float, debounce: int) -> list[float]:
        client = await WireClient.start("-m", "fastapi_practices.lsp", "--stdio")
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "pyproject.toml").write_text('[project]\nname = "bench"\nversion = "0"\n')
            (root / "src" / "posts").mkdir(parents=True)
            path = root / "src" / "posts" / "router.py"
            text = generate_module(lines) + "\n\nfbp-g"
            path.write_text(text)
            uri = path.as_uri()
            snippets = {"completion": {"completionItem": {"snippetSupport": True}}}
            await client.request(
                "initialize",
                {
                    "processId": None,
                    "rootUri": root.as_uri(),
                    "capabilities": {"textDocument": snippets},
                    "initializationOptions": {"debounceMs": debounce},
                },
            )
            client.notify("initialized", {})
            item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
            client.notify("textDocument/didOpen", {"textDocument": item})
            await _wait_for_version(client.published, 1)
            line = text.count("\n")
            samples = []
            for version in range(2, requests + 2):
                typed = version % 2 == 0  # type "e" after "fbp-g", then delete it again
                end = {"line": line, "character": 5 if typed else 6}
                change = {"range": {"start": {"line": line, "character": 5}, "end": end}}
                client.notify(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{**change, "text": "e" if typed else ""}],
                    },
                )
                position = {"line": line, "character": 6 if typed else 5}
                start = time.perf_counter()
                reply = await client.request(
                    "textDocument/completion", {"textDocument": {"uri": uri}, "position": position}
                )
                samples.append(time.perf_counter() - start)
                assert b"fbp-get" in reply, reply[:200]
                await asyncio.sleep(pause)
            await client.close()
        return samples

    for label, pause, debounce in (("10 keys/s, debounce 150 ms", 0.1, 150), ("debounce 0", 0, 0)):
        ms = [s * 1000 for s in asyncio.run(measure(pause, debounce))]
        print(
            f"completion (fbp- snippets, wire-level client, {label}), {lines:,}-line "
            f"router.py, {requests} requests: p50 {statistics.median(ms):.1f} ms, "
            f"p95 {_percentile(ms, 0.95):.1f} ms, max {max(ms):.1f}"
        )


def _print(label: str, lines: int, changes: int, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(
        f"didChange→publishDiagnostics ({label}), {lines:,}-line module, {changes} changes, "
        f"debounce 0: p50 {statistics.median(ms):.1f} ms, p95 {_percentile(ms, 0.95):.1f} ms, "
        f"min {min(ms):.1f}, max {max(ms):.1f}"
    )


def main(sizes: tuple[int, ...] = (1000, 10000), changes: int = 200) -> None:
    for lines in sizes:
        _print(
            "server, wire-level client", lines, changes, asyncio.run(_measure_wire(lines, changes))
        )
        _print("pygls LanguageClient", lines, changes, asyncio.run(_measure(lines, changes)))
    files = 2000
    samples = asyncio.run(_measure_wire(1000, changes, project_files=files))
    _print(f"wire-level client, inside an indexed {files:,}-file project", 1000, changes, samples)
    completion_latency(1000)


if __name__ == "__main__":
    main()
