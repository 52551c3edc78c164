"""The LSP face's pure parts: position conversion, change application, settings parsing."""

from __future__ import annotations

from fastapi_practices.lsp.convert import TextLines, finding_data, finding_from_data
from fastapi_practices.lsp.protocol import apply_change
from fastapi_practices.lsp.settings import merge, parse
from fastapi_practices.model import Applicability, Finding, FixOption, Position, Range, Severity
from lsprotocol import types


def test_positions_in_each_encoding() -> None:
    text = 'x = "é😀"; y\n'
    column = text.index("y")
    for encoding, expected in (("utf-16", 11), ("utf-8", 14), ("utf-32", 10)):
        lines = TextLines(text, encoding)
        client = lines.to_client(Position(0, column))
        assert client == types.Position(line=0, character=expected)
        assert lines.from_client(client) == Position(0, column)


def test_client_column_inside_a_surrogate_pair_rounds_down() -> None:
    lines = TextLines("😀x", "utf-16")
    assert lines.from_client(types.Position(line=0, character=1)) == Position(0, 0)
    assert lines.from_client(types.Position(line=0, character=99)) == Position(0, 2)


def test_only_lsp_line_ends_split_lines() -> None:
    text = "a\x0cb\r\nc\rd\u2028e\n"
    lines = TextLines(text, "utf-16")
    assert [lines.line(n) for n in range(lines.line_count)] == ["a\x0cb", "c", "d\u2028e", ""]
    assert lines.position_at(text.index("c")) == Position(1, 0)
    assert lines.offset(Position(2, 1)) == text.index("\u2028")
    assert lines.to_client(Position(9, 0)) == types.Position(line=3, character=0)


def test_incremental_change_after_form_feed() -> None:
    text = "a\x0c = 1\nb = 2\n"
    change = types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=1, character=0), end=types.Position(line=1, character=1)
        ),
        text="c",
    )
    assert apply_change(text, change, "utf-16") == "a\x0c = 1\nc = 2\n"


def test_incremental_change_with_utf8_columns() -> None:
    text = 'x = "é"\n'
    change = types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=0, character=5), end=types.Position(line=0, character=7)
        ),
        text="e",
    )
    assert apply_change(text, change, "utf-8") == 'x = "e"\n'


def test_finding_round_trips_through_diagnostic_data() -> None:
    finding = Finding(
        code="FBP201",
        name="blocking-sleep-in-async",
        message="m",
        severity=Severity.WARNING,
        range=Range.of(4, 4, 4, 17),
        fixes=(FixOption("asyncio-sleep", "t", Applicability.SAFE, True),),
        data={"n": 1, "unserialisable": object()},
    )
    rebuilt = finding_from_data(finding_data(finding, 3))
    assert rebuilt is not None
    assert rebuilt.code == finding.code
    assert rebuilt.range == finding.range
    assert rebuilt.fixes == finding.fixes
    assert dict(rebuilt.data) == {}
    assert finding_from_data({"code": "FBP201"}) is None
    assert finding_from_data("nonsense") is None


def test_settings_wrappers_and_empty_defaults() -> None:
    raw = merge(
        {"settings": {"fastapiPractices": {"ignore": ["FBP201"], "debounceMs": 5}}},
        {"ignore": [], "select": None, "trace": {"server": "off"}},
    )
    parsed = parse(raw)
    assert parsed.problems == ()
    assert parsed.settings.debounce_ms == 5
    assert dict(parsed.settings.engine_overrides) == {"ignore": ["FBP201"]}


def test_bad_settings_name_their_key_and_fall_back() -> None:
    parsed = parse({"debounceMs": "fast", "enable": "yes", "slect": ["FBP2"], "ignore": ["FBP201"]})
    assert len(parsed.problems) == 3
    assert any("'debounceMs'" in p for p in parsed.problems)
    assert any("'enable'" in p for p in parsed.problems)
    assert any("'slect'" in p for p in parsed.problems)
    assert parsed.settings.enable is True
    assert dict(parsed.settings.engine_overrides) == {"ignore": ["FBP201"]}
