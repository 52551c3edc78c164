"""Plain data shared by the engine, the rules, the fixes and both faces (CLI, LSP)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "information"

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Accept `error`, `warning`, `information`/`info`, or the letters E, W, I."""
        aliases = {"e": cls.ERROR, "w": cls.WARNING, "i": cls.INFO, "info": cls.INFO}
        lowered = text.strip().lower()
        if lowered in aliases:
            return aliases[lowered]
        return cls(lowered)

    @property
    def letter(self) -> str:
        return self.name[0]


class Applicability(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Position:
    """Zero-based line and zero-based column counted in Unicode code points."""

    line: int
    column: int


@dataclass(frozen=True, order=True)
class Range:
    start: Position
    end: Position

    @classmethod
    def of(cls, start_line: int, start_col: int, end_line: int, end_col: int) -> Range:
        return cls(Position(start_line, start_col), Position(end_line, end_col))

    def overlaps(self, other: Range) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, pos: Position) -> bool:
        return self.start <= pos <= self.end


@dataclass(frozen=True)
class FixOption:
    """One way to fix a finding. The edit itself is built lazily by the rule's fixer `kind`."""

    kind: str
    title: str
    applicability: Applicability
    is_preferred: bool = False
    editor_only: bool = False
    """The fix edits other files too: offered by the language server, never applied by the CLI,
    which fixes one file at a time."""


@dataclass(frozen=True)
class RelatedLocation:
    path: str
    range: Range
    message: str


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    severity: Severity
    range: Range
    fixes: tuple[FixOption, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    related: tuple[RelatedLocation, ...] = ()

    @property
    def safe_fix(self) -> FixOption | None:
        for option in self.fixes:
            if option.applicability is Applicability.SAFE:
                return option
        return None

    def fix(self, kind: str) -> FixOption | None:
        for option in self.fixes:
            if option.kind == kind:
                return option
        return None


@dataclass(frozen=True)
class TextEdit:
    range: Range
    new_text: str


@dataclass(frozen=True)
class FileEdit:
    """Edits against one file other than the one analysed (used by cross-file fixes)."""

    path: str
    edits: tuple[TextEdit, ...]
    create: bool = False
