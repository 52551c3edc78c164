"""The language server: pygls wiring around `Session`. No rule logic lives here."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from fastapi_practices import __version__
from fastapi_practices.lsp import commands
from fastapi_practices.lsp.code_actions import PROVIDED_KINDS
from fastapi_practices.lsp.completion import Completer
from fastapi_practices.lsp.messages import ClientLogHandler
from fastapi_practices.lsp.protocol import PracticesProtocol
from fastapi_practices.lsp.session import Session
from fastapi_practices.rules import registry
from fastapi_practices.runtime import tune_gc, tune_threads_for_server

logger = logging.getLogger("fastapi_practices.lsp")

NAME = "fastapi-practices"
P = TypeVar("P")
R = TypeVar("R")


class PracticesServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            NAME,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=PracticesProtocol,
        )

    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(self.protocol, PracticesProtocol) and self.protocol.answer_unreadable(error):
            return
        if isinstance(error, JsonRpcException):
            return  # pygls has logged it, and the client got the error as its answer
        # pygls would pop up a message for every internal error; a log entry is enough.
        logger.error("internal error (%s): %s", getattr(source, "__name__", source), error)


def _guarded(handler: Callable[[P], Awaitable[R]], fallback: R) -> Callable[[P], Awaitable[R]]:
    """The handler, with any exception logged (with its traceback) instead of escaping.

    The wrapper's only parameter is `params`, so pygls does not inject the server.
    """
    name = getattr(handler, "__name__", "handler")

    async def guarded(params: P) -> R:
        try:
            return await handler(params)
        except Exception:
            logger.exception("%s failed", name)
            return fallback

    guarded.__name__ = name
    return guarded


def _guarded_sync(handler: Callable[[P], None]) -> Callable[[P], None]:
    name = getattr(handler, "__name__", "handler")

    def guarded(params: P) -> None:
        try:
            handler(params)
        except Exception:
            logger.exception("%s failed", name)

    guarded.__name__ = name
    return guarded


def _install_log_handler(server: LanguageServer) -> ClientLogHandler:
    handler = ClientLogHandler(server)
    for name in ("fastapi_practices", "pygls"):
        target = logging.getLogger(name)
        for old in [h for h in target.handlers if isinstance(h, ClientLogHandler)]:
            target.removeHandler(old)
        target.addHandler(handler)
    logging.getLogger("fastapi_practices").setLevel(logging.DEBUG)
    return handler


def create_server() -> PracticesServer:
    """A server with every feature registered (not started)."""
    registry.all_rules()  # load rules once, before analysis threads race to do it
    server = PracticesServer()
    session = Session(server, _install_log_handler(server))
    server.feature(types.INITIALIZE)(_guarded_sync(session.initialize))
    server.feature(types.INITIALIZED)(_guarded(session.initialized, None))
    server.feature(types.SHUTDOWN)(_guarded(session.shutdown, None))
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(_guarded(session.did_open, None))
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(_guarded(session.did_change, None))
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(_guarded(session.did_save, None))
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(_guarded(session.did_close, None))
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(
        _guarded(session.did_change_configuration, None)
    )
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(
        _guarded(session.did_change_watched_files, None)
    )
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=PROVIDED_KINDS, resolve_provider=True),
    )(_guarded(session.code_action, None))
    server.feature(types.CODE_ACTION_RESOLVE)(_guarded_resolve(session))
    server.feature(types.TEXT_DOCUMENT_HOVER)(_guarded(session.hover, None))
    completer = Completer(session)
    server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions())(
        _guarded(completer.completion, None)
    )
    commands.register(server, session)
    return server


def _guarded_resolve(session: Session) -> Callable[[types.CodeAction], Awaitable[types.CodeAction]]:
    async def resolve(params: types.CodeAction) -> types.CodeAction:
        try:
            return await session.resolve_code_action(params)
        except Exception:
            logger.exception("codeAction/resolve failed")
            return params

    return resolve


def run_server(transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> None:
    """Start the server and serve until the client disconnects."""
    tune_gc()
    tune_threads_for_server()
    server = create_server()
    if transport == "stdio":
        server.start_io()
        if isinstance(server.protocol, PracticesProtocol) and server.protocol.exit_code:
            raise SystemExit(server.protocol.exit_code)  # `exit` without `shutdown`
    elif transport == "tcp":
        server.start_tcp(host, port)
    elif transport in ("ws", "websocket"):
        server.start_ws(host, port)
    else:
        raise ValueError(f"unknown transport {transport!r} (use stdio, tcp or ws)")
