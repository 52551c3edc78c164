"""`rules`, `rule`, `docs` and `serve`."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from fastapi_practices.cli_support import rule_pages
from fastapi_practices.docs import doc_url, render_markdown
from fastapi_practices.rules import registry

from tests.cli.helpers import run

CaptureFixture = pytest.CaptureFixture[str]
REPOSITORY = Path(__file__).resolve().parents[2]
COMMITTED_PAGES = REPOSITORY / "docs" / "rules"


def test_rules_lists_every_rule(capsys: CaptureFixture) -> None:
    result = run(capsys, "rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIX"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == set(registry.all_codes())
    assert rows["FBP201"] == ["FBP201", "blocking-sleep-in-async", "warning", "safe"]
    assert rows["FBP001"] == ["FBP001", "syntax-error", "error", "—"]


def test_rules_as_json(capsys: CaptureFixture) -> None:
    result = run(capsys, "rules", "--format", "json")
    entries = {entry["code"]: entry for entry in json.loads(result.out)}
    assert set(entries) == set(registry.all_codes())
    assert entries["FBP201"]["fix"] == "safe"
    assert entries["FBP201"]["severity"] == "warning"
    assert entries["FBP201"]["url"] == doc_url("FBP201")
    assert entries["FBP001"]["fix"] is None


def test_rule_prints_its_page(capsys: CaptureFixture) -> None:
    rule = registry.get_rule("FBP201")
    assert rule is not None
    for spelling in ("FBP201", "fbp201"):
        result = run(capsys, "rule", spelling)
        assert (result.code, result.out) == (0, render_markdown(rule))


def test_rule_all_prints_every_page(capsys: CaptureFixture) -> None:
    result = run(capsys, "rule", "--all")
    assert result.code == 0
    assert result.out.count("\n## FBP") + result.out.startswith("## FBP") == len(
        registry.all_codes()
    )


def test_unknown_rule(capsys: CaptureFixture) -> None:
    result = run(capsys, "rule", "FBP999")
    assert result.code == 2
    assert "unknown rule code 'FBP999'" in result.err
    assert run(capsys, "rule").code == 2


def test_docs_writes_one_page_per_rule(tmp_path: Path, capsys: CaptureFixture) -> None:
    target = tmp_path / "rules"
    write_stale = target / "FBP000.md"
    target.mkdir()
    write_stale.write_text("stale\n", encoding="utf-8")
    assert run(capsys, "docs", "--output", str(target)).code == 0
    assert not write_stale.exists()
    for rule in registry.all_rules():
        page = target / f"{rule.code}.md"
        assert page.read_text(encoding="utf-8") == render_markdown(rule)
    assert "[FBP201](FBP201.md)" in (target / "README.md").read_text(encoding="utf-8")
    assert run(capsys, "docs", "--check", "--write", str(target)).code == 0
    (target / "FBP201.md").write_text("edited\n", encoding="utf-8")
    result = run(capsys, "docs", "--check", "--output", str(target))
    assert result.code == 1
    assert "FBP201.md: out of date" in result.err


def test_committed_rule_pages_match_the_generator() -> None:
    """Regenerate with `fastapi-practices docs --output docs/rules` after changing a rule."""
    expected = rule_pages.pages(registry.all_rules())
    assert rule_pages.outdated_pages(COMMITTED_PAGES, expected) == []
    for code in registry.all_codes():
        assert (COMMITTED_PAGES / f"{code}.md").is_file()
        assert doc_url(code).endswith(f"/docs/rules/{code}.md")


class _RecordingServer:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    def __call__(self, transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> None:
        self.calls.append((transport, host, port))


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> _RecordingServer:
    recorder = _RecordingServer()
    module = types.ModuleType("fastapi_practices.lsp.server")
    module.run_server = recorder  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastapi_practices.lsp.server", module)
    return recorder


@pytest.mark.parametrize(
    ("argv", "call"),
    [
        (["serve"], ("stdio", "127.0.0.1", 2087)),
        (["serve", "--stdio"], ("stdio", "127.0.0.1", 2087)),
        (["serve", "--tcp", "--host", "0.0.0.0", "--port", "9000"], ("tcp", "0.0.0.0", 9000)),
    ],
)
def test_serve_starts_the_language_server(
    capsys: CaptureFixture,
    fake_server: _RecordingServer,
    argv: list[str],
    call: tuple[str, str, int],
) -> None:
    assert run(capsys, *argv).code == 0
    assert fake_server.calls == [call]
