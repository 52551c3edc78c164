"""Finding the Python files under the paths given (CLI arguments or editor workspace folders).

Directories are walked in sorted order. A path is skipped when the owning project's `exclude`
/ `extend-exclude` (or the default excludes) match it relative to the project root, or when a
`.gitignore` in the walk (or above it, up to the repository root) ignores it. Symbolic links
are never followed while walking: a link inside the roots leads to files the walk reaches
anyway, and a link leading elsewhere would leave the roots (or loop). With `max_bytes`, files
larger than that are left out and listed in `skipped` with the reason.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pathspec

from fastapi_practices.config import Project

GITIGNORE = ".gitignore"
PYTHON_SUFFIX = ".py"
DEFAULT_MAX_BYTES = 2_000_000

logger = logging.getLogger(__name__)


class ProjectLookup(Protocol):
    def for_directory(self, directory: Path, fallback_root: Path) -> Project:
        """The project owning `directory` (absolute, resolved). May raise ConfigError."""
        ...


@dataclass(frozen=True)
class SourceFile:
    path: Path
    """Absolute, as reached from the given path (symbolic links in it are kept)."""
    project: Project


@dataclass(frozen=True)
class SkippedPath:
    path: Path
    reason: str


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    skipped: list[SkippedPath] = field(default_factory=list)

    def skip(self, path: Path, reason: str) -> None:
        self.skipped.append(SkippedPath(path, reason))
        self.notices.append(f"{path}: skipped: {reason}")
        logger.info("%s: skipped: %s", path, reason)


@dataclass(frozen=True)
class IgnoreFile:
    base: Path
    spec: pathspec.GitIgnoreSpec


IgnoreChain = tuple[IgnoreFile, ...]


def discover(
    paths: Sequence[str | Path],
    projects: ProjectLookup,
    max_bytes: int | None = None,
    extra_names: frozenset[str] = frozenset(),
) -> Discovery:
    """Files to check, deduplicated by their real path. Raises ConfigError for a bad config.

    Directories give their Python files and the files named in `extra_names`."""
    result = Discovery()
    seen: set[Path] = set()
    for given in paths:
        absolute = Path(os.path.abspath(given))
        if not absolute.exists():
            result.notices.append(f"{given}: skipped: no such file or directory")
        elif absolute.is_dir():
            _walk(absolute, projects, result, seen, max_bytes, extra_names)
        elif not _too_large(absolute, max_bytes, result):
            real = absolute.resolve()
            if real not in seen:
                seen.add(real)
                project = projects.for_directory(real.parent, fallback_root=real.parent)
                result.files.append(SourceFile(absolute, project))
    return result


def _walk(
    root: Path,
    projects: ProjectLookup,
    result: Discovery,
    seen: set[Path],
    max_bytes: int | None,
    extra_names: frozenset[str],
) -> None:
    fallback_root = root.resolve()
    stack: list[tuple[Path, IgnoreChain]] = [(root, _ancestor_ignores(root))]
    visited_dirs: set[tuple[int, int]] = set()
    while stack:
        directory, inherited = stack.pop()
        try:
            info = directory.stat()
            if (info.st_dev, info.st_ino) in visited_dirs:
                continue
            visited_dirs.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            result.notices.append(f"{directory}: skipped: cannot read directory ({_reason(error)})")
            continue
        chain = _with_gitignore(inherited, directory, result)
        real_directory = directory.resolve()
        project = projects.for_directory(real_directory, fallback_root)
        subdirectories: list[Path] = []
        for entry in entries:
            if entry.is_symlink():
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            wanted = entry.name.endswith(PYTHON_SUFFIX) or entry.name in extra_names
            if not is_dir and not (is_file and wanted):
                continue
            relative = _relative(real_directory / entry.name, project.root)
            if _excluded(project, relative, is_dir) or _ignored(chain, path, is_dir):
                continue
            if is_dir:
                subdirectories.append(path)
            elif not _too_large(path, max_bytes, result):
                real = real_directory / entry.name
                if real not in seen:
                    seen.add(real)
                    result.files.append(SourceFile(path, project))
        stack.extend((sub, chain) for sub in reversed(subdirectories))


def _too_large(path: Path, max_bytes: int | None, result: Discovery) -> bool:
    if max_bytes is None:
        return False
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if size <= max_bytes:
        return False
    result.skip(path, f"larger than {max_bytes} bytes ({size} bytes)")
    return True


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _excluded(project: Project, relative: str | None, is_dir: bool) -> bool:
    if relative is None:
        return False
    spec = project.settings.exclude_spec
    return spec.match_file(relative + "/" if is_dir else relative)


def _ignored(chain: IgnoreChain, path: Path, is_dir: bool) -> bool:
    """Gitignore semantics: the deepest .gitignore with a matching pattern decides."""
    for ignore in reversed(chain):
        relative = _relative(path, ignore.base)
        if relative is None:
            continue
        outcome = ignore.spec.check_file(relative + "/" if is_dir else relative)
        if outcome.include is not None:
            return outcome.include
    return False


def _with_gitignore(chain: IgnoreChain, directory: Path, result: Discovery) -> IgnoreChain:
    ignore = _read_gitignore(directory, result)
    return (*chain, ignore) if ignore is not None else chain


def _read_gitignore(directory: Path, result: Discovery | None) -> IgnoreFile | None:
    path = directory / GITIGNORE
    if not path.is_file():
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        if result is not None:
            result.notices.append(f"{path}: not used: cannot read ({_reason(error)})")
        return None
    return IgnoreFile(directory, pathspec.GitIgnoreSpec.from_lines(lines))


def _ancestor_ignores(root: Path) -> IgnoreChain:
    """The .gitignore files above `root`, up to the repository holding it (if any).

    None when `root` is a repository of its own, and none when they would ignore `root`
    itself: a directory the user names explicitly is checked, as ruff does."""
    if (root / ".git").exists():
        return ()
    ancestors: list[Path] = []
    for directory in root.parents:
        ancestors.append(directory)
        if (directory / ".git").exists():
            break
    else:
        return ()
    chain = [_read_gitignore(directory, None) for directory in reversed(ancestors)]
    found = tuple(ignore for ignore in chain if ignore is not None)
    return () if _ignored(found, root, is_dir=True) else found


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__
