"""Which dotted module names a file has under a workspace's import roots."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from fastapi_practices.config import Settings

SettingsFor = Callable[[Path], Settings]


def import_roots(roots: Iterable[Path], settings_for: SettingsFor | None) -> tuple[Path, ...]:
    """Each workspace root, its configured `src` folders, and `src/` when it is not a package.

    A `src/` holding an `__init__.py` is imported as `src.<domain>`, so it stays part of the
    module name; otherwise code inside it imports `<domain>` directly.
    """
    found: list[Path] = []
    for root in roots:
        root = root.resolve()
        candidates = [root]
        configured = settings_for(root).src if settings_for is not None else ()
        candidates.extend(root / folder for folder in configured)
        source = root / "src"
        if source.is_dir() and not (source / "__init__.py").is_file():
            candidates.append(source)
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_dir() and resolved not in found:
                found.append(resolved)
    return tuple(found)


def module_names(path: Path, roots: Sequence[Path]) -> list[tuple[str, bool]]:
    """Every dotted name of `path` (absolute, resolved), deepest root first."""
    is_package = path.name == "__init__.py"
    names: list[tuple[str, bool]] = []
    for root in sorted(roots, key=lambda r: len(r.parts), reverse=True):
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        parts = list(relative.with_suffix("").parts)
        if is_package:
            parts = parts[:-1]
        if parts and all(part.isidentifier() for part in parts):
            names.append((".".join(parts), is_package))
    return names


def fallback_module_name(path: Path) -> tuple[str, bool]:
    is_package = path.name == "__init__.py"
    return (path.parent.name if is_package else path.stem), is_package
