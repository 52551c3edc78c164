"""One `check` run over discovered files: cached results first, the engine for the rest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi_practices.cli_support.cache import ProjectCache, project_key
from fastapi_practices.cli_support.discovery import SourceFile
from fastapi_practices.cli_support.files import SourceSkipped, read_source
from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.cli_support.progress import ProgressLine
from fastapi_practices.cli_support.runner import (
    CheckOptions,
    FileJob,
    FileReport,
    Mode,
    plan_workers,
    run_jobs,
)
from fastapi_practices.config import Settings


def run_check(
    files: Sequence[SourceFile],
    options: CheckOptions,
    jobs: int | None,
    progress: ProgressLine,
    use_cache: bool,
) -> tuple[list[FileReport], str | None]:
    """Reports of every file (unsorted) and a notice when the process pool broke."""
    settings: dict[Path, Settings] = {}
    members: dict[Path, list[Path]] = {}
    for source in files:
        settings[source.project.root] = source.project.settings
        members.setdefault(source.project.root, []).append(source.path)
    caches: dict[Path, ProjectCache] = {}
    texts: dict[Path, str] = {}
    if use_cache and options.mode is Mode.CHECK:
        texts = _readable_texts(files, options)
        caches = {
            root: ProjectCache(
                root,
                project_key(
                    root, settings[root], (options,), {p: texts[p] for p in paths if p in texts}
                ),
                variant=options,
            )
            for root, paths in members.items()
        }
    reports: list[FileReport] = []
    todo: list[FileJob] = []
    for source in files:
        root = source.project.root
        entry = caches[root].get(source.path) if root in caches else None
        text = texts.get(source.path)
        if entry is not None and text is not None:
            findings, fix_edits = entry
            reports.append(FileReport(source.path, findings, text, fix_edits=fix_edits))
        else:
            todo.append(FileJob(source.path, root, source.project.settings, options))
    checked_roots = {job.project_root for job in todo}
    indexes = ProjectIndexes(
        {root: settings[root] for root in checked_roots},
        max_bytes=options.max_file_size,
        workers=jobs,
    )
    indexes.build_all(progress.reporter("indexing"))
    checked, notice = run_jobs(
        todo, plan_workers(len(todo), jobs), indexes, progress.reporter("checking")
    )
    for job, report in zip(todo, checked, strict=True):
        cache = caches.get(job.project_root)
        if cache is not None and report.notice is None:
            cache.put(job.path, (report.findings, report.fix_edits))
    for root in checked_roots:
        if root in caches:
            caches[root].save()
    return [*reports, *checked], notice


def _readable_texts(files: Sequence[SourceFile], options: CheckOptions) -> dict[Path, str]:
    texts = {}
    for source in files:
        try:
            texts[source.path] = read_source(source.path, options.max_file_size).text
        except SourceSkipped:
            continue
    return texts
