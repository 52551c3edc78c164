"""Finding the Python files to check; the walk lives in `workspace.discovery`."""

from fastapi_practices.workspace.discovery import (
    Discovery,
    ProjectLookup,
    SkippedPath,
    SourceFile,
    discover,
)

__all__ = ["Discovery", "ProjectLookup", "SkippedPath", "SourceFile", "discover"]
