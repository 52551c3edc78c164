"""Which files are tests: pytest's default file patterns, `conftest.py`, or a `tests/` folder."""

from __future__ import annotations

from pathlib import Path


def is_test_file(path: Path | None, root: Path | None = None) -> bool:
    """Folders above the project root do not count: a project may live under any `tests/`."""
    if path is None or path.suffix != ".py":
        return False
    name = path.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return "tests" in _inside(path, root).parts[:-1]


def _inside(path: Path, root: Path | None) -> Path:
    if root is not None and path.is_absolute():
        try:
            return path.relative_to(root)
        except ValueError:
            return path
    return path
