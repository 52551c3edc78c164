"""Protocol robustness over raw stdio: malformed JSON-RPC, unknown methods, the lifecycle
(requests before `initialize`, a second `initialize`, requests after `shutdown`, `exit` with and
without `shutdown`) and a client that disappears. Each gets the spec's answer, the process ends
with the right code, and nothing reaches stderr."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.wire import RawServer

HOVER = {"textDocument": {"uri": "file:///nowhere/x.py"}, "position": {"line": 0, "character": 0}}
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
SERVER_NOT_INITIALIZED = -32002


@pytest.fixture
async def server() -> AsyncIterator[RawServer]:
    started = await RawServer.start()
    yield started
    await started.stop()


async def _ends_cleanly(server: RawServer, expected_code: int) -> None:
    code, stderr = await server.finish()
    assert code == expected_code
    assert stderr == ""


async def test_malformed_messages_get_errors_and_the_server_goes_on(server: RawServer) -> None:
    await server.initialize()
    server.send_body(b"{not json")
    assert (await server.reply(None))["error"]["code"] == PARSE_ERROR
    server.send_body(b"[1, 2]")
    server.send({"id": 5, "method": "textDocument/hover", "params": HOVER})  # no "jsonrpc"
    assert (await server.reply(5))["error"]["code"] == INVALID_REQUEST
    server.request(6, "textDocument/hover", {"bogus": 1})
    assert (await server.reply(6))["error"]["code"] == INVALID_PARAMS
    server.notify("textDocument/didOpen", {"textDocument": 3})
    errors = [m["error"]["code"] for m in server.replies() if m.get("id") is None]
    assert errors == [PARSE_ERROR, INVALID_REQUEST]

    server.request(7, "textDocument/hover", HOVER)
    assert (await server.reply(7)) == {"id": 7, "jsonrpc": "2.0", "result": None}
    server.request(8, "shutdown")
    await server.reply(8)
    server.notify("exit")
    await _ends_cleanly(server, 0)


async def test_unknown_methods(server: RawServer) -> None:
    await server.initialize()
    server.request(2, "fastapi/nothing", {})
    assert (await server.reply(2))["error"]["code"] == METHOD_NOT_FOUND
    server.notify("fastapi/nothing", {})
    server.notify("$/somethingOptional", {})
    server.request(3, "textDocument/hover", HOVER)
    await server.reply(3)
    assert [m["id"] for m in server.replies()] == [1, 2, 3]
    logged = [m["params"]["message"] for m in server.messages if m.get("method")]
    assert not any("internal error" in message for message in logged)


async def test_requests_before_initialize(server: RawServer, tmp_path: Path) -> None:
    server.request("early", "textDocument/hover", HOVER)
    assert (await server.reply("early"))["error"]["code"] == SERVER_NOT_INITIALIZED
    early = tmp_path / "early.py"
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": early.as_uri(), "languageId": "python", "version": 1,
                          "text": "x = (\n"}},
    )  # fmt: skip
    reply = await server.initialize(tmp_path.as_uri())
    assert "capabilities" in reply["result"]
    server.request(2, "textDocument/hover", HOVER)
    await server.reply(2)
    # The notification sent before `initialize` was dropped: that document is not open.
    assert not [m for m in server.messages if m.get("method") == "textDocument/publishDiagnostics"]


async def test_a_second_initialize_is_refused(server: RawServer) -> None:
    await server.initialize()
    server.request(2, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    assert (await server.reply(2))["error"]["code"] == INVALID_REQUEST
    server.request(3, "textDocument/hover", HOVER)
    assert "result" in await server.reply(3)


async def test_requests_after_shutdown_are_invalid(server: RawServer) -> None:
    await server.initialize()
    server.request(2, "shutdown")
    assert (await server.reply(2))["result"] is None
    server.request(3, "textDocument/hover", HOVER)
    assert (await server.reply(3))["error"]["code"] == INVALID_REQUEST
    server.notify("exit")
    await _ends_cleanly(server, 0)


async def test_exit_without_shutdown_ends_with_code_1(server: RawServer) -> None:
    await server.initialize()
    server.notify("exit")
    await _ends_cleanly(server, 1)


@pytest.mark.parametrize("midway", [False, True], ids=["between-messages", "inside-a-message"])
async def test_a_client_that_disappears(server: RawServer, midway: bool) -> None:
    await server.initialize()
    if midway:
        assert server.process.stdin is not None
        server.process.stdin.write(b'Content-Length: 100\r\n\r\n{"jsonrpc": "2.0"')
    await server.close_stdin()
    await _ends_cleanly(server, 0)
