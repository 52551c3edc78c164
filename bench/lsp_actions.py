"""Editor figures beyond typing: code-action listing and resolve latency, and how soon the open
file gets diagnostics while a large workspace is still being indexed."""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import workspace_index
from bench.generate import generate_module
from bench.wire_client import WireClient

RESOLVING_CLIENT: dict[str, Any] = {
    "textDocument": {
        "codeAction": {
            "dataSupport": True,
            "resolveSupport": {"properties": ["edit"]},
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}},
        }
    }
}


def _summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, min {ms[0]:.1f}, max {ms[-1]:.1f}"
    )


async def _open(client: WireClient, root: Path, path: Path, text: str) -> str:
    await client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
            "capabilities": RESOLVING_CLIENT,
            "initializationOptions": {"debounceMs": 0},
        },
    )
    client.notify("initialized", {})
    uri = path.as_uri()
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})
    return uri


async def code_actions(lines: int = 1000, requests: int = 50) -> None:
    """Listing the quick fixes of a line, and resolving one (the edit is built on resolve)."""
    client = await WireClient.start("-m", "fastapi_practices.lsp", "--stdio")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "orders.py"
        text = generate_module(lines)
        path.write_text(text)
        uri = await _open(client, root, path, text)
        while await asyncio.wait_for(client.published.get(), timeout=60) != 1:
            pass
        sleeps = [n for n, line in enumerate(text.splitlines()) if "time.sleep(" in line]
        listing: list[float] = []
        resolving: list[float] = []
        attempt = 0
        while len(resolving) < requests and attempt < requests * len(sleeps):
            line = sleeps[attempt % len(sleeps)]
            attempt += 1
            params = {
                "textDocument": {"uri": uri},
                "range": {
                    "start": {"line": line, "character": 0},
                    "end": {"line": line, "character": 200},
                },
                "context": {"diagnostics": []},
            }
            started = time.perf_counter()
            actions = json.loads(await client.request("textDocument/codeAction", params))["result"]
            listing.append(time.perf_counter() - started)
            fix = next((a for a in actions if a.get("data", {}).get("code") == "FBP201"), None)
            if fix is None:
                continue  # a `time.sleep` in a plain `def`: nothing to fix
            started = time.perf_counter()
            resolved = json.loads(await client.request("codeAction/resolve", fix))["result"]
            resolving.append(time.perf_counter() - started)
            assert resolved.get("edit"), "the resolved action carries its edit"
        await client.close()
    print(f"codeAction listing, {lines:,}-line module, {requests} requests: {_summary(listing)}")
    print(f"codeAction/resolve (LibCST fix built), same module: {_summary(resolving)}")


async def _first_diagnostics_once(root: Path, path: Path, text: str) -> tuple[float, float]:
    client = await WireClient.start("-m", "fastapi_practices.lsp", "--stdio")
    started = time.perf_counter()
    await _open(client, root, path, text)
    opened = time.perf_counter()
    while await asyncio.wait_for(client.published.get(), timeout=120) != 1:
        pass
    first = time.perf_counter() - opened
    await asyncio.wait_for(client.indexed.wait(), timeout=300)
    indexed = time.perf_counter() - started
    await client.close()
    return first, indexed


def first_diagnostics(files: int = 2000, runs: int = 5) -> None:
    """From didOpen right after `initialized` to the open file's first diagnostics, while the
    server indexes a generated project of `files` files in the background."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        workspace_index.generate(root, files)
        path = root / "src" / "domain0" / "orders.py"
        text = generate_module(1000)
        path.write_text(text)
        results = [asyncio.run(_first_diagnostics_once(root, path, text)) for _ in range(runs)]
    firsts = [first for first, _ in results]
    indexed = [index for _, index in results]
    print(
        f"first diagnostics of a 1,000-line file opened while a {files:,}-file workspace is "
        f"indexed ({runs} server starts): {_summary(firsts)} (target <= 1 s); "
        f"index ready after {statistics.median(indexed):.2f} s median"
    )


def main() -> None:
    asyncio.run(code_actions())
    first_diagnostics()


if __name__ == "__main__":
    main()
