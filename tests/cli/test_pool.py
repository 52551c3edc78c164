"""The process pool gives exactly the serial output."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.cli_support import runner
from fastapi_practices.cli_support.runner import POOL_THRESHOLD, plan_workers

from tests.cli.helpers import SLEEPY_ROUTE, project, run

CaptureFixture = pytest.CaptureFixture[str]
FILE_COUNT = POOL_THRESHOLD + 8


def test_many_files_use_the_pool_when_jobs_allow() -> None:
    assert plan_workers(FILE_COUNT, 2) == 2
    assert plan_workers(FILE_COUNT, 1) == 1
    assert plan_workers(POOL_THRESHOLD, 8) == 1
    assert plan_workers(3, 8) == 1
    assert plan_workers(FILE_COUNT, None) >= 1


def _many_files(root: Path) -> None:
    files = {}
    for number in range(FILE_COUNT):
        extra = "\n" * (number % 5)
        files[f"pkg{number % 4}/mod_{number:02d}.py"] = extra + SLEEPY_ROUTE
    files["pkg0/broken.py"] = "def f(:\n"
    project(root, files, config='[tool.fastapi-practices]\nselect = ["FBP201", "FBP001"]\n')


@pytest.mark.parametrize("format_", ["concise", "json", "sarif"])
def test_pool_output_equals_serial_output(
    tmp_path: Path, capsys: CaptureFixture, format_: str
) -> None:
    _many_files(tmp_path)
    serial = run(capsys, "check", "--jobs", "1", "--format", format_, str(tmp_path))
    pooled = run(capsys, "check", "--jobs", "2", "--format", format_, str(tmp_path))
    assert serial.code == pooled.code == 1
    assert pooled.out == serial.out
    assert pooled.err == serial.err == ""  # the pool did not fall back to the serial path
    assert serial.out.count("FBP201") >= FILE_COUNT


def test_pool_fixes_like_the_serial_path(tmp_path: Path, capsys: CaptureFixture) -> None:
    _many_files(tmp_path / "serial")
    _many_files(tmp_path / "pooled")
    serial = run(capsys, "check", "--fix", "--jobs", "1", str(tmp_path / "serial"))
    pooled = run(capsys, "check", "--fix", "--jobs", "2", str(tmp_path / "pooled"))
    assert serial.code == pooled.code == 1
    assert pooled.err == ""
    assert f"Fixed {FILE_COUNT} errors." in pooled.out
    for path in sorted((tmp_path / "serial").rglob("*.py")):
        twin = tmp_path / "pooled" / path.relative_to(tmp_path / "serial")
        assert twin.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_a_broken_pool_falls_back_to_serial(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(tmp_path)
    expected = run(capsys, "check", "--jobs", "1", "--format", "concise", str(tmp_path))

    def no_processes() -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(runner, "_pool_context", no_processes)
    result = run(capsys, "check", "--no-cache", "--jobs", "2", "--format", "concise", str(tmp_path))
    assert result.err == (
        "warning: parallel run failed (OSError: no processes here); continuing serially\n"
    )
    assert (result.code, result.out) == (expected.code, expected.out)
