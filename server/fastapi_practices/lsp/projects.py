"""Per-project configuration and workspace, cached until a pyproject.toml changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.config import ConfigError, Settings, find_project_root, load_project
from fastapi_practices.workspace import FileSystemWorkspace
from fastapi_practices.workspace.roots import index_roots


@dataclass(frozen=True)
class ProjectState:
    root: Path
    settings: Settings
    workspace: FileSystemWorkspace
    config_error: str | None = None


class ProjectCache:
    """Finds the project of a file (the nearest pyproject.toml) and remembers it.

    Thread-safe: analyses running in worker threads share it. `overlay` gives the text of open
    editor buffers so cross-file facts see unsaved edits.
    """

    def __init__(self, overlay: Callable[[Path], str | None]) -> None:
        self._overlay = overlay
        self._lock = threading.Lock()
        self._roots: dict[Path, Path] = {}
        self._projects: dict[Path, ProjectState] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._roots.clear()
            self._projects.clear()

    def project_for(self, path: Path) -> ProjectState:
        directory = path.parent
        with self._lock:
            root = self._roots.get(directory)
            project = self._projects.get(root) if root is not None else None
        if project is not None:
            return project
        project = self._load(path)
        with self._lock:
            self._roots[directory] = project.root
            return self._projects.setdefault(project.root, project)

    def _load(self, path: Path) -> ProjectState:
        error: str | None = None
        try:
            loaded = load_project(path)
            root, settings = loaded.root, loaded.settings
        except ConfigError as problem:
            error = str(problem)
            root = find_project_root(path.resolve()) or path.resolve().parent
            settings = Settings(root=root)
        except OSError as problem:
            error = f"cannot read the project configuration of {path}: {problem}"
            root = path.parent
            settings = Settings(root=root)
        roots = index_roots(root)
        workspace = FileSystemWorkspace(roots=roots, overlay=self._overlay)
        return ProjectState(root, settings, workspace, error)
