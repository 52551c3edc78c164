"""A minimal JSON-RPC client over stdio that times the server, not the client's own decoding.

It frames and writes LSP messages itself and decodes replies with the json module only (no
typed structuring), so the measured time is the server's work plus the pipe.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from typing import Any


class WireClient:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self._next_id = 0
        self.published: asyncio.Queue[int] = asyncio.Queue()
        self.indexed = asyncio.Event()
        """Set when the server logs that a workspace index is ready."""
        self._replies: dict[int, asyncio.Future[bytes]] = {}
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, *args: str) -> WireClient:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return cls(process)

    def notify(self, method: str, params: Any) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any) -> bytes:
        self._next_id += 1
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._replies[self._next_id] = future
        self._write({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout=60)

    def _write(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            header = await stream.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"Content-Length: (\d+)", header).group(1))  # type: ignore[union-attr]
            body = await stream.readexactly(length)
            message = json.loads(body)
            method = message.get("method")
            if method == "window/logMessage":
                if "fastapi-practices: indexed" in message["params"].get("message", ""):
                    self.indexed.set()
            elif method == "textDocument/publishDiagnostics":
                version = message["params"].get("version")
                if isinstance(version, int):
                    self.published.put_nowait(version)
            elif method is None:
                future = self._replies.pop(message.get("id"), None)
                if future is not None and not future.done():
                    future.set_result(body)
            elif "id" in message:
                # A request from the server (e.g. workspace/configuration): answer with nulls.
                items = (message.get("params") or {}).get("items", [])
                self._write({"jsonrpc": "2.0", "id": message["id"], "result": [None] * len(items)})

    async def close(self) -> None:
        await self.request("shutdown", None)
        self.notify("exit", None)
        self._reader.cancel()
        await self.process.wait()
