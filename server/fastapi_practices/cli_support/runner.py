"""Running the engine over files: one file per job, serially or in a process pool.

A job never raises: unreadable files and engine failures come back as a notice, so one bad
file cannot stop the run. Results are plain, picklable data.
"""

from __future__ import annotations

import enum
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi_practices.cli_support.files import (
    DEFAULT_MAX_FILE_SIZE,
    SourceSkipped,
    SourceText,
    read_source,
    write_atomic,
)
from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import build_fix, fix_all
from fastapi_practices.model import Finding, TextEdit
from fastapi_practices.workspace import WorkspaceContext

POOL_THRESHOLD = 32
"""A pool pays off only above this many files (process start-up costs more than small runs)."""


class Mode(enum.Enum):
    CHECK = "check"
    FIX = "fix"
    DIFF = "diff"


@dataclass(frozen=True)
class CheckOptions:
    mode: Mode = Mode.CHECK
    unsafe_fixes: bool = False
    want_fix_edits: bool = False
    """Build the edits of each finding's first fix (for json and sarif output)."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


@dataclass(frozen=True)
class FileJob:
    path: Path
    project_root: Path
    settings: Settings
    options: CheckOptions


@dataclass(frozen=True)
class FileReport:
    path: Path
    findings: tuple[Finding, ...] = ()
    text: str = ""
    """The text the findings point into (after fixes, when fixes were applied)."""
    original: str | None = None
    """The text before fixes, present only when fixes changed it."""
    fixed: int = 0
    fix_edits: tuple[tuple[TextEdit, ...] | None, ...] = ()
    """Per finding, the edits of its first fix (only when asked for)."""
    notice: str | None = None


Progress = Callable[[int, int], None]


def run_job(job: FileJob, indexes: ProjectIndexes) -> FileReport:
    try:
        source = read_source(job.path, job.options.max_file_size)
    except SourceSkipped as skipped:
        return FileReport(job.path, notice=f"{job.path}: skipped: {skipped}")
    try:
        return _check(job, source, indexes.get(job.project_root))
    except Exception as error:  # one file must never stop the run
        return FileReport(
            job.path,
            notice=f"{job.path}: skipped: internal error ({type(error).__name__}: {error}); "
            "please report it",
        )


def _check(job: FileJob, source: SourceText, workspace: WorkspaceContext) -> FileReport:
    path, settings, options = job.path, job.settings, job.options
    text = source.text
    notice = None
    if options.mode is Mode.CHECK:
        final, fixed, findings = text, 0, analyze(text, path, settings, workspace)
    else:
        result = fix_all(text, path, settings, workspace, unsafe=options.unsafe_fixes)
        final, fixed, findings = result.text, result.applied, result.remaining
        if final != text and options.mode is Mode.FIX:
            try:
                write_atomic(path, source.encode(final))
            except OSError as error:
                notice = f"{path}: fixes not written: {error.strerror or type(error).__name__}"
                final, fixed, findings = text, 0, analyze(text, path, settings, workspace)
    edits: tuple[tuple[TextEdit, ...] | None, ...] = ()
    if options.want_fix_edits:
        edits = tuple(_first_fix_edits(final, f, path, workspace) for f in findings)
    return FileReport(
        path=path,
        # Rule-private data is for fixers, which have run by now; it may not pickle.
        findings=tuple(replace(f, data={}) for f in findings),
        text=final,
        original=text if final != text else None,
        fixed=fixed,
        fix_edits=edits,
        notice=notice,
    )


def _first_fix_edits(
    text: str, finding: Finding, path: Path, workspace: WorkspaceContext
) -> tuple[TextEdit, ...] | None:
    if not finding.fixes:
        return None
    try:
        edits = build_fix(text, finding, None, path, workspace)
    except Exception:  # a fixer failure only hides the edit from the report
        return None
    return tuple(edits) if edits else None


def plan_workers(file_count: int, jobs: int | None) -> int:
    """How many processes to use: 1 (serial) unless there are many files and jobs allow."""
    available = jobs if jobs is not None else (os.cpu_count() or 1)
    if available > 1 and file_count > POOL_THRESHOLD:
        return min(available, file_count)
    return 1


def run_jobs(
    jobs: Sequence[FileJob],
    workers: int,
    indexes: ProjectIndexes | None = None,
    progress: Progress | None = None,
) -> tuple[list[FileReport], str | None]:
    """Reports in job order, and a notice when the pool broke and the rest ran serially.

    Every file of a project is analysed against that project's one workspace index; build
    the indexes (`indexes.build_all()`) before calling so that forked workers inherit them.
    """
    if indexes is None:
        indexes = ProjectIndexes({job.project_root: job.settings for job in jobs})
    total = len(jobs)
    reports: list[FileReport] = []
    notice = None
    if workers > 1:
        try:
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_pool_context(),
                initializer=_start_worker,
                initargs=(indexes,),
            ) as pool:
                chunk = max(1, len(jobs) // (workers * 4))
                for report in pool.map(_run_in_worker, jobs, chunksize=chunk):
                    reports.append(report)
                    if progress is not None:
                        progress(len(reports), total)
        except Exception as error:  # the pool itself failed (cannot start, a worker died)
            notice = f"parallel run failed ({type(error).__name__}: {error}); continuing serially"
    for job in jobs[len(reports) :]:
        reports.append(run_job(job, indexes))
        if progress is not None:
            progress(len(reports), total)
    return reports, notice


def _pool_context() -> multiprocessing.context.BaseContext:
    """`fork` on Linux: workers start at once and never re-run the caller's `__main__`
    (which `spawn` does, and which fails when that is not an importable file). Elsewhere
    fork is unsafe, so the platform's default."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


_worker_indexes = ProjectIndexes({})


def _start_worker(indexes: ProjectIndexes) -> None:
    """Runs once per worker: keep the indexes (inherited when forked, rebuilt lazily if not)."""
    global _worker_indexes
    _worker_indexes = indexes


def _run_in_worker(job: FileJob) -> FileReport:
    return run_job(job, _worker_indexes)
