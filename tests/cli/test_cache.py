"""The result cache: a second run with nothing changed analyses nothing and says the same;
any change to a file, the settings or the tool brings fresh results; `clean` removes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi_practices.cli_support import checking, runner
from fastapi_practices.cli_support.cache import CACHE_DIR

from tests.cli.helpers import CLEAN_MODULE, ONLY_SLEEP, SLEEPY_ROUTE, project, run

CaptureFixture = pytest.CaptureFixture[str]


def _no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("a file was analysed although the cache holds its results")

    monkeypatch.setattr(runner, "_check", refuse)


def test_warm_run_analyses_nothing_and_reports_the_same(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE, "app/other.py": CLEAN_MODULE}, ONLY_SLEEP)
    cold = run(capsys, "check", "--format", "json", str(tmp_path))
    cold_full = run(capsys, "check", "--format", "full", str(tmp_path))
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    _no_analysis(monkeypatch)
    warm = run(capsys, "check", "--format", "json", str(tmp_path))
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert json.loads(warm.out)[0]["fix"]["edits"], "fix edits come back from the cache too"
    full = run(capsys, "check", "--format", "full", str(tmp_path))
    assert full.out == cold_full.out and "time.sleep(2)" in full.out


def test_a_changed_file_is_analysed_again(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
    assert run(capsys, "check", str(tmp_path)).code == 1
    main = tmp_path / "app" / "main.py"
    main.write_text(CLEAN_MODULE, encoding="utf-8")
    assert run(capsys, "check", str(tmp_path)).code == 0
    main.write_text(SLEEPY_ROUTE, encoding="utf-8")
    assert run(capsys, "check", str(tmp_path)).code == 1


def test_changed_settings_are_not_served_old_results(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
    assert run(capsys, "check", str(tmp_path)).code == 1
    assert run(capsys, "check", "--ignore", "FBP201", str(tmp_path)).code == 0
    (tmp_path / "pyproject.toml").write_text(
        ONLY_SLEEP.replace('"FBP201"', '"FBP202"'), encoding="utf-8"
    )
    assert run(capsys, "check", str(tmp_path)).code == 0


def test_no_cache_neither_reads_nor_writes(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
    assert run(capsys, "check", "--no-cache", str(tmp_path)).code == 1
    assert not (tmp_path / CACHE_DIR).exists()
    run(capsys, "check", str(tmp_path))
    calls: list[Path] = []
    original = checking.run_jobs

    def counting(jobs: list[runner.FileJob], *args: object) -> object:
        calls.extend(job.path for job in jobs)
        return original(jobs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(checking, "run_jobs", counting)
    assert run(capsys, "check", "--no-cache", str(tmp_path)).code == 1
    assert tmp_path / "app" / "main.py" in calls


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
    first = run(capsys, "check", str(tmp_path))
    for entry in (tmp_path / CACHE_DIR).glob("results-*.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = run(capsys, "check", str(tmp_path))
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def test_a_cache_that_cannot_be_written_is_skipped_quietly(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
    (tmp_path / CACHE_DIR).write_text("a file where the cache directory would go\n")
    first = run(capsys, "check", str(tmp_path))
    second = run(capsys, "check", str(tmp_path))
    assert first.code == second.code == 1 and first.err == second.err == ""
    assert (tmp_path / CACHE_DIR).is_file()


def test_fix_mode_does_not_use_the_cache(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
    run(capsys, "check", str(tmp_path))
    fixed = run(capsys, "check", "--fix", str(tmp_path))
    assert "Fixed 1 error." in fixed.out
    assert run(capsys, "check", str(tmp_path)).code == 0


def test_clean_removes_every_cache_below_the_paths(tmp_path: Path, capsys: CaptureFixture) -> None:
    for name in ("one", "two"):
        project(tmp_path / name, {"app/main.py": SLEEPY_ROUTE}, ONLY_SLEEP)
        run(capsys, "check", str(tmp_path / name))
    result = run(capsys, "clean", str(tmp_path))
    assert result.code == 0
    assert sorted(result.out.splitlines()) == [
        f"removed {tmp_path / name / CACHE_DIR}" for name in ("one", "two")
    ]
    assert not list(tmp_path.rglob(CACHE_DIR))
    assert run(capsys, "clean", str(tmp_path)).out == f"no {CACHE_DIR}/ found\n"
