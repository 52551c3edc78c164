"""The project's layout: its source root, its domain packages and the role of each module.

Computed from directory listings only (plus a text search for `FastAPI(` when the source root
has to be auto-detected); user code is never imported. Layouts are cached per project root and
recomputed when the listings they were built from change, or on `invalidate()`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_practices.config import DEFAULT_EXCLUDE, ROLE_NAMES, Settings

# Directories that are never domains even when they hold a file named like a role module.
NOT_DOMAINS = frozenset({"tests", "test", "migrations", "alembic", "scripts", "docs"})
_APP_MARKER = "FastAPI("
_MAX_SCAN_DEPTH = 4
_MAX_SCAN_FILES = 5_000
_MAX_SCAN_BYTES = 2_000_000


def role_files(settings: Settings) -> dict[str, str]:
    """File name → role, after the configured `role-modules` renames."""
    names = {role: f"{role}.py" for role in ROLE_NAMES}
    names.update(settings.role_modules)
    return {file_name: role for role, file_name in names.items()}


@dataclass(frozen=True)
class ProjectLayout:
    root: Path
    source_roots: tuple[Path, ...]
    domains: Mapping[str, Path]  # domain name → its package directory
    roles: Mapping[str, str] = field(default_factory=dict)  # file name → role
    signature: tuple[tuple[str, int], ...] = ()
    _by_directory: dict[Path, str] = field(default_factory=dict, init=False, compare=False)

    def __post_init__(self) -> None:
        self._by_directory.update({package: name for name, package in self.domains.items()})

    @property
    def source_root(self) -> Path | None:
        return self.source_roots[0] if self.source_roots else None

    def domain_of_directory(self, directory: Path) -> str | None:
        return self._by_directory.get(directory)

    def role_of(self, path: Path) -> tuple[str | None, str | None]:
        """(domain, role) of a module; a module of a domain with no role gives (domain, None)."""
        resolved = _resolve(path)
        domain = self.domain_of_directory(resolved.parent)
        if domain is None:
            return None, None
        return domain, self.roles.get(resolved.name)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _subdirectories(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if entry.is_dir(follow_symlinks=False)
                and entry.name.isidentifier()
                and entry.name not in DEFAULT_EXCLUDE
            )
    except OSError:
        return []


def _file_names(directory: Path) -> set[str]:
    try:
        with os.scandir(directory) as entries:
            return {entry.name for entry in entries if entry.is_file()}
    except OSError:
        return set()


def _may_hold_the_app(directory_name: str) -> bool:
    return not (
        directory_name in DEFAULT_EXCLUDE
        or directory_name in NOT_DOMAINS
        or directory_name.startswith(".")
    )


def _is_application_module(file_name: str) -> bool:
    """A Python module that is not a test (tests build apps of their own)."""
    return (
        file_name.endswith(".py")
        and file_name != "conftest.py"
        and not file_name.startswith("test_")
        and not file_name.endswith("_test.py")
    )


def _python_files(root: Path) -> Iterator[Path]:
    """Python files under `root`, shallowest first, bounded in depth and count."""
    level = [root]
    seen = 0
    for _ in range(_MAX_SCAN_DEPTH):
        next_level: list[Path] = []
        for directory in level:
            try:
                with os.scandir(directory) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if _may_hold_the_app(entry.name):
                        next_level.append(Path(entry.path))
                elif _is_application_module(entry.name) and entry.is_file():
                    seen += 1
                    if seen > _MAX_SCAN_FILES:
                        return
                    yield Path(entry.path)
        level = next_level


def _creates_app(path: Path) -> bool:
    try:
        if path.stat().st_size > _MAX_SCAN_BYTES:
            return False
        return _APP_MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _source_roots(root: Path, settings: Settings) -> tuple[Path, ...]:
    if settings.src:
        return tuple(_resolve(root / src) for src in settings.src if (root / src).is_dir())
    if (root / "src").is_dir():
        return (_resolve(root / "src"),)
    for module in _python_files(root):
        if _creates_app(module):
            return (module.parent,)
    return ()


def compute_layout(root: Path, settings: Settings) -> ProjectLayout:
    """Read the layout of the project at `root` from disk."""
    root = _resolve(root)
    roles = role_files(settings)
    source_roots = _source_roots(root, settings)
    domains: dict[str, Path] = {}
    watched = [root, *source_roots]
    for source_root in source_roots:
        for package in _subdirectories(source_root):
            if package.name in NOT_DOMAINS or package.name in domains:
                continue
            watched.append(package)
            if _file_names(package) & roles.keys():
                domains[package.name] = package
    signature = tuple((str(path), _mtime(path)) for path in watched)
    return ProjectLayout(root, source_roots, domains, roles, signature)


def _still_current(layout: ProjectLayout) -> bool:
    for path, mtime in layout.signature:
        try:
            if os.stat(path).st_mtime_ns != mtime:
                return False
        except OSError:
            if mtime != -1:
                return False
    return True


_CacheKey = tuple[Path, tuple[str, ...], tuple[tuple[str, str], ...]]
_cache: dict[_CacheKey, tuple[ProjectLayout, float]] = {}
_lock = threading.Lock()
# Listings are checked again at most this often (seconds), so that analysing many files in a
# row costs one dictionary lookup per file.
REVALIDATE_AFTER = 1.0


def layout_for(settings: Settings, max_age: float = REVALIDATE_AFTER) -> ProjectLayout | None:
    """The cached layout of the project `settings` belong to; None without a project root.

    A cached layout older than `max_age` seconds is kept only if its listings are unchanged.
    """
    if settings.root is None:
        return None
    key = (_resolve(settings.root), settings.src, tuple(sorted(settings.role_modules.items())))
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        layout, checked = cached
        if now - checked < max_age:
            return layout
        if _still_current(layout):
            with _lock:
                _cache[key] = (layout, now)
            return layout
    layout = compute_layout(key[0], settings)
    with _lock:
        _cache[key] = (layout, now)
    return layout


def invalidate(root: Path | None = None) -> None:
    """Forget cached layouts: those of `root`, or all of them."""
    with _lock:
        if root is None:
            _cache.clear()
            return
        resolved = _resolve(root)
        for key in [key for key in _cache if key[0] == resolved]:
            del _cache[key]
