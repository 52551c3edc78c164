"""pygls' protocol, with document changes applied the LSP way and the lifecycle the spec asks.

pygls splits lines with `str.splitlines`, which also breaks at form feeds and other separators
that are not line ends for the client, so incremental edits after such a character land on the
wrong line. Here changes are applied with the LSP's own line ends, and a change for a document
that was never opened is logged and ignored instead of raising.

The JSON-RPC and LSP answers pygls leaves out are given here: a request whose parameters do not
fit its method gets "invalid params" (pygls would leave it unanswered), a message that is not a
JSON-RPC object gets "invalid request", requests before `initialize` get "server not
initialized" (notifications then are dropped), a second `initialize` and requests after
`shutdown` get "invalid request", and an `exit` without `shutdown` ends the process with code 1.
A `$/cancelRequest` for a request already answered is ignored quietly.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from functools import partial
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol, lsp_method

from fastapi_practices.lsp.convert import TextLines, encoding_name

logger = logging.getLogger("fastapi_practices.lsp")


def apply_change(text: str, change: types.TextDocumentContentChangeEvent, encoding: str) -> str:
    if isinstance(change, types.TextDocumentContentChangePartial):
        lines = TextLines(text, encoding)
        rng = lines.range_from_client(change.range)
        start, end = lines.offset(rng.start), lines.offset(rng.end)
        if end < start:
            start, end = end, start
        return text[:start] + change.text + text[end:]
    return change.text


_ANSWERED = object()
"""Stands for a request that could not be read and was already answered with an error."""


class _Futures(dict[Any, Any]):
    """pygls' table of pending futures, safe to iterate while a future's callback edits it
    (`shutdown` cancels every future, and cancelling runs `_forget_future` at once)."""

    def items(self) -> list[tuple[Any, Any]]:  # type: ignore[override]
        return list(super().items())


class PracticesProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request_futures = _Futures(self._request_futures)
        self.initialize_received = False
        self.exit_code: int | None = None
        """Set by `exit`: 0 after `shutdown`, else 1."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" in data and "method" in data:
                self._answer_error(data["id"], error)
                return _ANSWERED
            raise

    def handle_message(self, message: Any) -> None:
        if message is _ANSWERED:
            return
        if not hasattr(message, "jsonrpc"):  # valid JSON, but no JSON-RPC message object
            msg_id = message.get("id") if isinstance(message, dict) else None
            self._answer_error(msg_id, JsonRpcInvalidRequest())
            return
        method = getattr(message, "method", None)
        msg_id = getattr(message, "id", None)
        is_request = method is not None and msg_id is not None
        if method == types.INITIALIZE:
            if self.initialize_received:
                self._answer_error(msg_id, JsonRpcInvalidRequest("initialize was already sent"))
                return
            self.initialize_received = True
        elif not self.initialize_received and method != types.EXIT:
            if is_request:
                self._answer_error(msg_id, JsonRpcServerNotInitialized())
            return
        elif self._shutdown and is_request:
            self._answer_error(msg_id, JsonRpcInvalidRequest("the server is shutting down"))
            return
        super().handle_message(message)

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        # pygls files every handler's future under its id and removes it only for a request's
        # own answer: each notification (and each step of its built-in handlers) would stay,
        # with its parameters (whole document texts), for the life of the process.
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(partial(self._forget_future, msg_id))

    def _forget_future(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    def _handle_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        future = self._request_futures.get(msg_id)
        if future is not None and future.done():
            # The server stopped waiting (a timeout) before this answer came: nothing to do.
            del self._request_futures[msg_id]
            logger.info("a late answer to request %s was dropped", msg_id)
            return
        super()._handle_response(msg_id, result, error)

    def answer_unreadable(self, error: Exception) -> bool:
        """Answer a message that is not JSON with "parse error"; False for other errors."""
        if not isinstance(error, ValueError):  # JSONDecodeError, UnicodeDecodeError
            return False
        self._answer_error(None, JsonRpcParseError())
        return True

    def _answer_error(self, msg_id: Any, error: JsonRpcException) -> None:
        logger.info("answering a message with %s: %s", type(error).__name__, error.message)
        # A plain object, so that an unknown id is sent as `"id": null`, as JSON-RPC asks.
        self._send_data(
            {
                "jsonrpc": "2.0",
                "id": msg_id,
                "error": {"code": error.code, "message": error.message},
            }
        )

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        # pygls raises SystemExit with this code, then swallows it in its IO loop.
        self.exit_code = 0 if self._shutdown else 1
        yield from super().lsp_exit(*args)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        uri = params.text_document.uri
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            logger.warning("ignoring a change to %s, which is not open", uri)
            return
        encoding = encoding_name(self.workspace.position_encoding)
        text = document.source
        for change in params.content_changes:
            text = apply_change(text, change, encoding)
        self.workspace.put_text_document(
            types.TextDocumentItem(
                uri=document.uri,
                language_id=document.language_id or "",
                version=params.text_document.version,
                text=text,
            )
        )
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        # A cancellation may cross the answer on the wire; the LSP says to ignore it then,
        # where pygls would log a warning (shown to the user) each time.
        if msg_id in self._request_futures:
            super()._handle_cancel_notification(msg_id)
