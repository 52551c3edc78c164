"""What snippets need to know about the project: import names, the app, the declarative base.

Found with bounded text searches of the source root's modules (never by importing them), and
cached for a moment so that completion, which runs on every keystroke, reads the disk rarely.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.config import DEFAULT_EXCLUDE
from fastapi_practices.workspace.index import WorkspaceIndex
from fastapi_practices.workspace.layout import NOT_DOMAINS, ProjectLayout

ReadText = Callable[[Path], str | None]

_APP = re.compile(r"^(\w+)[ \t]*(?::[^=\n]*)?=[ \t]*(?:\w+\.)*FastAPI\(", re.MULTILINE)
_DECLARATIVE = re.compile(
    r"^class[ \t]+(\w+)[ \t]*\((?:\w+\.)*DeclarativeBase\b|^(\w+)[ \t]*=[ \t]*(?:\w+\.)*"
    r"declarative_base\(",
    re.MULTILINE,
)
_INCLUDE = re.compile(r"^(\w+)\.include_router\(", re.MULTILINE)
MIN_EXTENDERS = 2  # as FBP305: a custom base is extended by at least two models
_MAX_FILES = 400
_MAX_BYTES = 1_000_000
CACHE_SECONDS = 2.0


def read_file(path: Path) -> str | None:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def package_name(directory: Path) -> str | None:
    """The dotted name `directory` is imported as: its name, behind every enclosing package."""
    if not directory.name.isidentifier():
        return None
    parts = [directory.name]
    parent = directory.parent
    while (parent / "__init__.py").is_file() and parent.name.isidentifier():
        parts.insert(0, parent.name)
        parent = parent.parent
    return ".".join(parts)


def module_name(path: Path) -> str | None:
    """The dotted name of a module file (`src/posts/router.py` → `src.posts.router`)."""
    if path.suffix != ".py" or not path.stem.isidentifier():
        return None
    package = package_name(path.parent) if (path.parent / "__init__.py").is_file() else None
    if path.name == "__init__.py":
        return package
    return f"{package}.{path.stem}" if package else path.stem


@dataclass(frozen=True)
class Symbol:
    """A module-level name in a project module."""

    path: Path
    module: str
    name: str


@dataclass(frozen=True)
class Registration:
    """Where routers are registered: the module with `include_router` calls, or the app's."""

    path: Path
    module: str
    target: str  # the object whose `include_router` is called
    is_app: bool


@dataclass(frozen=True)
class ProjectSymbols:
    app: Symbol | None
    declarative_base: Symbol | None
    registration: Registration | None


def _candidate_files(layout: ProjectLayout) -> Iterator[Path]:
    """The modules of the source roots, of their packages and of the project root."""
    seen = 0
    directories = [*layout.source_roots, layout.root]
    for source_root in layout.source_roots:
        directories.extend(_subdirectories(source_root))
    visited: set[Path] = set()
    for directory in directories:
        if directory in visited:
            continue
        visited.add(directory)
        try:
            with os.scandir(directory) as entries:
                names = sorted(e.name for e in entries if e.is_file() and e.name.endswith(".py"))
        except OSError:
            continue
        for name in names:
            if name == "conftest.py" or name.startswith("test_"):
                continue
            seen += 1
            if seen > _MAX_FILES:
                return
            yield directory / name


def _subdirectories(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            return sorted(
                Path(e.path)
                for e in entries
                if e.is_dir(follow_symlinks=False)
                and e.name.isidentifier()
                and e.name not in DEFAULT_EXCLUDE
                and e.name not in NOT_DOMAINS
            )
    except OSError:
        return []


def find_symbols(layout: ProjectLayout, read: ReadText = read_file) -> ProjectSymbols:
    app: Symbol | None = None
    base: Symbol | None = None
    includes: list[tuple[int, Path, str]] = []
    for path in _candidate_files(layout):
        text = read(path)
        if not text:
            continue
        if app is None and "FastAPI(" in text:
            match = _APP.search(text)
            module = module_name(path)
            if match is not None and module is not None:
                app = Symbol(path, module, match.group(1))
        if base is None and "eclarative" in text:
            match = _DECLARATIVE.search(text)
            module = module_name(path)
            if match is not None and module is not None:
                base = Symbol(path, module, match.group(1) or match.group(2))
        if "include_router(" in text:
            targets = _INCLUDE.findall(text)
            if targets:
                includes.append((len(targets), path, max(set(targets), key=targets.count)))
    return ProjectSymbols(app, base, _registration(app, includes))


def _registration(app: Symbol | None, includes: list[tuple[int, Path, str]]) -> Registration | None:
    if app is not None:
        for _, path, target in includes:
            if path == app.path and target == app.name:
                return Registration(path, app.module, target, True)
    if includes:
        _, path, target = max(includes, key=lambda item: item[0])
        module = module_name(path)
        if module is not None:
            return Registration(path, module, target, app is not None and target == app.name)
    if app is not None:
        return Registration(app.path, app.module, app.name, True)
    return None


_cache: dict[Path, tuple[float, ProjectSymbols]] = {}
_lock = threading.Lock()


def project_symbols(
    layout: ProjectLayout, read: ReadText = read_file, max_age: float = CACHE_SECONDS
) -> ProjectSymbols:
    """`find_symbols`, remembered per project for `max_age` seconds."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(layout.root)
    if cached is not None and now - cached[0] < max_age:
        return cached[1]
    symbols = find_symbols(layout, read)
    with _lock:
        _cache[layout.root] = (now, symbols)
    return symbols


def custom_base_model(index: WorkspaceIndex | None) -> tuple[str, str] | None:
    """(module, class) of the project's own base model, as FBP305 finds it: the one field-less
    `BaseModel` subclass that at least two models extend (None when there is none, or several)."""
    if index is None:
        return None
    bases = [name for name, count in index.custom_base_models().items() if count >= MIN_EXTENDERS]
    if len(bases) != 1:
        return None
    module, _, name = bases[0].rpartition(".")
    return (module, name) if module else None
