"""The load-and-raise FBP402 detects, reduced to a signature that FBP403 compares across routes.

Detection is FBP402's own (its helpers are called, not copied). The signature names what is
loaded and what is raised with qualified names, so two routes in different modules that call
the same loader and raise the same error compare equal, whatever their local spellings.
"""

from __future__ import annotations

import ast
import copy

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.rules.dependencies.inline_validation import (
    _assigned_value,
    _call,
    _missing_check,
    _names_used,
    _path_parameter_in,
)

HTTP_EXCEPTION = "fastapi.HTTPException"


def load_and_raise(
    node: ast.If, params: frozenset[str], resolver: Resolver, scope: Scope
) -> tuple[str, str] | None:
    """(path parameter, signature) when `node` raises because an entity loaded by a path
    parameter is missing. `scope` is the path operation's own scope."""
    checked = _missing_check(node.test)
    if checked is None:
        return None
    raised = next((s for s in node.body if isinstance(s, ast.Raise) and s.exc), None)
    if raised is None or raised.exc is None:
        return None
    name, loaded = checked
    if loaded is None:
        loaded = _assigned_value(name, node, scope)
    param = _path_parameter_in(loaded, params, node, scope)
    if param is None:
        return None
    error = _error(raised.exc, resolver, scope)
    call = _loader_call(loaded, params, node, scope)
    if error is None or call is None:
        return None
    return param, f"{_qualified_source(call, resolver, scope)} -> {error}"


def _loader_call(
    loaded: ast.expr | None, params: frozenset[str], before: ast.stmt, scope: Scope
) -> ast.expr | None:
    """The load as one expression: `result.scalar_one()` after `result = db.execute(q)` reads
    as `db.execute(q).scalar_one()`."""
    call = _call(loaded)
    if call is None or _names_used(call, params) is not None:
        return call
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        source = _call(_assigned_value(func.value.id, before, scope))
        if source is not None:
            return ast.Call(
                func=ast.Attribute(value=source, attr=func.attr, ctx=ast.Load()),
                args=call.args,
                keywords=call.keywords,
            )
    return call


def _error(exc: ast.expr, resolver: Resolver, scope: Scope) -> str | None:
    """The raised class with its status (`fastapi.HTTPException(404)`); None for builtins,
    which FBP402 does not count as a not-found error."""
    target = exc.func if isinstance(exc, ast.Call) else exc
    if not isinstance(target, (ast.Name, ast.Attribute)):
        return None
    name = resolver.qualname(target, scope)
    if name is None or name.startswith("builtins."):
        return None
    if name != HTTP_EXCEPTION or not isinstance(exc, ast.Call):
        return name
    status = next((k.value for k in exc.keywords if k.arg == "status_code"), None)
    if status is None and exc.args:
        status = exc.args[0]
    return f"{name}({_status_text(status, resolver, scope)})"


def _status_text(status: ast.expr | None, resolver: Resolver, scope: Scope) -> str:
    if status is None:
        return ""
    if isinstance(status, ast.Constant):
        return repr(status.value)
    if isinstance(status, ast.Attribute):
        name = resolver.qualname(status, scope)
        number = knowledge.status_number(name) if name else None
        if number is not None:
            return str(number)
    return ast.unparse(status)


def _qualified_source(expr: ast.expr, resolver: Resolver, scope: Scope) -> str:
    """Source of `expr` with names replaced by what they resolve to and `await` dropped."""
    if isinstance(expr, ast.Await):
        return _qualified_source(expr.value, resolver, scope)
    if isinstance(expr, (ast.Name, ast.Attribute)):
        name = _qualified_name(expr, resolver, scope)
        if name is not None:
            return name
        if isinstance(expr, ast.Attribute):
            return f"{_qualified_source(expr.value, resolver, scope)}.{expr.attr}"
    if isinstance(expr, ast.Constant):
        return repr(expr.value)
    if isinstance(expr, ast.Call):
        arguments = [_qualified_source(arg, resolver, scope) for arg in expr.args]
        arguments += [
            f"{k.arg}={_qualified_source(k.value, resolver, scope)}"
            if k.arg
            else f"**{_qualified_source(k.value, resolver, scope)}"
            for k in expr.keywords
        ]
        return f"{_qualified_source(expr.func, resolver, scope)}({', '.join(arguments)})"
    # Rarer shapes: rewrite a copy of the subtree (a deep copy costs more than the cases above).
    return ast.unparse(_Qualify(resolver, scope).visit(copy.deepcopy(expr)))


def _qualified_name(node: ast.Name | ast.Attribute, resolver: Resolver, scope: Scope) -> str | None:
    name = resolver.qualname(node, scope)
    if name is None and isinstance(node, ast.Attribute):
        owner = resolver.instance_type(node.value, scope)
        name = f"{owner}.{node.attr}" if owner else None
    return name


class _Qualify(ast.NodeTransformer):
    def __init__(self, resolver: Resolver, scope: Scope) -> None:
        self.resolver = resolver
        self.scope = scope

    def visit_Await(self, node: ast.Await) -> ast.AST:
        inner: ast.AST = self.visit(node.value)
        return inner

    def visit_Name(self, node: ast.Name) -> ast.AST:
        name = self.resolver.qualname(node, self.scope)
        return ast.Name(id=name, ctx=ast.Load()) if name else node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        name = _qualified_name(node, self.resolver, self.scope)
        if name is not None:
            return ast.Name(id=name, ctx=ast.Load())
        return self.generic_visit(node)
