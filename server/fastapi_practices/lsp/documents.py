"""Open documents: their pending analysis, their newest result, and what was published."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.lsp.analysis import Analysis


@dataclass
class DocumentState:
    """One open document. `opened` tells this opening apart from an earlier one of the same URI."""

    uri: str
    path: Path | None
    opened: int
    task: asyncio.Task[None] | None = None
    latest: Analysis | None = None
    published_sequence: int = 0

    def cancel_pending(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None

    def remember(self, analysis: Analysis) -> None:
        """Keep the newest analysis (by request order) for code actions and hover."""
        if self.latest is None or analysis.snapshot.sequence > self.latest.snapshot.sequence:
            self.latest = analysis


class OpenTexts:
    """Editor text of open files by resolved path, readable from analysis threads."""

    def __init__(self) -> None:
        self._texts: dict[Path, str] = {}
        self._lock = threading.Lock()

    def set(self, path: Path, text: str) -> None:
        with self._lock:
            self._texts[path] = text

    def discard(self, path: Path) -> None:
        with self._lock:
            self._texts.pop(path, None)

    def get(self, path: Path) -> str | None:
        with self._lock:
            return self._texts.get(path)

    def text_of(self, path: Path) -> str | None:
        """The editor's text when open, else the file on disk (None when unreadable)."""
        text = self.get(path)
        if text is not None:
            return text
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
