"""Where imports of a project resolve from: the same answer for the CLI and the server."""

from __future__ import annotations

from pathlib import Path


def index_roots(project_root: Path) -> list[Path]:
    """Imports resolve from the project root and from `src/` when there is one."""
    source = project_root / "src"
    return [project_root, *([source] if source.is_dir() else [])]
