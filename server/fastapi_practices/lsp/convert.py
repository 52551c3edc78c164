"""Engine ↔ LSP translation: positions in the negotiated encoding, findings, diagnostics, edits.

The engine counts columns in code points. LSP clients count in UTF-16 code units (VS Code), or
in UTF-8 / UTF-32 when both sides agree on it at `initialize`. Lines end at `\\r\\n`, `\\r` or
`\\n` only, as the LSP and Python's tokenizer both define them.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from fastapi_practices import docs
from fastapi_practices.model import (
    Applicability,
    Finding,
    FixOption,
    Position,
    Range,
    RelatedLocation,
    Severity,
    TextEdit,
)

SOURCE = "fastapi-practices"
UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"
_LINE_END = re.compile(r"\r\n|\r|\n")

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def encoding_name(kind: object) -> str:
    """The negotiated position encoding as a plain string (UTF-16 when unknown)."""
    value = getattr(kind, "value", kind)
    return value if value in (UTF8, UTF16, UTF32) else UTF16


_CODECS = {name: PositionCodec(name) for name in (UTF8, UTF16, UTF32)}


def _units(text: str, encoding: str) -> int:
    """Length of `text` in the client's code units, counted by pygls's position codec."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    return int(_CODECS[encoding].client_num_units(text))


class TextLines:
    """Line table of one text, converting between engine and client positions."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        starts = [0]
        ends = []
        for match in _LINE_END.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        self._starts = starts
        self._ends = ends

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line(self, number: int) -> str:
        if 0 <= number < len(self._starts):
            return self.text[self._starts[number] : self._ends[number]]
        return ""

    def end(self) -> Position:
        last = len(self._starts) - 1
        return Position(last, self._ends[last] - self._starts[last])

    def offset(self, position: Position) -> int:
        """Code-point offset of an engine position, clamped to the text."""
        if position.line < 0:
            return 0
        if position.line >= len(self._starts):
            return len(self.text)
        start = self._starts[position.line]
        return min(start + max(position.column, 0), self._ends[position.line])

    def position_at(self, offset: int) -> Position:
        """Engine position of a code-point offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        low, high = 0, len(self._starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        column = min(offset, self._ends[low]) - self._starts[low]
        return Position(low, column)

    def to_client(self, position: Position) -> types.Position:
        if position.line >= len(self._starts):
            end = self.end()
            return types.Position(end.line, _units(self.line(end.line), self.encoding))
        line = self.line(position.line)
        column = min(max(position.column, 0), len(line))
        return types.Position(position.line, _units(line[:column], self.encoding))

    def from_client(self, position: types.Position) -> Position:
        """Engine position of a client position; a column inside a character rounds down."""
        if position.line >= len(self._starts):
            return self.end()
        line = self.line(position.line)
        if self.encoding == UTF32 or line.isascii():
            return Position(position.line, min(position.character, len(line)))
        units = 0
        for column, char in enumerate(line):
            width = _units(char, self.encoding)
            if units + width > position.character:
                return Position(position.line, column)
            units += width
        return Position(position.line, len(line))

    def range_to_client(self, rng: Range) -> types.Range:
        return types.Range(start=self.to_client(rng.start), end=self.to_client(rng.end))

    def range_from_client(self, rng: types.Range) -> Range:
        return Range(self.from_client(rng.start), self.from_client(rng.end))

    def whole(self) -> types.Range:
        return self.range_to_client(Range(Position(0, 0), self.end()))


def text_edit(edit: TextEdit, lines: TextLines) -> types.TextEdit:
    return types.TextEdit(range=lines.range_to_client(edit.range), new_text=edit.new_text)


def finding_data(finding: Finding, version: int | None) -> dict[str, Any]:
    """What a diagnostic carries so a code action can rebuild its finding."""
    data: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "severity": finding.severity.value,
        "range": _range_list(finding.range),
        "version": version,
        "fixes": [
            {
                "kind": option.kind,
                "title": option.title,
                "applicability": option.applicability.value,
                "preferred": option.is_preferred,
                "editorOnly": option.editor_only,
            }
            for option in finding.fixes
        ],
    }
    if finding.data:
        with contextlib.suppress(TypeError, ValueError):
            data["data"] = json.loads(json.dumps(dict(finding.data)))
    return data


def finding_from_data(data: object) -> Finding | None:
    """The finding a diagnostic's `data` describes, or None when it is not ours or malformed."""
    if not isinstance(data, Mapping):
        return None
    try:
        fixes = tuple(
            FixOption(
                kind=str(option["kind"]),
                title=str(option["title"]),
                applicability=Applicability(option["applicability"]),
                is_preferred=bool(option.get("preferred", False)),
                editor_only=bool(option.get("editorOnly", False)),
            )
            for option in data.get("fixes", ())
        )
        extra = data.get("data", {})
        return Finding(
            code=str(data["code"]),
            name=str(data["name"]),
            message=str(data["message"]),
            severity=Severity(data["severity"]),
            range=range_from_list(data["range"]),
            fixes=fixes,
            data=dict(extra) if isinstance(extra, Mapping) else {},
        )
    except (KeyError, TypeError, ValueError):
        return None


def _range_list(rng: Range) -> list[int]:
    return [rng.start.line, rng.start.column, rng.end.line, rng.end.column]


def range_from_list(value: object) -> Range:
    """An engine range from `[start line, start column, end line, end column]`."""
    if not isinstance(value, Sequence) or len(value) != 4:
        raise ValueError(f"not a range: {value!r}")
    start_line, start_col, end_line, end_col = (int(v) for v in value)
    return Range.of(start_line, start_col, end_line, end_col)


def diagnostic(
    finding: Finding,
    lines: TextLines,
    version: int | None,
    related: Sequence[types.DiagnosticRelatedInformation] = (),
) -> types.Diagnostic:
    return types.Diagnostic(
        range=lines.range_to_client(finding.range),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=docs.doc_url(finding.code)),
        source=SOURCE,
        related_information=list(related) or None,
        data=finding_data(finding, version),
    )


def related_information(
    location: RelatedLocation, uri: str, lines: TextLines
) -> types.DiagnosticRelatedInformation:
    return types.DiagnosticRelatedInformation(
        location=types.Location(uri=uri, range=lines.range_to_client(location.range)),
        message=location.message,
    )
