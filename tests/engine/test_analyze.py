"""Engine behaviour shared by every rule: syntax errors, noqa, ignore-file, selection."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.model import Severity

SLEEPY = "import time\n\n\nasync def poll():\n    time.sleep(1){comment}\n"


def _codes(text: str, **settings: object) -> list[str]:
    return [f.code for f in analyze(text, Path("app/poll.py"), Settings(**settings))]  # type: ignore[arg-type]


def test_syntax_error_reports_fbp001_only_at_the_parser_position() -> None:
    findings = analyze("import time\nasync def poll(:\n    time.sleep(1)\n")
    assert [(f.code, f.range.start.line) for f in findings] == [("FBP001", 1)]


def test_newer_syntax_is_fbp002_on_line_one_not_a_syntax_error() -> None:
    code = "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"
    findings = analyze(code)
    if sys.version_info >= (3, 14):
        assert findings == []
    else:
        assert [(f.code, f.range.start.line) for f in findings] == [("FBP002", 0)]
        assert f"{sys.version_info.major}.{sys.version_info.minor}" in findings[0].message


def test_nul_bytes_are_a_clear_fbp001() -> None:
    findings = analyze("x = 1\0\n")
    assert [f.code for f in findings] == ["FBP001"]
    assert "null" in findings[0].message.lower()


@pytest.mark.parametrize(
    ("comment", "silenced"),
    [
        ("  # noqa: FBP201", True),
        ("  #noqa:FBP201", True),
        ("  # noqa: FBP504, FBP201", True),
        ("  # NOQA: fbp201", True),
        ("  # noqa", False),
        ("  # noqa: FBP2", False),
        ("  # noqa: FBP202", False),
    ],
)
def test_noqa_takes_exact_codes_only(comment: str, silenced: bool) -> None:
    codes = _codes(SLEEPY.format(comment=comment))
    assert ("FBP201" not in codes) is silenced


def test_ignore_file_directives() -> None:
    plain = SLEEPY.format(comment="")
    assert _codes("# fastapi-practices: ignore-file\n" + plain) == []
    assert _codes("# fastapi-practices: ignore-file=FBP2\n" + plain) == []
    assert _codes("# fastapi-practices: ignore-file=FBP5\n" + plain) == ["FBP201"]


def test_select_ignore_and_severity_overrides() -> None:
    plain = SLEEPY.format(comment="")
    assert _codes(plain, select=("FBP5",)) == []
    assert _codes(plain, ignore=("FBP201",)) == []
    assert _codes(plain, select=("FBP5",), extend_select=("FBP201",)) == ["FBP201"]
    [finding] = analyze(plain, None, Settings(severity={"FBP201": Severity.ERROR}))
    assert finding.severity is Severity.ERROR


def test_per_file_ignores_match_globs_relative_to_the_root(tmp_path: Path) -> None:
    settings = Settings(per_file_ignores=(("tests/**", ("FBP201",)),), root=tmp_path)
    plain = SLEEPY.format(comment="")
    assert analyze(plain, tmp_path / "tests" / "test_x.py", settings) == []
    assert [f.code for f in analyze(plain, tmp_path / "app" / "x.py", settings)] == ["FBP201"]


def test_empty_and_whitespace_files_have_no_findings() -> None:
    assert analyze("") == []
    assert analyze("\n\n   \n") == []


def test_concurrent_analyses_in_threads_match_serial_results() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        SLEEPY.format(comment=""),
        "import requests\n\n\nasync def f(url):\n    return requests.get(url)\n",
        "import subprocess\n\n\nasync def g():\n    subprocess.run(['ls'])\n    open('x')\n",
        "def plain():\n    return 1\n",
    ] * 25
    serial = [analyze(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(analyze, texts))
    assert threaded == serial
    assert {f.code for findings in serial for f in findings} >= {"FBP201", "FBP202", "FBP204"}


@pytest.mark.parametrize(
    ("code", "since"),
    [
        ("type Alias = int\n", (3, 12)),
        ("def first[T](items: list[T]) -> T:\n    return items[0]\n", (3, 12)),
        ("class Box[T]:\n    pass\n", (3, 12)),
        ('name = "x"\ngreeting = f"{"hi"} {name}"\n', (3, 12)),
        ("try:\n    pass\nexcept* ValueError:\n    pass\n", (3, 11)),
        ('who = "x"\nmessage = t"hello {who}"\n', (3, 14)),
    ],
)
def test_valid_newer_syntax_is_never_a_syntax_error(code: str, since: tuple[int, int]) -> None:
    codes = [f.code for f in analyze(code)]
    assert "FBP001" not in codes
    assert codes == (["FBP002"] if sys.version_info < since else [])


def test_a_real_syntax_error_does_not_consult_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi_practices.engine import parsing

    def forbidden(text: str) -> bool:
        raise AssertionError("LibCST consulted for an ordinary syntax error")

    monkeypatch.setattr(parsing, "_libcst_accepts", forbidden)
    assert [f.code for f in analyze("def broken(:\n    pass\n")] == ["FBP001"]
