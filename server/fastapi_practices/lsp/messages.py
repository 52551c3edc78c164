"""Talking to the user: `window/logMessage` for logs, `window/showMessage` once per problem."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterable

from lsprotocol import types
from pygls.lsp.server import LanguageServer

logger = logging.getLogger("fastapi_practices.lsp")

_MESSAGE_TYPES = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
)


def _message_type(level: int) -> types.MessageType:
    for threshold, kind in _MESSAGE_TYPES:
        if level >= threshold:
            return kind
    return types.MessageType.Log


def _ours_or_serious(record: logging.LogRecord) -> bool:
    """Our own records at the chosen level; the library's only when they are warnings."""
    return record.name.startswith("fastapi_practices") or record.levelno >= logging.WARNING


class ClientLogHandler(logging.Handler):
    """Forwards log records to the client as `window/logMessage`, from any thread."""

    def __init__(self, server: LanguageServer) -> None:
        super().__init__()
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None
        self._sending = threading.local()
        self.setFormatter(logging.Formatter("%(message)s"))
        self.addFilter(_ours_or_serious)

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._sending, "active", False):
            return  # a failure while sending must not log itself forever
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            params = types.LogMessageParams(
                type=_message_type(record.levelno), message=self.format(record)
            )
            if _running_loop() is loop:
                self._send(params)
            else:
                loop.call_soon_threadsafe(self._send, params)
        except Exception:  # logging must never raise into the caller
            return

    def _send(self, params: types.LogMessageParams) -> None:
        self._sending.active = True
        try:
            self.server.window_log_message(params)
        except Exception:
            return
        finally:
            self._sending.active = False


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Notifier:
    """Shows each distinct problem once, until the problem set is reset."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self._shown: set[str] = set()

    def warn_once(self, problems: Iterable[str], prefix: str = "fastapi-practices: ") -> None:
        new = [problem for problem in problems if problem not in self._shown]
        if not new:
            return
        self._shown.update(new)
        message = prefix + "; ".join(new)
        logger.warning("%s", message)
        try:
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=message)
            )
        except Exception:
            logger.exception("could not show a message to the user")

    def forget(self, keep: Iterable[str] = ()) -> None:
        """Allow problems not in `keep` to be shown again when they come back."""
        self._shown &= set(keep)
