"""The single shared walk over a module's `ast`, dispatching each node to every enabled rule."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from fastapi_practices.engine.context import FileContext, FunctionFrame
from fastapi_practices.engine.scopes import BINDING_NODE_TYPES, Scope
from fastapi_practices.rules.base import Rule

Hook = Callable[[ast.AST, FileContext], None]

NodePlan = tuple[tuple[Hook, ...], int, tuple[str, ...], bool]

_SKIPPED_FIELDS = frozenset({"ctx", "type_comment", "type_ignores"})
_LEAF_BASES = (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)
_SCALARS = (str, int, bytes, bool, float, complex, type(None), type(...))
_GENERIC, _FUNCTION, _LAMBDA, _CLASS = 0, 1, 2, 3
_KINDS = {
    ast.FunctionDef: _FUNCTION,
    ast.AsyncFunctionDef: _FUNCTION,
    ast.Lambda: _LAMBDA,
    ast.ClassDef: _CLASS,
}


def _leaf_types() -> list[type[ast.AST]]:
    leaves: list[type[ast.AST]] = [ast.Constant, ast.Name]
    stack: list[type[ast.AST]] = list(_LEAF_BASES)
    while stack:
        base = stack.pop()
        leaves.append(base)
        stack.extend(base.__subclasses__())
    return leaves


class Traversal:
    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.dispatch: dict[type[ast.AST], list[Hook]] = {}
        self.finishers: list[Callable[[FileContext], None]] = []
        filtered_calls: list[tuple[Hook, frozenset[str]]] = []
        for rule in self.rules:
            for attr in dir(rule):
                if not attr.startswith("visit_"):
                    continue
                node_type = getattr(ast, attr[len("visit_") :], None)
                if not (isinstance(node_type, type) and issubclass(node_type, ast.AST)):
                    continue
                if node_type is ast.Call and rule.call_names is not None:
                    filtered_calls.append((getattr(rule, attr), rule.call_names))
                else:
                    self.dispatch.setdefault(node_type, []).append(getattr(rule, attr))
            finish = getattr(rule, "finish", None)
            if callable(finish):
                self.finishers.append(finish)
        self.filtered_calls = tuple(filtered_calls)
        if filtered_calls:
            self.dispatch.setdefault(ast.Call, [])
        self.plans: dict[type[ast.AST], NodePlan] = {}
        # Leaves (names, constants, operators) and plain values are visited only when hooked.
        self.skipped_types = frozenset(
            t for t in [*_leaf_types(), *_SCALARS] if t not in self.dispatch
        )

    def run(self, ctx: FileContext) -> None:
        """Walk one file. Safe to call from several threads at once: state lives in the walk."""
        _Walk(self, ctx).visit(ctx.tree)
        for finish in self.finishers:
            finish(ctx)

    def node_plan(self, node_type: type[ast.AST]) -> NodePlan:
        """How to visit one node type: its hooks, its kind, its child fields, if it binds."""
        kind = _KINDS.get(node_type, _GENERIC)
        fields = tuple(f for f in node_type._fields if f not in _SKIPPED_FIELDS)
        hooks = tuple(self.dispatch.get(node_type, ()))
        return hooks, kind, fields, node_type in BINDING_NODE_TYPES


class _Walk:
    """One traversal of one file: the node stack, scopes and frames live on the context."""

    def __init__(self, plan: Traversal, ctx: FileContext) -> None:
        self.plan = plan
        self.dispatch = plan.dispatch
        self._ctx = ctx
        self._module_scope = ctx.resolver.module_scope
        self._plans = plan.plans
        self._filtered_calls = plan.filtered_calls
        self._skip = plan.skipped_types

    def visit(self, node: ast.AST) -> None:
        self._visit(node)

    def _visit(self, node: ast.AST) -> None:
        ctx = self._ctx
        node_type = type(node)
        plan = self._plans.get(node_type)
        if plan is None:
            plan = self._plans[node_type] = self.plan.node_plan(node_type)
        hooks, kind, fields, binds = plan
        parents = ctx.parents
        parents.append(node)
        if binds and ctx.scope is not self._module_scope:
            ctx.scope.record(node)
        if hooks:
            for hook in hooks:
                hook(node, ctx)
        if node_type is ast.Call and self._filtered_calls:
            self._dispatch_filtered_call(node)  # type: ignore[arg-type]
        if kind == _GENERIC:
            skip = self._skip
            visit = self._visit
            for name in fields:
                value = getattr(node, name)
                if value.__class__ is list:
                    for item in value:
                        if item.__class__ not in skip:
                            visit(item)
                elif value.__class__ not in skip:
                    visit(value)
        elif kind == _FUNCTION:
            self._visit_function(node)  # type: ignore[arg-type]
        elif kind == _LAMBDA:
            self._visit_lambda(node)  # type: ignore[arg-type]
        else:
            self._visit_class(node)  # type: ignore[arg-type]
        parents.pop()

    def _dispatch_filtered_call(self, node: ast.Call) -> None:
        func = node.func
        func_type = type(func)
        if func_type is ast.Attribute:
            written = func.attr  # type: ignore[attr-defined]
        elif func_type is ast.Name:
            written = func.id  # type: ignore[attr-defined]
        else:
            return
        resolved: str | None = None
        for hook, names in self._filtered_calls:
            if written in names:
                hook(node, self._ctx)
                continue
            if func_type is ast.Name:
                if resolved is None:
                    qualname = self._ctx.qualname(func)
                    resolved = qualname.rpartition(".")[2] if qualname else ""
                if resolved in names:
                    hook(node, self._ctx)

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
