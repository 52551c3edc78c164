"""Shared pieces of the async family: function facts and the make-def / threadpool fixes."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.fixes.expressions import (
    awaited,
    needs_parentheses_for_await,
    rewrite_expression,
)
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, TextEdit

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_ASYNC_ONLY = (ast.Await, ast.AsyncFor, ast.AsyncWith, ast.Yield, ast.YieldFrom)

MAKE_DEF = FixOption("make-def", "Make this function a plain `def`", Applicability.UNSAFE)
WRAP_THREADPOOL = FixOption(
    "wrap-threadpool", "Wrap the call in `await run_in_threadpool(...)`", Applicability.UNSAFE
)


def uses_async_features(func: FunctionNode) -> bool:
    """True when the body (not nested scopes) awaits, uses async for/with, or yields."""
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _ASYNC_ONLY):
            return True
        if isinstance(node, _NESTED):
            continue
        if isinstance(node, _COMPREHENSIONS) and any(gen.is_async for gen in node.generators):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _uses_async_features_cached(ctx: FileContext, func: FunctionNode) -> bool:
    cache = ctx.rule_state_for("async-features")
    key = id(func)
    if key not in cache:
        cache[key] = uses_async_features(func)
    return bool(cache[key])


def is_single_call_statement(call: ast.Call, parent: ast.AST | None) -> bool:
    """The call is the whole value of an expression, assignment or return statement."""
    if isinstance(parent, (ast.Expr, ast.Return)):
        return parent.value is call
    if isinstance(parent, ast.Assign):
        return parent.value is call
    if isinstance(parent, ast.AnnAssign):
        return parent.value is call
    return False


def blocking_fix_options(
    call: ast.Call, ctx: FileContext, wrap: bool = True
) -> tuple[tuple[FixOption, ...], dict[str, int]]:
    """Fix options for a blocking call in the current async function, and the data they need."""
    frame = ctx.function
    options: list[FixOption] = []
    data: dict[str, int] = {}
    if frame is not None and not _uses_async_features_cached(ctx, frame.node):
        options.append(
            FixOption(MAKE_DEF.kind, MAKE_DEF.title, MAKE_DEF.applicability, is_preferred=True)
        )
        data = {"def_line": frame.node.lineno, "def_col": frame.node.col_offset}
    if wrap and is_single_call_statement(call, ctx.parent):
        options.append(WRAP_THREADPOOL)
    return tuple(options), data


def fix_make_def(request: FixRequest) -> list[TextEdit] | None:
    """Delete the `async` keyword (and the space after it) from the enclosing function."""
    line = request.finding.data.get("def_line")
    byte_col = request.finding.data.get("def_col")
    if line is None or byte_col is None:
        return None
    start = request.lines.position(line, byte_col)
    text = request.lines.line_text(start.line)
    rest = text[start.column :]
    if not rest.startswith("async"):
        return None
    spaces = len(rest[len("async") :]) - len(rest[len("async") :].lstrip(" \t"))
    if spaces == 0:
        return None
    end = Position(start.line, start.column + len("async") + spaces)
    return [TextEdit(Range(start, end), "")]


def fix_wrap_threadpool(request: FixRequest) -> list[TextEdit] | None:
    """`x = blocking(a, b=1)` becomes `x = await run_in_threadpool(blocking, a, b=1)`."""
    call = request.finding_node(ast.Call)
    if not isinstance(call, ast.Call):
        return None
    import_edit = ensure_import(request, "fastapi.concurrency", "run_in_threadpool")

    def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
        assert isinstance(expression, cst.Call)
        first = cst.Arg(
            value=expression.func,
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            if expression.args
            else cst.MaybeSentinel.DEFAULT,
        )
        wrapped = cst.Call(
            func=cst.Name("run_in_threadpool"),
            args=[first, *expression.args],
            whitespace_before_args=expression.whitespace_before_args,
        )
        return awaited(wrapped, needs_parentheses_for_await(request, call))

    edit = rewrite_expression(request, call, transform)
    if edit is None:
        return None
    return [edit, *([import_edit] if import_edit else [])]
