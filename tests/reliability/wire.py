"""A raw JSON-RPC client over the server's stdio: it can send what a real client never would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
from typing import Any

TIMEOUT = 20.0
_LENGTH = re.compile(rb"Content-Length: (\d+)")


class RawServer:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.messages: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls) -> RawServer:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "fastapi_practices.lsp",
            "--stdio",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(process)

    def send_body(self, body: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: Any) -> None:
        self.send_body(json.dumps(message).encode())

    def request(self, msg_id: int | str, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def initialize(self, root_uri: str | None = None) -> dict[str, Any]:
        self.request(1, "initialize", {"processId": None, "rootUri": root_uri, "capabilities": {}})
        reply = await self.reply(1)
        self.notify("initialized", {})
        return reply

    async def reply(self, msg_id: int | str | None) -> dict[str, Any]:
        """The response to `msg_id` (None: a response whose id is null)."""

        def found() -> dict[str, Any] | None:
            for message in self.messages:
                if "method" not in message and "id" in message and message["id"] == msg_id:
                    return message
            return None

        async def wait() -> dict[str, Any]:
            while (message := found()) is None:
                self._arrived.clear()
                await self._arrived.wait()
            return message

        return await asyncio.wait_for(wait(), TIMEOUT)

    def replies(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if "method" not in m]

    async def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            try:
                header = await stream.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            match = _LENGTH.search(header)
            assert match is not None, header
            self.messages.append(json.loads(await stream.readexactly(int(match.group(1)))))
            self._arrived.set()

    async def close_stdin(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    async def finish(self) -> tuple[int, str]:
        """Wait for the process to end: its exit code and everything it wrote to stderr."""
        assert self.process.stderr is not None
        stderr = await asyncio.wait_for(self.process.stderr.read(), TIMEOUT)
        code = await asyncio.wait_for(self.process.wait(), TIMEOUT)
        await asyncio.wait_for(self._reader, TIMEOUT)
        return code, stderr.decode(errors="replace")

    async def stop(self) -> None:
        """End the process if it still runs, and release its pipes."""
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
        self._reader.cancel()
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                await self.process.stdin.wait_closed()
