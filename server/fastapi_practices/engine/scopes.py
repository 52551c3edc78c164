"""Lexical scopes and name bindings, computed lazily per scope from the `ast`.

A scope's bindings are collected only when a rule first asks to resolve a name in it, so the
common case (no candidate call in a function) costs nothing beyond the shared traversal.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

BUILTIN_NAMES = frozenset(dir(builtins))

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef


class BindingKind(Enum):
    IMPORT = "import"
    PARAM = "param"
    ASSIGN = "assign"
    WITH = "with"
    FUNCTION = "function"
    CLASS = "class"
    OTHER = "other"


@dataclass(frozen=True)
class Binding:
    kind: BindingKind
    node: ast.AST | None = None
    qualname: str | None = None
    value: ast.expr | None = None
    annotation: ast.expr | None = None


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    module_name: str
    is_package: bool = False
    _bindings: dict[str, list[Binding]] | None = None
    global_names: set[str] = field(default_factory=set)
    has_star_import: bool = False
    _recorder: _BindingCollector | None = None

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    @property
    def is_module(self) -> bool:
        return isinstance(self.node, ast.Module)

    @property
    def bindings(self) -> dict[str, list[Binding]]:
        if self._bindings is None:
            self._bindings = {}
            _BindingCollector(self).collect()
        return self._bindings

    def start_incremental(self) -> None:
        """Bind parameters now; the traversal records the body's bindings as it meets them."""
        if self._bindings is None:
            self._bindings = {}
            self._recorder = _BindingCollector(self)
            self._recorder.params()

    def record(self, node: ast.AST) -> None:
        if self._recorder is not None:
            self._recorder.record(node)

    def add(self, name: str, binding: Binding) -> None:
        assert self._bindings is not None
        self._bindings.setdefault(name, []).append(binding)

    def qualify(self, name: str) -> str:
        """Qualified name of a function or class defined directly in this scope."""
        if self.is_module:
            return f"{self.module_name}.{name}"
        return f"{self.module_name}.<locals>.{name}"

    def module_scope(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> list[Binding] | None:
        """Bindings visible for `name` from code running directly in this scope, or None."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if not first and scope.is_class:
                scope = scope.parent
                continue
            found = scope.bindings.get(name)
            if name in scope.global_names:
                return self.module_scope().bindings.get(name)
            if found:
                return found
            first = False
            scope = scope.parent
        return None

    def star_import_visible(self) -> bool:
        return self.module_scope().has_star_import


def resolve_relative(module_name: str, level: int, target: str | None, is_package: bool) -> str:
    """Absolute module for `from <level dots><target> import ...` inside `module_name`."""
    if level == 0:
        return target or ""
    parts = module_name.split(".") if module_name else []
    if not is_package:
        parts = parts[:-1]
    drop = level - 1
    if drop:
        parts = parts[: max(len(parts) - drop, 0)]
    if target:
        parts.append(target)
    return ".".join(parts)


class _BindingCollector:
    """Record the names bound directly in one scope (never inside nested scopes)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def collect(self) -> None:
        self.params()
        node = self.scope.node
        self._walk([node.body] if isinstance(node, ast.Lambda) else list(node.body))

    def params(self) -> None:
        node = self.scope.node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        for arg, default in zip(positional, defaults, strict=True):
            self._param(arg, default)
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            self._param(arg, kw_default)
        if args.vararg:
            self.scope.add(args.vararg.arg, Binding(BindingKind.OTHER, args.vararg))
        if args.kwarg:
            self.scope.add(args.kwarg.arg, Binding(BindingKind.OTHER, args.kwarg))

    def _param(self, arg: ast.arg, default: ast.expr | None) -> None:
        self.scope.add(
            arg.arg, Binding(BindingKind.PARAM, arg, value=default, annotation=arg.annotation)
        )

    def _walk(self, roots: list[ast.AST]) -> None:
        stack = list(reversed(roots))
        record = self.record
        while stack:
            node = stack.pop()
            if record(node):
                stack.extend(reversed(list(ast.iter_child_nodes(node))))

    def record(self, node: ast.AST) -> bool:
        """Record what `node` itself binds; True when its children belong to this scope."""
        handler = _RECORDERS.get(type(node))
        if handler is None:
            return True
        return handler(self, node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        self.scope.add(
            node.name, Binding(BindingKind.FUNCTION, node, self.scope.qualify(node.name))
        )
        return False

    def _class(self, node: ast.ClassDef) -> bool:
        self.scope.add(node.name, Binding(BindingKind.CLASS, node, self.scope.qualify(node.name)))
        return False

    def _nested(self, node: ast.AST) -> bool:
        return False

    def _comprehension(self, node: ast.AST) -> bool:
        # Only walrus targets inside a comprehension bind in the enclosing scope.
        for inner in ast.walk(node):
            if isinstance(inner, ast.NamedExpr):
                self.scope.add(
                    inner.target.id, Binding(BindingKind.ASSIGN, inner, value=inner.value)
                )
        return False

    def _global(self, node: ast.Global) -> bool:
        self.scope.global_names.update(node.names)
        return False

    def _assign(self, node: ast.Assign) -> bool:
        for target in node.targets:
            self._target(target, node.value, node)
        return True

    def _ann_assign(self, node: ast.AnnAssign) -> bool:
        if isinstance(node.target, ast.Name):
            binding = Binding(
                BindingKind.ASSIGN, node, value=node.value, annotation=node.annotation
            )
            self.scope.add(node.target.id, binding)
        return True

    def _with(self, node: ast.With | ast.AsyncWith) -> bool:
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name):
                binding = Binding(BindingKind.WITH, node, value=item.context_expr)
                self.scope.add(item.optional_vars.id, binding)
            elif item.optional_vars is not None:
                self._target(item.optional_vars, None, node)
        return True

    def _named_expr(self, node: ast.NamedExpr) -> bool:
        self.scope.add(node.target.id, Binding(BindingKind.ASSIGN, node, value=node.value))
        return True

    def _for(self, node: ast.For | ast.AsyncFor) -> bool:
        self._target(node.target, None, node)
        return True

    def _aug_assign(self, node: ast.AugAssign) -> bool:
        self._target(node.target, None, node)
        return True

    def _except(self, node: ast.ExceptHandler) -> bool:
        if node.name:
            self.scope.add(node.name, Binding(BindingKind.OTHER, node))
        return True

    def _delete(self, node: ast.Delete) -> bool:
        for target in node.targets:
            self._target(target, None, node)
        return True

    def _match_name(self, node: ast.MatchAs | ast.MatchStar) -> bool:
        if node.name:
            self.scope.add(node.name, Binding(BindingKind.OTHER, node))
        return True

    def _match_mapping(self, node: ast.MatchMapping) -> bool:
        if node.rest:
            self.scope.add(node.rest, Binding(BindingKind.OTHER, node))
        return True

    def _target(self, target: ast.expr, value: ast.expr | None, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            kind = BindingKind.ASSIGN if value is not None else BindingKind.OTHER
            self.scope.add(target.id, Binding(kind, node, value=value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, None, node)
        elif isinstance(target, ast.Starred):
            self._target(target.value, None, node)

    def _import(self, node: ast.Import) -> bool:
        for alias in node.names:
            if alias.asname:
                self.scope.add(alias.asname, Binding(BindingKind.IMPORT, node, alias.name))
            else:
                top = alias.name.split(".")[0]
                self.scope.add(top, Binding(BindingKind.IMPORT, node, top))
        return False

    def _import_from(self, node: ast.ImportFrom) -> bool:
        module = resolve_relative(
            self.scope.module_name, node.level, node.module, self.scope.is_package
        )
        for alias in node.names:
            if alias.name == "*":
                self.scope.has_star_import = True
                continue
            qualname = f"{module}.{alias.name}" if module else alias.name
            self.scope.add(alias.asname or alias.name, Binding(BindingKind.IMPORT, node, qualname))
        return False


_RECORDERS: dict[type[ast.AST], Callable[[_BindingCollector, Any], bool]] = {
    ast.FunctionDef: _BindingCollector._function,
    ast.AsyncFunctionDef: _BindingCollector._function,
    ast.ClassDef: _BindingCollector._class,
    ast.Lambda: _BindingCollector._nested,
    ast.ListComp: _BindingCollector._comprehension,
    ast.SetComp: _BindingCollector._comprehension,
    ast.DictComp: _BindingCollector._comprehension,
    ast.GeneratorExp: _BindingCollector._comprehension,
    ast.Import: _BindingCollector._import,
    ast.ImportFrom: _BindingCollector._import_from,
    ast.Global: _BindingCollector._global,
    ast.Assign: _BindingCollector._assign,
    ast.AnnAssign: _BindingCollector._ann_assign,
    ast.With: _BindingCollector._with,
    ast.AsyncWith: _BindingCollector._with,
    ast.NamedExpr: _BindingCollector._named_expr,
    ast.For: _BindingCollector._for,
    ast.AsyncFor: _BindingCollector._for,
    ast.AugAssign: _BindingCollector._aug_assign,
    ast.ExceptHandler: _BindingCollector._except,
    ast.Delete: _BindingCollector._delete,
    ast.MatchAs: _BindingCollector._match_name,
    ast.MatchStar: _BindingCollector._match_name,
    ast.MatchMapping: _BindingCollector._match_mapping,
}
BINDING_NODE_TYPES = frozenset(_RECORDERS)
