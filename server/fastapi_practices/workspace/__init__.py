"""Cross-file facts. The engine asks; implementations answer from disk or from an index."""

from fastapi_practices.workspace.context import (
    EMPTY_WORKSPACE,
    EmptyWorkspace,
    ModuleSource,
    WorkspaceContext,
)
from fastapi_practices.workspace.filesystem import FileSystemWorkspace

__all__ = [
    "EMPTY_WORKSPACE",
    "EmptyWorkspace",
    "FileSystemWorkspace",
    "ModuleSource",
    "WorkspaceContext",
]
