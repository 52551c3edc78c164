"""What the workspace index proves about an exception class: its ancestors, workspace ones
followed across modules and builtin ones taken from Python's own hierarchy."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi_practices.workspace.facts import ClassFact

if TYPE_CHECKING:
    from fastapi_practices.workspace.index import WorkspaceIndex

EXCEPTION = "builtins.Exception"
# Classes FastAPI answers by itself: subclasses never reach the client as a 500.
HANDLED_BY_FASTAPI = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.RequestValidationError",
        "fastapi.exceptions.WebSocketRequestValidationError",
        "fastapi.WebSocketException",
        "fastapi.exceptions.WebSocketException",
        "starlette.exceptions.WebSocketException",
    }
)
_MAX_CLASSES = 64


@dataclass(frozen=True)
class Lineage:
    ancestors: frozenset[str]
    """Canonical names of the class and of every base reached, builtins included."""
    complete: bool
    """False when a base lies outside the workspace and is not a class this module knows."""

    @property
    def is_exception(self) -> bool:
        return EXCEPTION in self.ancestors

    def derives_from(self, names: frozenset[str] | set[str]) -> bool:
        return not self.ancestors.isdisjoint(names)


def workspace_class(index: WorkspaceIndex, qualname: str) -> ClassFact | None:
    """The module-level class the index knows under `qualname` (canonical)."""
    module, _, _ = qualname.rpartition(".")
    facts = index.facts_for(module) if module else None
    if facts is None:
        return None
    return next((c for c in facts.classes if c.qualname == qualname), None)


def lineage(index: WorkspaceIndex, qualname: str) -> Lineage | None:
    """The ancestry of a workspace class; None when `qualname` is not one."""
    start = index.canonical(qualname)
    if workspace_class(index, start) is None:
        return None
    ancestors: set[str] = set()
    complete = True
    pending = [start]
    while pending:
        name = pending.pop()
        if name in ancestors:
            continue
        ancestors.add(name)
        if len(ancestors) > _MAX_CLASSES:
            return Lineage(frozenset(ancestors), False)
        if name.startswith("builtins."):
            ancestors.update(_builtin_ancestors(name))
            continue
        if name in HANDLED_BY_FASTAPI:
            continue
        fact = workspace_class(index, name)
        if fact is None:
            complete = False
            continue
        pending.extend(index.canonical(base) for base in fact.bases)
    return Lineage(frozenset(ancestors), complete)


def _builtin_ancestors(name: str) -> list[str]:
    found = getattr(builtins, name.removeprefix("builtins."), None)
    if not isinstance(found, type):
        return []
    return [f"builtins.{cls.__name__}" for cls in found.__mro__ if cls is not object]
