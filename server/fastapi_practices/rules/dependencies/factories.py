"""Telling a plain function from a dependency factory (a function that returns a callable).

Everything answers "proven" conservatively: when a returned value might be callable, the
function counts as a factory, so `Depends(f())` on it stays silent.
"""

from __future__ import annotations

import ast

from fastapi_practices.engine.resolver import FunctionNode, Resolver
from fastapi_practices.engine.scopes import Binding, BindingKind, Scope

_MAX_DEPTH = 8
_TRANSPARENT_DECORATORS = frozenset({"functools.lru_cache", "functools.cache"})
# Bases known not to make their subclasses callable.
_PLAIN_BASES = frozenset(
    {
        "builtins.object",
        "builtins.Exception",
        "builtins.dict",
        "builtins.list",
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic_settings.BaseSettings",
        "pydantic.BaseSettings",
        "enum.Enum",
        "abc.ABC",
    }
)
_PLAIN_BUILTINS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.set",
        "builtins.frozenset",
        "builtins.tuple",
        "builtins.str",
        "builtins.bytes",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.len",
        "builtins.repr",
        "builtins.sorted",
    }
)
_PLAIN_VALUES = (
    ast.Constant,
    ast.JoinedStr,
    ast.Dict,
    ast.List,
    ast.Set,
    ast.Tuple,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Compare,
    ast.BinOp,
    ast.UnaryOp,
)
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
Definition = tuple[Resolver, ast.AST]


def definition_of(name: str, resolver: Resolver) -> Definition | None:
    """The workspace function or class a qualified name refers to (this module first)."""
    local = resolver.local_definition(name)
    if local is not None:
        return resolver, local
    return resolver.foreign_definition(name)


def is_plain_function(
    resolver: Resolver, func: FunctionNode, parent: Scope | None = None, depth: int = 0
) -> bool:
    """Calling `func` is proven to give something that is not a callable dependency."""
    if depth > _MAX_DEPTH:
        return False
    scope = resolver.scope_for(func, parent or resolver.module_scope)
    if not all(_is_transparent(d, resolver, scope) for d in func.decorator_list):
        return False
    if isinstance(func, ast.AsyncFunctionDef):
        return True  # a coroutine object is never a valid dependency
    returned: list[ast.expr] = []
    for node in _own_nodes(func):
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True  # a generator object is not callable
        if isinstance(node, ast.Return) and node.value is not None:
            returned.append(node.value)
    return not any(_may_be_callable(value, resolver, scope, depth + 1) for value in returned)


def class_is_callable(
    resolver: Resolver, cls: ast.ClassDef, parent: Scope | None = None, depth: int = 0
) -> bool:
    """Instances may be callable: `__call__` here, in a base, or an unknown base."""
    if depth > _MAX_DEPTH:
        return True
    if cls.keywords:
        return True  # a metaclass could change anything
    for item in cls.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__call__":
            return True
        if isinstance(item, (ast.Assign, ast.AnnAssign)) and _assigns_call(item):
            return True
    for base in cls.bases:
        name = resolver.qualname(base, parent or resolver.module_scope)
        if name is None:
            return True
        if name in _PLAIN_BASES:
            continue
        found = definition_of(name, resolver)
        if found is None or not isinstance(found[1], ast.ClassDef):
            return True
        if class_is_callable(found[0], found[1], depth=depth + 1):
            return True
    return False


def _assigns_call(statement: ast.Assign | ast.AnnAssign) -> bool:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return any(isinstance(t, ast.Name) and t.id == "__call__" for t in targets)


def _is_transparent(decorator: ast.expr, resolver: Resolver, scope: Scope) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return resolver.qualname(target, scope) in _TRANSPARENT_DECORATORS


def _own_nodes(func: FunctionNode) -> list[ast.AST]:
    """Nodes of the function body, not of nested functions, lambdas or classes."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, _NESTED):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _may_be_callable(value: ast.expr, resolver: Resolver, scope: Scope, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return True
    if isinstance(value, _PLAIN_VALUES):
        return False
    if isinstance(value, ast.BoolOp):
        return any(_may_be_callable(v, resolver, scope, depth + 1) for v in value.values)
    if isinstance(value, ast.IfExp):
        return _may_be_callable(value.body, resolver, scope, depth + 1) or _may_be_callable(
            value.orelse, resolver, scope, depth + 1
        )
    if isinstance(value, ast.Name):
        return _name_may_be_callable(value.id, resolver, scope, depth)
    if isinstance(value, ast.Call):
        return _call_result_may_be_callable(value, resolver, scope, depth)
    return True  # lambdas, attributes, subscripts, awaits...: callable or unknown


def _name_may_be_callable(name: str, resolver: Resolver, scope: Scope, depth: int) -> bool:
    bindings = scope.lookup(name)
    if not bindings:
        return True  # builtins or a star import
    for binding in bindings:
        if binding.kind is not BindingKind.ASSIGN or binding.value is None:
            return True  # functions, classes, imports, parameters...
        owner = _scope_holding(binding, scope)
        if _may_be_callable(binding.value, resolver, owner, depth + 1):
            return True
    return False


def _call_result_may_be_callable(
    call: ast.Call, resolver: Resolver, scope: Scope, depth: int
) -> bool:
    found = _called_definition(call.func, resolver, scope)
    if found is None:
        name = resolver.qualname(call.func, scope)
        return name not in _PLAIN_BUILTINS
    owner, node, parent = found
    if isinstance(node, ast.ClassDef):
        return class_is_callable(owner, node, parent, depth + 1)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return not is_plain_function(owner, node, parent, depth + 1)
    return True


def _called_definition(
    func: ast.expr, resolver: Resolver, scope: Scope
) -> tuple[Resolver, ast.AST, Scope | None] | None:
    """What a call's callee is defined as, with the scope its definition runs in."""
    if isinstance(func, ast.Name):
        bindings = scope.lookup(func.id)
        if bindings and len(bindings) == 1:
            binding = bindings[0]
            if binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS) and binding.node:
                return resolver, binding.node, _scope_holding(binding, scope)
    name = resolver.qualname(func, scope)
    found = definition_of(name, resolver) if name else None
    return (found[0], found[1], None) if found else None


def _scope_holding(binding: Binding, scope: Scope) -> Scope:
    current: Scope | None = scope
    while current is not None:
        if any(binding in found for found in current.bindings.values()):
            return current
        current = current.parent
    return scope
