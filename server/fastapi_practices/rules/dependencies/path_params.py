"""The path parameters of a path operation: `{name}` in its route path that it also declares."""

from __future__ import annotations

import ast
import re

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.engine.scopes import Scope

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")


def route_path(decorator: ast.Call) -> str | None:
    """The literal path given to a route decorator, positionally or as `path=`."""
    path: ast.expr | None = decorator.args[0] if decorator.args else None
    if path is None:
        path = next((k.value for k in decorator.keywords if k.arg == "path"), None)
    if isinstance(path, ast.Constant) and isinstance(path.value, str):
        return path.value
    return None


def parameter_names(func: FunctionNode) -> list[str]:
    args = func.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def path_parameters(
    func: FunctionNode, ctx: FileContext, scope: Scope | None = None
) -> frozenset[str]:
    """Parameters of `func` named by a `{placeholder}` in its route decorator's path.

    `scope` is where the decorators run (the scope around `func`).
    """
    decorator = ctx.route_decorator(func, scope)
    path = route_path(decorator) if decorator is not None else None
    if not path or "{" not in path:
        return frozenset()
    placeholders = set(_PLACEHOLDER.findall(path))
    return frozenset(name for name in parameter_names(func) if name in placeholders)
