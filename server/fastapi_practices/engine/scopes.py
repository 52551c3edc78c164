"""Lexical scopes and name bindings, computed lazily per scope from the `ast`.

A scope's bindings are collected only when a rule first asks to resolve a name in it, so the
common case (no candidate call in a function) costs nothing beyond the shared traversal.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from enum import Enum

BUILTIN_NAMES = frozenset(dir(builtins))

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


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
    """Collect the names bound directly in one scope (never inside nested scopes)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def collect(self) -> None:
        node = self.scope.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._params(node.args)
        if isinstance(node, ast.Lambda):
            self._walk([node.body])
        else:
            self._walk(list(node.body))

    def _params(self, args: ast.arguments) -> None:
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        for arg, default in zip(positional, defaults):
            self._param(arg, default)
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
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
        add = self.scope.add
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                add(node.name, Binding(BindingKind.FUNCTION, node, self.scope.qualify(node.name)))
                stack.extend(node.decorator_list)
                stack.extend(d for d in node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
                continue
            if isinstance(node, ast.ClassDef):
                add(node.name, Binding(BindingKind.CLASS, node, self.scope.qualify(node.name)))
                stack.extend(node.decorator_list)
                stack.extend(node.bases)
                continue
            if isinstance(node, ast.Lambda):
                continue
            if isinstance(node, _COMPREHENSIONS):
                self._comprehension(node, stack)
                continue
            if isinstance(node, ast.Import):
                self._import(node)
                continue
            if isinstance(node, ast.ImportFrom):
                self._import_from(node)
                continue
            if isinstance(node, ast.Global):
                self.scope.global_names.update(node.names)
                continue
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._target(target, node.value if len(node.targets) >= 1 else None, node)
                stack.append(node.value)
                continue
            if isinstance(node, ast.AnnAssign):
                if isinstance(node.target, ast.Name):
                    add(
                        node.target.id,
                        Binding(
                            BindingKind.ASSIGN, node, value=node.value, annotation=node.annotation
                        ),
                    )
                if node.value is not None:
                    stack.append(node.value)
                continue
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name):
                        add(
                            item.optional_vars.id,
                            Binding(BindingKind.WITH, node, value=item.context_expr),
                        )
                    elif item.optional_vars is not None:
                        self._target(item.optional_vars, None, node)
                    stack.append(item.context_expr)
                stack.extend(reversed(node.body))
                continue
            if isinstance(node, ast.NamedExpr):
                add(node.target.id, Binding(BindingKind.ASSIGN, node, value=node.value))
                stack.append(node.value)
                continue
            if isinstance(node, (ast.For, ast.AsyncFor)):
                self._target(node.target, None, node)
            elif isinstance(node, ast.AugAssign):
                self._target(node.target, None, node)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                add(node.name, Binding(BindingKind.OTHER, node))
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    self._target(target, None, node)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                add(node.name, Binding(BindingKind.OTHER, node))
            elif isinstance(node, ast.MatchMapping) and node.rest:
                add(node.rest, Binding(BindingKind.OTHER, node))
            stack.extend(reversed(list(ast.iter_child_nodes(node))))

    def _comprehension(self, node: ast.AST, stack: list[ast.AST]) -> None:
        # Only walrus targets inside a comprehension bind in the enclosing scope.
        for inner in ast.walk(node):
            if isinstance(inner, ast.NamedExpr):
                self.scope.add(
                    inner.target.id, Binding(BindingKind.ASSIGN, inner, value=inner.value)
                )

    def _target(self, target: ast.expr, value: ast.expr | None, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            kind = BindingKind.ASSIGN if value is not None else BindingKind.OTHER
            self.scope.add(target.id, Binding(kind, node, value=value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, None, node)
        elif isinstance(target, ast.Starred):
            self._target(target.value, None, node)

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.scope.add(alias.asname, Binding(BindingKind.IMPORT, node, alias.name))
            else:
                top = alias.name.split(".")[0]
                self.scope.add(top, Binding(BindingKind.IMPORT, node, top))

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = resolve_relative(
            self.scope.module_name, node.level, node.module, self.scope.is_package
        )
        for alias in node.names:
            if alias.name == "*":
                self.scope.has_star_import = True
                continue
            qualname = f"{module}.{alias.name}" if module else alias.name
            self.scope.add(alias.asname or alias.name, Binding(BindingKind.IMPORT, node, qualname))

