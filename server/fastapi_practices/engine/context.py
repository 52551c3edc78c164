"""Per-file state that rules see during the shared traversal."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi_practices.config import Settings
from fastapi_practices.engine import knowledge
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.engine.resolver import FunctionNode, Resolver, dependency_argument
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.model import Finding, FixOption, Range, RelatedLocation, Severity
from fastapi_practices.rules.base import Rule
from fastapi_practices.workspace.context import WorkspaceContext
from fastapi_practices.workspace.layout import ProjectLayout

if TYPE_CHECKING:
    from fastapi_practices.workspace.index import WorkspaceIndex


@dataclass
class FunctionFrame:
    node: FunctionNode
    scope: Scope
    is_path_operation: bool
    awaits: bool = False


@dataclass
class FileContext:
    text: str
    tree: ast.Module
    path: Path | None
    resolver: Resolver
    lines: LineIndex
    workspace: WorkspaceContext
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    # The project's domains and roles; None when the file has no path or no project root.
    layout: ProjectLayout | None = None
    findings: list[Finding] = field(default_factory=list)
    scope: Scope = field(init=False)
    frames: list[FunctionFrame | None] = field(default_factory=list)
    parents: list[ast.AST] = field(default_factory=list)
    _added_routes: frozenset[str] | None = None
    _path_operation_cache: dict[int, bool] = field(default_factory=dict)
    _rule_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    _qualnames: dict[int, str | None] = field(default_factory=dict)
    _types: dict[int, str | None] = field(default_factory=dict)
    _project: list[WorkspaceIndex | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scope = self.resolver.module_scope

    # ----- where we are -----------------------------------------------------------------------
    @property
    def function(self) -> FunctionFrame | None:
        """The function whose body directly holds the current node (None in lambdas/classes)."""
        return self.frames[-1] if self.frames else None

    @property
    def in_async_def(self) -> bool:
        frame = self.function
        return frame is not None and isinstance(frame.node, ast.AsyncFunctionDef)

    @property
    def in_path_operation(self) -> bool:
        frame = self.function
        return frame is not None and frame.is_path_operation

    @property
    def parent(self) -> ast.AST | None:
        """Parent of the node being visited."""
        return self.parents[-2] if len(self.parents) >= 2 else None

    @property
    def module_name(self) -> str:
        return self.resolver.module_name

    @property
    def project(self) -> WorkspaceIndex | None:
        """The whole project's index with this file's current text in it, when the analysis runs
        with an index (None: this file is judged alone)."""
        if not self._project:
            index = project_index(self.workspace)
            if index is not None and self.path is not None:
                index = index.with_text(self.path, self.text, self.tree)
            self._project.append(index)
        return self._project[0]

    def rule_state(self, rule: Rule) -> dict[str, Any]:
        """Scratch space of `rule` for this file (rule instances are shared across files)."""
        return self.rule_state_for(rule.code)

    def rule_state_for(self, key: str) -> dict[Any, Any]:
        """Per-file scratch space shared by whoever uses the same key."""
        return self._rule_states.setdefault(key, {})

    # ----- resolution -------------------------------------------------------------------------
    def qualname(self, expr: ast.expr) -> str | None:
        """Qualified name `expr` refers to; cached, since several rules ask about one node."""
        key = id(expr)
        if key in self._qualnames:
            return self._qualnames[key]
        found = self._qualnames[key] = self.resolver.qualname(expr, self.scope)
        return found

    def dependency_target(self, call: ast.Call) -> ast.expr | None:
        """The callable inside `Depends(x)` / `Security(x)`, when `call` is proven to be one."""
        if self.qualname(call.func) not in knowledge.DEPENDS_FUNCTIONS:
            return None
        return dependency_argument(call)

    def instance_type(self, expr: ast.expr) -> str | None:
        key = id(expr)
        if key in self._types:
            return self._types[key]
        found = self._types[key] = self.resolver.instance_type(expr, self.scope)
        return found

    def is_bound_locally(self, name: str) -> bool:
        return self.scope.lookup(name) is not None

    def is_app_or_router(self, expr: ast.expr, scope: Scope | None = None) -> bool:
        type_name = self.resolver.instance_type(expr, scope or self.scope)
        return type_name is not None and self.resolver.is_subclass_of(
            type_name, knowledge.APP_CLASSES
        )

    def route_decorator(self, func: FunctionNode, scope: Scope | None = None) -> ast.Call | None:
        """The `@app.get(...)`-style decorator call that makes `func` a path operation."""
        for decorator in func.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr in knowledge.ROUTE_METHODS
                and self.is_app_or_router(decorator.func.value, scope)
            ):
                return decorator
        return None

    def is_path_operation(self, func: FunctionNode, scope: Scope | None = None) -> bool:
        cached = self._path_operation_cache.get(id(func))
        if cached is not None:
            return cached
        result = self.route_decorator(func, scope) is not None or (
            func.name in self._routes_added_by_call() and self._is_module_level(func)
        )
        self._path_operation_cache[id(func)] = result
        return result

    def _is_module_level(self, func: FunctionNode) -> bool:
        return any(node is func for node in self.tree.body)

    def _routes_added_by_call(self) -> frozenset[str]:
        """Names of module-level functions passed to `app.add_api_route(path, func)`."""
        if self._added_routes is None:
            names: set[str] = set()
            if "add_api_route" in self.text:
                for node in ast.walk(self.tree):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "add_api_route"
                        and self.is_app_or_router(node.func.value, self.resolver.module_scope)
                    ):
                        endpoint = _endpoint_argument(node)
                        if isinstance(endpoint, ast.Name):
                            names.add(endpoint.id)
            self._added_routes = frozenset(names)
        return self._added_routes

    # ----- ranges -----------------------------------------------------------------------------
    def range_of(self, node: ast.AST) -> Range:
        return self.lines.node_range(node)

    def def_range(self, func: FunctionNode | ast.ClassDef) -> Range:
        """The `def name` / `class name` part of a definition's first line."""
        start = self.lines.position(func.lineno, func.col_offset)
        line = self.lines.line_text(start.line)
        match = re.compile(rf"\b{re.escape(func.name)}\b").search(line, start.column)
        end_col = match.end() if match else len(line)
        return Range(start, start.__class__(start.line, end_col))

    # ----- reporting --------------------------------------------------------------------------
    def report(
        self,
        rule: Rule,
        where: ast.AST | Range,
        message: str,
        fixes: tuple[FixOption, ...] = (),
        data: Mapping[str, Any] | None = None,
        related: tuple[RelatedLocation, ...] = (),
    ) -> None:
        rng = where if isinstance(where, Range) else self.range_of(where)
        self.findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                message=message,
                severity=self.severity_overrides.get(rule.code, rule.severity),
                range=rng,
                fixes=fixes,
                data=dict(data or {}),
                related=related,
            )
        )


def project_index(workspace: WorkspaceContext) -> WorkspaceIndex | None:
    from fastapi_practices.workspace.index import WorkspaceIndex

    if isinstance(workspace, WorkspaceIndex):
        return workspace
    index = getattr(workspace, "index", None)
    return index if isinstance(index, WorkspaceIndex) else None


def _endpoint_argument(call: ast.Call) -> ast.expr | None:
    if len(call.args) >= 2:
        return call.args[1]
    for keyword in call.keywords:
        if keyword.arg == "endpoint":
            return keyword.value
    return None
