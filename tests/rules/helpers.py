"""Helpers shared by the rule tests beyond the examples."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.model import Finding
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext
from fastapi_practices.workspace.filesystem import FileSystemWorkspace


def findings_of(
    code: str,
    text: str,
    path: str | Path = "app/main.py",
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
) -> list[Finding]:
    """The findings of one rule alone on `text`."""
    found = analyze(text, Path(path), Settings(select=(code,)), workspace)
    return [f for f in found if f.code == code]


def workspace_with(tmp_path: Path, files: dict[str, str]) -> FileSystemWorkspace:
    """A workspace rooted at `tmp_path` holding `files` (relative path → text)."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return FileSystemWorkspace([tmp_path])
