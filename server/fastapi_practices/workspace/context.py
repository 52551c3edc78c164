"""The interface the engine uses to look across files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class ModuleSource:
    """The text of a workspace module and where it lives."""

    module_name: str
    path: Path
    text: str
    is_package: bool


class WorkspaceContext(Protocol):
    def __hash__(self) -> int: ...

    def module_source(self, module_name: str) -> ModuleSource | None:
        """The source of a workspace module by dotted name, or None when not in the workspace."""
        ...

    def module_name_for(self, path: Path) -> tuple[str, bool]:
        """Dotted module name of a file (and whether it is a package `__init__`)."""
        ...


class EmptyWorkspace:
    """No cross-file knowledge: names imported from other modules stay unresolved."""

    def module_source(self, module_name: str) -> ModuleSource | None:
        return None

    def module_name_for(self, path: Path) -> tuple[str, bool]:
        is_package = path.name == "__init__.py"
        name = path.parent.name if is_package else path.stem
        return name or "__main__", is_package


EMPTY_WORKSPACE = EmptyWorkspace()
