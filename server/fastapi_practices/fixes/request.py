"""What a fixer gets: the text, the finding, and helpers to find its nodes again.

The parse, the parent map and the position index of a text are built once and shared by every
fix built against that same text (fix-all and JSON output build many fixes per file).
"""

from __future__ import annotations

import ast
import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.model import Finding, Range
from fastapi_practices.workspace.context import EMPTY_WORKSPACE, WorkspaceContext

_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class SourceIndex:
    """One parsed text: its tree, line table, parents and nodes by start position."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self.tree = ast.parse(text)
        self.parents: dict[int, ast.AST] = {}
        self.by_start: dict[tuple[int, int], list[ast.AST]] = {}
        self._resolvers: dict[tuple[str, bool, int], Resolver] = {}
        stack: list[ast.AST] = [self.tree]
        while stack:
            node = stack.pop()
            start = getattr(node, "lineno", None)
            if start is not None:
                key = (start, node.col_offset)  # type: ignore[attr-defined]
                self.by_start.setdefault(key, []).append(node)
            children = list(ast.iter_child_nodes(node))
            for child in children:
                self.parents[id(child)] = node
            stack.extend(reversed(children))

    def resolver(self, module_name: str, is_package: bool, workspace: WorkspaceContext) -> Resolver:
        key = (module_name, is_package, id(workspace))
        found = self._resolvers.get(key)
        if found is None:
            found = self._resolvers[key] = Resolver(self.tree, module_name, is_package, workspace)
        return found


@functools.lru_cache(maxsize=8)
def source_index(text: str) -> SourceIndex:
    return SourceIndex(text)


@dataclass
class FixRequest:
    text: str
    finding: Finding
    path: Path | None = None
    workspace: WorkspaceContext = EMPTY_WORKSPACE
    _index: SourceIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> SourceIndex:
        if self._index is None:
            self._index = source_index(self.text)
        return self._index

    @property
    def lines(self) -> LineIndex:
        return self.index.lines

    @property
    def tree(self) -> ast.Module:
        return self.index.tree

    @property
    def resolver(self) -> Resolver:
        module_name, is_package = (
            self.workspace.module_name_for(self.path) if self.path else ("__main__", False)
        )
        return self.index.resolver(module_name, is_package, self.workspace)

    @property
    def newline(self) -> str:
        first = self.text.find("\n")
        if first < 0:
            return "\r" if "\r" in self.text else "\n"
        return "\r\n" if first > 0 and self.text[first - 1] == "\r" else "\n"

    def node_at(self, rng: Range, *types: type[ast.AST]) -> ast.AST | None:
        """The outermost node of one of `types` whose range is exactly `rng`."""
        line_text = self.lines.line_text(rng.start.line)
        byte_col = len(line_text[: rng.start.column].encode("utf-8"))
        for node in self.index.by_start.get((rng.start.line + 1, byte_col), ()):
            if isinstance(node, types) and self.lines.node_range(node) == rng:
                return node
        return None

    def finding_node(self, *types: type[ast.AST]) -> ast.AST | None:
        return self.node_at(self.finding.range, *types)

    def ancestors(self, target: ast.AST) -> list[ast.AST]:
        """Ancestors of `target`, innermost first."""
        chain = []
        parent = self.index.parents.get(id(target))
        while parent is not None:
            chain.append(parent)
            parent = self.index.parents.get(id(parent))
        return chain

    def enclosing_function(self, target: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for node in self.ancestors(target):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
            if isinstance(node, (ast.Lambda, ast.ClassDef)):
                return None
        return None

    def scope_of(self, target: ast.AST) -> Scope:
        """The resolver scope in which `target` runs (decorators and defaults run outside)."""
        scope = self.resolver.module_scope
        path = [target, *self.ancestors(target)]
        for child, node in reversed(list(itertools.pairwise(path))):
            if isinstance(node, _SCOPE_NODES) and _in_body(node, child):
                scope = self.resolver.scope_for(node, scope)
        return scope

    def segment(self, node: ast.AST) -> str:
        return self.lines.source_segment(self.lines.node_range(node))


def _in_body(scope_node: ast.AST, child: ast.AST) -> bool:
    body = scope_node.body  # type: ignore[attr-defined]
    return child is body if isinstance(scope_node, ast.Lambda) else any(s is child for s in body)
