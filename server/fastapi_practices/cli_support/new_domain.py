"""`fastapi-practices new-domain NAME`: plan the domain, write it, say what was done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import load_project
from fastapi_practices.snippets.project import custom_base_model
from fastapi_practices.snippets.scaffold import ScaffoldError, plan_new_domain, write_plan
from fastapi_practices.workspace.index import WorkspaceIndex

Say = Callable[[str], None]


def new_domain(name: str, src: str | None, start: Path, out: Say, err: Say) -> bool:
    """Create the domain `name` in the project holding `start`; False (and nothing written)
    when it cannot be done. Raises ConfigError for a broken project configuration."""
    project = load_project(start)
    source_root = Path(src).resolve() if src else None
    if source_root is not None and not source_root.is_dir():
        err(f"error: {src}: no such directory")
        return False
    index = ProjectIndexes({project.root: project.settings}).get(project.root)
    base = custom_base_model(index) if isinstance(index, WorkspaceIndex) else None
    try:
        plan = plan_new_domain(
            project.root, name, project.settings, source_root=source_root, base_model=base
        )
        written = write_plan(plan)
    except ScaffoldError as error:
        err(f"error: {error}")
        return False
    changed = {change.path for change in plan.changes}
    for path in written:
        verb = "updated" if path in changed else "created"
        out(f"{verb} {_shown(path, start)}")
    for note in plan.notes:
        err(f"note: {note}")
    return True


def _shown(path: Path, start: Path) -> str:
    try:
        return str(path.relative_to(start.resolve()))
    except ValueError:
        return str(path)
