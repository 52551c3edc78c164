"""`--fix`, `--unsafe-fixes` and `--diff`: what gets written, and how."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.cli.helpers import FIXED_ROUTE, SLEEPY_ROUTE, project, run

CaptureFixture = pytest.CaptureFixture[str]


def test_fix_rewrites_the_file_and_reports(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    target = tmp_path / "app" / "main.py"
    inode_before = target.stat().st_ino
    result = run(capsys, "check", "--fix", str(tmp_path))
    assert result.code == 0
    assert target.read_text(encoding="utf-8") == FIXED_ROUTE
    assert result.out.splitlines() == ["Fixed 1 error.", "All checks passed!"]
    # Written through a new file swapped in by os.replace, with no temporary left behind.
    assert target.stat().st_ino != inode_before
    assert sorted(p.name for p in target.parent.iterdir()) == ["main.py"]


def test_fix_keeps_crlf_line_endings(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {})
    target = tmp_path / "main.py"
    target.write_bytes(SLEEPY_ROUTE.replace("\n", "\r\n").encode())
    assert run(capsys, "check", "--fix", str(tmp_path)).code == 0
    data = target.read_bytes()
    assert b"await asyncio.sleep(2)\r\n" in data
    assert b"import asyncio\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_fix_keeps_a_byte_order_mark(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {})
    target = tmp_path / "main.py"
    target.write_bytes(b"\xef\xbb\xbf" + SLEEPY_ROUTE.encode())
    assert run(capsys, "check", "--fix", str(tmp_path)).code == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + FIXED_ROUTE.encode()


@pytest.mark.parametrize("mode", [0o640, 0o755])
def test_fix_keeps_the_file_mode(tmp_path: Path, capsys: CaptureFixture, mode: int) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    target = tmp_path / "main.py"
    target.chmod(mode)
    assert run(capsys, "check", "--fix", str(tmp_path)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert "await asyncio.sleep" in target.read_text(encoding="utf-8")


def test_fix_writes_through_a_symlinked_file(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"real.py": SLEEPY_ROUTE})
    link = tmp_path / "link.py"
    link.symlink_to(tmp_path / "real.py")
    assert run(capsys, "check", "--fix", str(link)).code == 0
    assert link.is_symlink()
    assert (tmp_path / "real.py").read_text(encoding="utf-8") == FIXED_ROUTE


def test_a_failed_write_leaves_the_file_alone(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    target = tmp_path / "main.py"

    def refuse(source: object, destination: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run(capsys, "check", "--fix", "--format", "concise", str(tmp_path))
    assert result.code == 1
    assert target.read_text(encoding="utf-8") == SLEEPY_ROUTE
    assert f"{target}: fixes not written: Permission denied" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.py", "pyproject.toml"]
    assert "FBP201" in result.out


def test_check_without_fix_writes_nothing(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    target = tmp_path / "main.py"
    before = target.stat()
    for format_ in ("full", "json", "sarif"):
        assert run(capsys, "check", "--format", format_, str(tmp_path)).code == 1
    assert target.read_text(encoding="utf-8") == SLEEPY_ROUTE
    assert target.stat().st_mtime_ns == before.st_mtime_ns


def test_diff_prints_changes_and_writes_nothing(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    target = tmp_path / "main.py"
    before = target.stat().st_mtime_ns
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "check", "--diff", ".")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[:2] == ["--- main.py", "+++ main.py"]
    assert "+import asyncio" in lines
    assert "-    time.sleep(2)" in lines
    assert "+    await asyncio.sleep(2)" in lines
    assert "Would fix 1 error." in result.err
    assert target.read_text(encoding="utf-8") == SLEEPY_ROUTE
    assert target.stat().st_mtime_ns == before


def test_diff_without_changes_exits_zero(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"main.py": "import time\n\n\ndef sync():\n    time.sleep(1)\n"})
    result = run(capsys, "check", "--diff", str(tmp_path))
    assert (result.code, result.out) == (0, "")


def test_unsafe_fixes_are_applied_only_on_request(tmp_path: Path, capsys: CaptureFixture) -> None:
    source = 'import subprocess\n\n\nasync def build():\n    subprocess.run(["make"])\n'
    config = '[tool.fastapi-practices]\nselect = ["FBP204"]\n'
    project(tmp_path, {"main.py": source}, config=config)
    target = tmp_path / "main.py"
    result = run(capsys, "check", "--fix", str(tmp_path))
    assert result.code == 1
    assert target.read_text(encoding="utf-8") == source
    assert "(1 hidden fix can be enabled with the --unsafe-fixes option.)" in result.out
    result = run(capsys, "check", "--fix", "--unsafe-fixes", str(tmp_path))
    assert result.code == 0
    assert target.read_text(encoding="utf-8") != source
    assert "Fixed 1 error." in result.out


def test_fix_reports_what_remains(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = '[tool.fastapi-practices]\nselect = ["FBP201", "FBP001"]\n'
    project(tmp_path, {"main.py": SLEEPY_ROUTE, "broken.py": "x = (1,\n"}, config=config)
    result = run(capsys, "check", "--fix", "--format", "concise", str(tmp_path))
    assert result.code == 1
    assert [line.split(": ")[1].split()[0] for line in result.out.splitlines()[:1]] == ["FBP001"]
    assert result.out.splitlines()[1:] == ["Fixed 1 error.", "Found 1 error."]


def test_same_fixed_text_as_the_engine(tmp_path: Path, capsys: CaptureFixture) -> None:
    from fastapi_practices.config import Settings
    from fastapi_practices.fixes import fix_all

    project(tmp_path, {"main.py": SLEEPY_ROUTE})
    run(capsys, "check", "--fix", str(tmp_path))
    expected = fix_all(SLEEPY_ROUTE, tmp_path / "main.py", Settings(select=("FBP201",))).text
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == expected
