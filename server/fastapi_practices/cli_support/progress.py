"""A single progress line on a terminal's stderr, for large runs only.

The line is rewritten in place with a carriage return and erased at the end, so nothing of it
remains in the scrollback. On anything that is not a terminal it writes nothing at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

LARGE_RUN = 500
"""Runs over this many files show progress (smaller ones finish before it would help)."""
_MIN_INTERVAL = 0.1

Reporter = Callable[[int, int], None]


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class ProgressLine:
    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self._width = 0
        self._last = 0.0

    @classmethod
    def for_run(cls, stream: TextIO, file_count: int) -> ProgressLine:
        return cls(stream, file_count > LARGE_RUN and _is_terminal(stream))

    def reporter(self, label: str) -> Reporter | None:
        """A `(done, total)` callback that shows `label done/total`, or None when disabled."""
        if not self.enabled:
            return None

        def report(done: int, total: int) -> None:
            self.show(f"{label} {done}/{total} files", final=done >= total)

        return report

    def show(self, text: str, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and self._width and now - self._last < _MIN_INTERVAL):
            return
        self._last = now
        padding = " " * max(0, self._width - len(text))
        self._write(f"\r{text}{padding}")
        self._width = len(text)

    def clear(self) -> None:
        if self.enabled and self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False
