"""One workspace index per project of a `check` run, built once and shared with pool workers.

The index is built only when an enabled rule needs whole-project facts; otherwise modules are
read lazily from disk as imports are followed. It is built in the parent process: pool workers
on Linux are forked after that and inherit it for free. Where workers are spawned instead,
`ProjectIndexes` is pickled without its built indexes and each worker builds the ones it needs
once, on first use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from fastapi_practices.config import Settings
from fastapi_practices.rules.registry import all_rules
from fastapi_practices.workspace import FileSystemWorkspace, WorkspaceContext
from fastapi_practices.workspace.discovery import DEFAULT_MAX_BYTES
from fastapi_practices.workspace.index import WorkspaceIndex
from fastapi_practices.workspace.layout import layout_for
from fastapi_practices.workspace.roots import index_roots

IndexProgress = Callable[[int, int], None]


class ProjectSettings:
    """`settings_for` of one project: every directory of it answers with the same settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, directory: Path) -> Settings:
        return self.settings


class LayoutClassifier:
    """(module, path) -> (domain, role), from the project's layout."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, module: str, path: Path) -> tuple[str | None, str | None]:
        layout = layout_for(self.settings)
        return layout.role_of(path) if layout is not None else (None, None)


def build_index(
    project_root: Path,
    settings: Settings,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: IndexProgress | None = None,
    workers: int | None = None,
) -> WorkspaceIndex:
    """The index of one project, built the way every `check` run builds it.

    `workers`: extraction processes (None: the index decides by project size)."""
    return WorkspaceIndex.build(
        index_roots(project_root),
        ProjectSettings(settings),
        classify=LayoutClassifier(settings),
        progress=progress,
        max_bytes=max_bytes,
        workers=workers,
        start_method="fork" if sys.platform.startswith("linux") else "spawn",
    )


def needs_index(settings: Settings) -> bool:
    """Whether any rule enabled for the project reads whole-project facts."""
    return any(
        rule.needs_workspace_index for rule in all_rules() if rule.code in settings.enabled_codes
    )


class ProjectIndexes:
    """Project root -> its index, built at most once per process."""

    def __init__(
        self,
        projects: Mapping[Path, Settings],
        max_bytes: int = DEFAULT_MAX_BYTES,
        workers: int | None = None,
    ) -> None:
        self.projects = dict(projects)
        self.max_bytes = max_bytes
        self.workers = workers
        self._built: dict[Path, WorkspaceContext] = {}

    def build_all(self, progress: IndexProgress | None = None) -> None:
        """Build every project's index now; `progress` sees the files of all projects."""
        done_before = 0
        totals: dict[Path, int] = {}

        def report(root: Path) -> IndexProgress | None:
            if progress is None:
                return None

            def forward(done: int, total: int) -> None:
                totals[root] = total
                progress(done_before + done, done_before + total)

            return forward

        for root in self.projects:
            self.get(root, report(root))
            done_before += totals.get(root, 0)

    def get(self, root: Path, progress: IndexProgress | None = None) -> WorkspaceContext:
        """The project's index when an enabled rule needs one, else lazy file-system lookups."""
        index = self._built.get(root)
        if index is None:
            settings = self.projects.get(root) or Settings(root=root)
            if not needs_index(settings):
                index = FileSystemWorkspace(index_roots(root))
            else:
                index = build_index(
                    root,
                    settings,
                    max_bytes=self.max_bytes,
                    progress=progress,
                    workers=self.workers,
                )
            self._built[root] = index
        return index

    def __getstate__(self) -> dict[str, Any]:
        # Workers never fan out again: they are already one of several processes.
        return {"projects": self.projects, "max_bytes": self.max_bytes, "workers": 1}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.projects = state["projects"]
        self.max_bytes = state["max_bytes"]
        self.workers = state["workers"]
        self._built = {}
