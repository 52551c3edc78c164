"""Rewriting one expression with LibCST, keeping every formatting detail around it."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

import libcst as cst

from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import TextEdit


def rewrite_expression(
    request: FixRequest,
    node: ast.expr,
    transform: Callable[[cst.BaseExpression], cst.BaseExpression],
) -> TextEdit | None:
    """Replace `node`'s source with `transform` applied to its LibCST tree."""
    rng = request.lines.node_range(node)
    source = request.lines.source_segment(rng)
    try:
        parsed = cst.parse_expression(f"({source})")
    except cst.ParserSyntaxError:
        return None
    inner = parsed.with_changes(lpar=parsed.lpar[1:], rpar=parsed.rpar[:-1])
    new_node = transform(inner)
    return TextEdit(rng, code_for_node(new_node, source, request.newline))


def code_for_node(node: cst.CSTNode, source: str, newline: str) -> str:
    """The code of `node`, parsed from `source`, with the line endings `source` used.

    LibCST stores the line breaks it parsed as "the default" and writes them with the module's
    default (LF unless told), which would turn a CRLF file's multi-line call into LF lines.
    """
    found = _LINE_BREAK.search(source)
    default = found.group() if found else newline
    return cst.Module(body=[], default_newline=default).code_for_node(node)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def needs_parentheses_for_await(request: FixRequest, node: ast.expr) -> bool:
    """True when `await <node>` must be parenthesised where `node` stands."""
    ancestors = request.ancestors(node)
    parent = ancestors[0] if ancestors else None
    if isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node:
        return True
    return isinstance(parent, ast.Call) and parent.func is node


def awaited(expression: cst.BaseExpression, parenthesise: bool) -> cst.BaseExpression:
    result: cst.BaseExpression = cst.Await(expression=expression)
    if parenthesise:
        result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return result
