"""Usage and configuration errors exit 2; unreadable files are skipped with a notice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import CLEAN_MODULE, SLEEPY_ROUTE, project, run, write

CaptureFixture = pytest.CaptureFixture[str]


def test_unknown_code_in_select(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    result = run(capsys, "check", "--select", "FBP999", str(tmp_path))
    assert result.code == 2
    assert "--select: unknown rule code or prefix 'FBP999'" in result.err
    assert result.out == ""


@pytest.mark.parametrize("option", ["--ignore", "--extend-select"])
def test_unknown_code_in_other_options(tmp_path: Path, capsys: CaptureFixture, option: str) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    result = run(capsys, "check", option, "FBP201,NOPE1", str(tmp_path))
    assert result.code == 2
    assert f"{option}: unknown rule code or prefix 'NOPE1'" in result.err


def test_invalid_toml_names_the_file(tmp_path: Path, capsys: CaptureFixture) -> None:
    write(tmp_path, "pyproject.toml", "[tool.fastapi-practices\nselect = [\n")
    write(tmp_path, "main.py", SLEEPY_ROUTE)
    result = run(capsys, "check", str(tmp_path))
    assert result.code == 2
    assert str(tmp_path / "pyproject.toml") in result.err
    assert "invalid TOML" in result.err
    assert "Traceback" not in result.err


def test_unknown_key_names_the_file_and_key(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE}, config="[tool.fastapi-practices]\nselct = []\n")
    result = run(capsys, "check", str(tmp_path))
    assert result.code == 2
    assert str(tmp_path / "pyproject.toml") in result.err
    assert "unknown key 'selct'" in result.err


def test_unknown_code_in_pyproject(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = '[tool.fastapi-practices]\nignore = ["FBP999"]\n'
    project(tmp_path / "nested", {"main.py": CLEAN_MODULE}, config=config)
    result = run(capsys, "check", str(tmp_path))
    assert result.code == 2
    assert str(tmp_path / "nested" / "pyproject.toml") in result.err
    assert "unknown rule code or prefix 'FBP999'" in result.err


def test_missing_path(tmp_path: Path, capsys: CaptureFixture) -> None:
    result = run(capsys, "check", str(tmp_path / "nowhere"))
    assert result.code == 2
    assert f"{tmp_path / 'nowhere'}: no such file or directory" in result.err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--format", "xml"],
        ["check", "--jobs", "0"],
        ["check", "--max-file-size", "lots"],
        ["check", "--bogus"],
        ["serve", "--stdio", "--tcp"],
    ],
)
def test_bad_arguments_are_usage_errors(capsys: CaptureFixture, argv: list[str]) -> None:
    result = run(capsys, *argv)
    assert result.code == 2
    assert "usage:" in result.err


def test_non_utf8_file_is_skipped_with_a_notice(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"good.py": SLEEPY_ROUTE})
    bad = tmp_path / "latin1.py"
    bad.write_bytes("name = 'café'\n".encode("latin-1"))
    result = run(capsys, "check", "--format", "concise", str(tmp_path))
    assert result.code == 1
    notices = [line for line in result.err.splitlines() if "latin1.py" in line]
    assert notices == [f"warning: {bad}: skipped: not valid UTF-8 (byte 0xe9 at offset 11)"]
    assert "Traceback" not in result.err
    assert "good.py:9:5: FBP201" in result.out


def test_large_file_is_skipped_with_a_notice(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"big.py": SLEEPY_ROUTE, "small.py": "x = 1\n"})
    result = run(capsys, "check", "--max-file-size", "100", str(tmp_path))
    assert result.code == 0
    assert f"{tmp_path / 'big.py'}: skipped: larger than 100 bytes" in result.err
    assert "small.py" not in result.err


def test_default_size_limit_is_two_megabytes(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"huge.py": "x = 1\n" * 400_000})
    result = run(capsys, "check", str(tmp_path))
    assert "huge.py: skipped: larger than 2000000 bytes" in result.err


def test_unreadable_file_is_skipped_with_a_notice(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"secret.py": SLEEPY_ROUTE, "open.py": SLEEPY_ROUTE})
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run(capsys, "check", "--format", "concise", str(tmp_path))
    assert result.code == 1
    assert f"warning: {tmp_path / 'secret.py'}: skipped: cannot read (Permission denied)" in (
        result.err
    )
    assert "open.py:9:5: FBP201" in result.out


def test_engine_failure_is_a_notice_not_a_traceback(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"a.py": SLEEPY_ROUTE, "b.py": SLEEPY_ROUTE})
    from fastapi_practices.engine import analyze as real_analyze

    def flaky(text: str, path: Path | None = None, *args: object, **kwargs: object) -> object:
        if path is not None and path.name == "a.py":
            raise RecursionError("maximum recursion depth exceeded")
        return real_analyze(text, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("fastapi_practices.cli_support.runner.analyze", flaky)
    result = run(capsys, "check", "--format", "json", str(tmp_path))
    assert result.code == 1
    assert (
        f"warning: {tmp_path / 'a.py'}: skipped: internal error "
        "(RecursionError: maximum recursion depth exceeded); please report it"
    ) in result.err
    assert [Path(e["filename"]).name for e in json.loads(result.out)] == ["b.py"]
