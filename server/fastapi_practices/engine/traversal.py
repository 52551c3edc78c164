"""The single shared walk over a module's `ast`, dispatching each node to every enabled rule."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from fastapi_practices.engine.context import FileContext, FunctionFrame
from fastapi_practices.engine.scopes import BINDING_NODE_TYPES, Scope
from fastapi_practices.rules.base import Rule

Hook = Callable[[ast.AST, FileContext], None]

_SKIPPED_FIELDS = frozenset({"ctx", "type_comment"})
_LEAVES = (ast.Constant, ast.Name, ast.expr_context, ast.operator, ast.cmpop, ast.unaryop)


def _child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    return tuple(f for f in node_type._fields if f not in _SKIPPED_FIELDS)


class Traversal:
    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.dispatch: dict[type[ast.AST], list[Hook]] = {}
        self.finishers: list[Callable[[FileContext], None]] = []
        for rule in self.rules:
            for attr in dir(rule):
                if not attr.startswith("visit_"):
                    continue
                node_type = getattr(ast, attr[len("visit_") :], None)
                if isinstance(node_type, type) and issubclass(node_type, ast.AST):
                    self.dispatch.setdefault(node_type, []).append(getattr(rule, attr))
            finish = getattr(rule, "finish", None)
            if callable(finish):
                self.finishers.append(finish)
        self._fields: dict[type[ast.AST], tuple[str, ...]] = {}
        self._wanted_types: dict[type[ast.AST], bool] = {}

    def run(self, ctx: FileContext) -> None:
        """Walk one file. Safe to call from several threads at once: state lives in the walk."""
        _Walk(self, ctx).visit(ctx.tree)
        for finish in self.finishers:
            finish(ctx)

    def child_fields(self, node_type: type[ast.AST]) -> tuple[str, ...]:
        fields = self._fields.get(node_type)
        if fields is None:
            fields = self._fields[node_type] = _child_fields(node_type)
        return fields

    def wanted(self, node_type: type[ast.AST]) -> bool:
        """Leaves (names, constants, operators) are visited only when a rule hooks them."""
        wanted = self._wanted_types.get(node_type)
        if wanted is None:
            wanted = not issubclass(node_type, _LEAVES) or node_type in self.dispatch
            self._wanted_types[node_type] = wanted
        return wanted


class _Walk:
    """One traversal of one file: the node stack, scopes and frames live on the context."""

    def __init__(self, plan: Traversal, ctx: FileContext) -> None:
        self.plan = plan
        self.dispatch = plan.dispatch
        self._ctx = ctx
        self._module_scope = ctx.resolver.module_scope

    def visit(self, node: ast.AST) -> None:
        self._visit(node)

    def _visit(self, node: ast.AST) -> None:
        ctx = self._ctx
        ctx.parents.append(node)
        node_type = type(node)
        if node_type in BINDING_NODE_TYPES and ctx.scope is not self._module_scope:
            ctx.scope.record(node)
        hooks = self.dispatch.get(node_type)
        if hooks:
            for hook in hooks:
                hook(node, ctx)
        if node_type is ast.FunctionDef or node_type is ast.AsyncFunctionDef:
            self._visit_function(node)  # type: ignore[arg-type]
        elif node_type is ast.Lambda:
            self._visit_lambda(node)  # type: ignore[arg-type]
        elif node_type is ast.ClassDef:
            self._visit_class(node)  # type: ignore[arg-type]
        else:
            self._visit_children(node, node_type)
        ctx.parents.pop()

    def _visit_children(self, node: ast.AST, node_type: type[ast.AST]) -> None:
        fields = self.plan.child_fields(node_type)
        visit = self._visit
        wanted = self.plan.wanted
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and wanted(type(item)):
                        visit(item)
            elif isinstance(value, ast.AST) and wanted(type(value)):
                visit(value)

    def _visit_arguments(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self._visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self._visit(arg.annotation)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        ctx = self._ctx
        for decorator in node.decorator_list:
            self._visit(decorator)
        self._visit_arguments(node.args)
        if node.returns is not None:
            self._visit(node.returns)
        outer = ctx.scope
        scope = self._enter(node, outer)
        frame = FunctionFrame(node, scope, ctx.is_path_operation(node, outer))
        ctx.scope = scope
        ctx.frames.append(frame)
        for statement in node.body:
            self._visit(statement)
        ctx.frames.pop()
        ctx.scope = outer

    def _visit_lambda(self, node: ast.Lambda) -> None:
        ctx = self._ctx
        self._visit_arguments(node.args)
        outer = ctx.scope
        ctx.scope = self._enter(node, outer)
        ctx.frames.append(None)
        self._visit(node.body)
        ctx.frames.pop()
        ctx.scope = outer

    def _visit_class(self, node: ast.ClassDef) -> None:
        ctx = self._ctx
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self._visit(expr)
        outer = ctx.scope
        ctx.scope = self._enter(node, outer)
        ctx.frames.append(None)
        for statement in node.body:
            self._visit(statement)
        ctx.frames.pop()
        ctx.scope = outer

    def _enter(self, node: ast.AST, outer: Scope) -> Scope:
        scope = self._ctx.resolver.scope_for(node, outer)
        scope.start_incremental()
        return scope
