"""Workspace facts read lazily from disk (and from open editor buffers) by module name."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from stat import S_ISREG

from fastapi_practices.workspace.context import ModuleSource

MAX_MODULE_BYTES = 2_000_000


class FileSystemWorkspace:
    """Maps dotted module names to files under a set of import roots.

    `overlay` returns the editor's text for a path when the file is open, so unsaved edits win
    over what is on disk.
    """

    def __init__(
        self,
        roots: Sequence[Path],
        overlay: Callable[[Path], str | None] | None = None,
    ) -> None:
        self.roots = [root.resolve() for root in roots]
        self.overlay = overlay
        self._cache: dict[Path, tuple[float, ModuleSource | None]] = {}
        self._lock = threading.Lock()

    def module_name_for(self, path: Path) -> tuple[str, bool]:
        resolved = path.resolve()
        is_package = resolved.name == "__init__.py"
        for root in sorted(self.roots, key=lambda r: len(r.parts), reverse=True):
            try:
                relative = resolved.relative_to(root)
            except ValueError:
                continue
            parts = list(relative.with_suffix("").parts)
            if is_package:
                parts = parts[:-1]
            if parts:
                return ".".join(parts), is_package
        return (resolved.parent.name if is_package else resolved.stem), is_package

    def module_source(self, module_name: str) -> ModuleSource | None:
        if not module_name:
            return None
        parts = module_name.split(".")
        for root in self.roots:
            base = root.joinpath(*parts)
            for candidate, is_package in (
                (base.with_suffix(".py"), False),
                (base / "__init__.py", True),
            ):
                source = self._load(candidate, module_name, is_package)
                if source is not None:
                    return source
        return None

    def _load(self, path: Path, module_name: str, is_package: bool) -> ModuleSource | None:
        if self.overlay is not None:
            text = self.overlay(path)
            if text is not None:
                return ModuleSource(module_name, path, text, is_package)
        try:
            stat = path.stat()
        except OSError:
            return None
        with self._lock:
            cached = self._cache.get(path)
            if cached is not None and cached[0] == stat.st_mtime:
                return cached[1]
        source: ModuleSource | None = None
        if stat.st_size <= MAX_MODULE_BYTES and S_ISREG(stat.st_mode):  # a FIFO would block
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
            if text is not None:
                source = ModuleSource(module_name, path, text, is_package)
        with self._lock:
            self._cache[path] = (stat.st_mtime, source)
        return source
