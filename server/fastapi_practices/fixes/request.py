"""What a fixer gets: the text, the finding, and helpers to find its nodes again."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.model import Finding, Range
from fastapi_practices.workspace.context import EMPTY_WORKSPACE, WorkspaceContext


@dataclass
class FixRequest:
    text: str
    finding: Finding
    path: Path | None = None
    workspace: WorkspaceContext = EMPTY_WORKSPACE
    _chain_cache: dict[int, list[ast.AST]] = field(default_factory=dict)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.text)

    @cached_property
    def resolver(self) -> Resolver:
        module_name, is_package = (
            self.workspace.module_name_for(self.path) if self.path else ("__main__", False)
        )
        return Resolver(self.tree, module_name, is_package, self.workspace)

    @property
    def newline(self) -> str:
        first = self.text.find("\n")
        return "\r\n" if first > 0 and self.text[first - 1] == "\r" else "\n"

    def node_at(self, rng: Range, *types: type[ast.AST]) -> ast.AST | None:
        """The outermost node of one of `types` whose range is exactly `rng`."""
        for node, _ in self._walk_with_chain():
            if (
                isinstance(node, types)
                and hasattr(node, "lineno")
                and self.lines.node_range(node) == rng
            ):
                return node
        return None

    def finding_node(self, *types: type[ast.AST]) -> ast.AST | None:
        return self.node_at(self.finding.range, *types)

    def ancestors(self, target: ast.AST) -> list[ast.AST]:
        """Ancestors of `target`, innermost first."""
        for node, chain in self._walk_with_chain():
            if node is target:
                return list(reversed(chain))
        return []

    def enclosing_function(self, target: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for node in self.ancestors(target):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
            if isinstance(node, (ast.Lambda, ast.ClassDef)):
                return None
        return None

    def scope_of(self, target: ast.AST) -> Scope:
        """The resolver scope in which `target` runs."""
        scope = self.resolver.module_scope
        for node in reversed(self.ancestors(target)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                scope = self.resolver.scope_for(node, scope)
        return scope

    def segment(self, node: ast.AST) -> str:
        return self.lines.source_segment(self.lines.node_range(node))

    def _walk_with_chain(self) -> list[tuple[ast.AST, list[ast.AST]]]:
        cached = self.__dict__.get("_walk")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        result: list[tuple[ast.AST, list[ast.AST]]] = []
        stack: list[tuple[ast.AST, list[ast.AST]]] = [(self.tree, [])]
        while stack:
            node, chain = stack.pop()
            result.append((node, chain))
            child_chain = [*chain, node]
            stack.extend(
                (child, child_chain) for child in reversed(list(ast.iter_child_nodes(node)))
            )
        self.__dict__["_walk"] = result
        return result
