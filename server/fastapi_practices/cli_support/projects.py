"""Which project owns a directory: its root and its settings, loaded once per pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.cli_support.selection import RuleSelection
from fastapi_practices.config import Project, Settings, load_project

PYPROJECT = "pyproject.toml"


class ProjectResolver:
    """Nearest-pyproject lookup, cached per directory; the command-line layer applied once.

    A directory under no pyproject.toml at all belongs to a default project rooted at the
    path the user gave, so files checked together can still import each other.
    """

    def __init__(self, selection: RuleSelection) -> None:
        self.selection = selection
        self._root_of: dict[Path, Path | None] = {}
        self._projects: dict[Path, Project] = {}
        self._fallbacks: dict[Path, Project] = {}

    def for_directory(self, directory: Path, fallback_root: Path) -> Project:
        """The project of `directory` (absolute and resolved). Raises ConfigError."""
        root = self._nearest_root(directory)
        if root is None:
            return self._fallback(fallback_root)
        project = self._projects.get(root)
        if project is None:
            loaded = load_project(root)
            project = Project(
                loaded.root, self.selection.apply(loaded.settings), loaded.config_path
            )
            self._projects[root] = project
        return project

    def _nearest_root(self, directory: Path) -> Path | None:
        visited: list[Path] = []
        current: Path | None = directory
        found: Path | None = None
        while current is not None:
            if current in self._root_of:
                found = self._root_of[current]
                break
            visited.append(current)
            if (current / PYPROJECT).is_file():
                found = current
                break
            current = current.parent if current.parent != current else None
        for seen in visited:
            self._root_of[seen] = found
        return found

    def _fallback(self, root: Path) -> Project:
        project = self._fallbacks.get(root)
        if project is None:
            settings = self.selection.apply(Settings(root=root))
            project = self._fallbacks[root] = Project(root, settings, None)
        return project
