"""Workspace indexes of the server's projects: built in the background, then kept current.

Until a project's index is ready, analyses use the project's `FileSystemWorkspace`; afterwards
they use an `IndexedWorkspace`, which asks the index first and falls back to the file system for
modules the index has not seen (a file created and never announced by the client).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from fastapi_practices.config import Settings
from fastapi_practices.lsp.projects import ProjectCache, ProjectState
from fastapi_practices.workspace import FileSystemWorkspace, ModuleSource, WorkspaceContext
from fastapi_practices.workspace.index import Progress, WorkspaceIndex
from fastapi_practices.workspace.layout import layout_for
from fastapi_practices.workspace.roots import index_roots


class IndexedWorkspace:
    """The engine's workspace for a project whose index is ready."""

    def __init__(self, index: WorkspaceIndex, fallback: FileSystemWorkspace) -> None:
        self.index = index
        self.fallback = fallback

    def __hash__(self) -> int:
        return id(self)

    def module_source(self, module_name: str) -> ModuleSource | None:
        found = self.index.module_source(module_name)
        return found if found is not None else self.fallback.module_source(module_name)

    def module_name_for(self, path: Path) -> tuple[str, bool]:
        return self.index.module_name_for(path)


def build_index(
    root: Path, settings_for: Callable[[Path], Settings], progress: Progress | None
) -> WorkspaceIndex:
    """Index one project (runs in a worker thread; big projects fan out to processes)."""
    layout = layout_for(settings_for(root))

    def classify(module: str, path: Path) -> tuple[str | None, str | None]:
        return layout.role_of(path) if layout is not None else (None, None)

    return WorkspaceIndex.build(
        index_roots(root), settings_for, classify=classify, progress=progress
    )


class ProjectIndexes:
    """The ready index of each project root. Read from analysis threads, written on the loop."""

    def __init__(self, projects: ProjectCache) -> None:
        self.projects = projects
        self._lock = threading.Lock()
        self._ready: dict[Path, WorkspaceIndex] = {}
        self._views: dict[Path, IndexedWorkspace] = {}

    def settings_for(self, directory: Path) -> Settings:
        return self.projects.project_for(directory / "__init__.py").settings

    def install(self, root: Path, index: WorkspaceIndex) -> None:
        with self._lock:
            self._ready[root] = index
            self._views.pop(root, None)

    def clear(self) -> None:
        with self._lock:
            self._ready.clear()
            self._views.clear()

    def ready(self, root: Path) -> WorkspaceIndex | None:
        with self._lock:
            return self._ready.get(root)

    def index_of(self, path: Path) -> WorkspaceIndex | None:
        """The ready index covering `path`'s project, if any."""
        return self.ready(self.projects.project_for(path).root)

    def workspace_for(self, project: ProjectState) -> WorkspaceContext:
        with self._lock:
            index = self._ready.get(project.root)
            if index is None:
                return project.workspace
            view = self._views.get(project.root)
            if view is None or view.fallback is not project.workspace or view.index is not index:
                view = IndexedWorkspace(index, project.workspace)
                self._views[project.root] = view
            return view


class BuildProgress:
    """Work-done progress of one index build; called from the build thread, sent on the loop."""

    def __init__(self, server: LanguageServer, token: str, loop: asyncio.AbstractEventLoop) -> None:
        self.server = server
        self.token = token
        self.loop = loop
        self._last = -1

    def begin(self, title: str) -> None:
        self.server.work_done_progress.begin(
            self.token,
            types.WorkDoneProgressBegin(title=title, cancellable=False, percentage=0),
        )

    def __call__(self, done: int, total: int) -> None:
        percentage = 100 * done // total if total else 100
        if percentage == self._last:
            return
        self._last = percentage
        self.loop.call_soon_threadsafe(self._report, percentage, f"{done}/{total} files")

    def _report(self, percentage: int, message: str) -> None:
        self.server.work_done_progress.report(
            self.token, types.WorkDoneProgressReport(message=message, percentage=percentage)
        )

    def end(self, message: str) -> None:
        self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
