"""Rewriting a route's parameter list for FBP402's fix, keeping its layout where it can."""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass

from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Position, Range, TextEdit

MAX_LINE = 100
_CLOSING = re.compile(r"\s*(,?)\s*\)")

Parameter = tuple[ast.arg, ast.expr | None]


def parameters(func: FunctionNode) -> list[Parameter]:
    """The regular, then the keyword-only parameters, each with its default."""
    args = func.args
    defaults: list[ast.expr | None] = [None] * (len(args.args) - len(args.defaults))
    defaults.extend(args.defaults)
    return [
        *zip(args.args, defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]


def signature_edit(
    request: FixRequest,
    func: FunctionNode,
    parameter: str,
    moved_only: set[str],
    new_param: str,
    has_default: bool,
) -> TextEdit | None:
    """The parameter list rewritten: `new_param` in where `parameter` was (or next to it, when
    `moved_only` does not hold it), the `moved_only` ones out. A parameter with a default never
    lands before one without; one item per line when the list spans lines or grows too long."""
    args = func.args
    region = _parameter_region(request, func)
    if region is None:
        return None
    params = parameters(func)
    groups = [params[: len(args.args)], params[len(args.args) :]]  # regular, keyword-only
    group = 1 if any(arg.arg == parameter for arg, _ in groups[1]) else 0
    kept = [[p for p in g if p[0].arg not in moved_only] for g in groups]
    original = next(i for i, (arg, _) in enumerate(groups[group]) if arg.arg == parameter)
    at = len([p for p in groups[group][: original + 1] if p[0].arg not in moved_only])
    if group == 0:
        defaults = [default is not None for _, default in kept[0]]
        if not _defaults_last([*defaults[:at], has_default, *defaults[at:]]):
            at = next((i for i, d in enumerate(defaults) if d), len(defaults))
    regular_items, keyword_items = [[_text(request, *p) for p in g] for g in kept]
    (regular_items, keyword_items)[group].insert(at, new_param)
    items = list(regular_items)
    if args.vararg is not None:
        items.append("*" + request.segment(args.vararg))
    elif keyword_items:
        items.append("*")
    items.extend(keyword_items)
    if args.kwarg is not None:
        items.append("**" + request.segment(args.kwarg))
    return _layout(request, region, items)


def _defaults_last(defaults: list[bool]) -> bool:
    return all(not (a and not b) for a, b in itertools.pairwise(defaults))


def _text(request: FixRequest, arg: ast.arg, default: ast.expr | None) -> str:
    start = request.lines.node_range(arg).start
    end = request.lines.node_range(default if default is not None else arg).end
    return request.lines.source_segment(Range(start, end))


@dataclass(frozen=True)
class _Region:
    """Between the parentheses of a signature."""

    range: Range
    text: str
    trailing_comma: bool
    line_prefix: str  # the signature's first line up to `(`
    line_suffix: str  # what follows `)` on its line


def _parameter_region(request: FixRequest, func: FunctionNode) -> _Region | None:
    """The parameter list's extent; None when a comment or a line continuation is in it."""
    lines = request.lines
    text = request.text
    start = lines.offset(lines.node_range(func).start)
    opening = re.compile(rf"def\s+{re.escape(func.name)}\s*\(").search(text, start)
    first_body = lines.offset(lines.node_range(func.body[0]).start)
    if opening is None or opening.end() > first_body:
        return None
    inner_start = opening.end()
    args = func.args
    every = [*args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    ends = [
        lines.offset(lines.node_range(n).end)
        for n in [*every, *args.defaults, *args.kw_defaults]
        if n is not None
    ]
    last_end = max(ends)
    closing = _CLOSING.match(text, last_end)
    if closing is None:
        return None
    inner_end = closing.end() - 1
    separators = _outsideparameters(request, func, inner_start, inner_end)
    if "#" in separators or "\\" in separators:
        return None
    line_begin = text.rfind("\n", 0, inner_start) + 1
    line_end = text.find("\n", inner_end)
    suffix = text[inner_end + 1 : line_end if line_end >= 0 else len(text)].rstrip("\r")
    return _Region(
        Range(_position(request, inner_start), _position(request, inner_end)),
        text[inner_start:inner_end],
        bool(closing.group(1)),
        text[line_begin:inner_start],
        suffix,
    )


def _outsideparameters(request: FixRequest, func: FunctionNode, start: int, end: int) -> str:
    """The text of `start:end` less the parameters, annotations and defaults themselves."""
    lines = request.lines
    args = func.args
    spans = []
    for arg, default in parameters(func):
        first = lines.offset(lines.node_range(arg).start)
        last = lines.offset(lines.node_range(default if default is not None else arg).end)
        spans.append((first, last))
    for star in (args.vararg, args.kwarg):
        if star is not None:
            node = lines.node_range(star)
            spans.append((lines.offset(node.start), lines.offset(node.end)))
    text = request.text
    pieces = []
    cursor = start
    for first, last in sorted(spans):
        pieces.append(text[cursor:first])
        cursor = max(cursor, last)
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _position(request: FixRequest, offset: int) -> Position:
    before = request.text[:offset]
    line = len(re.findall(r"\r\n|\r|\n", before))
    column = len(before) - max(before.rfind("\n"), before.rfind("\r")) - 1
    return Position(line, column)


def _layout(request: FixRequest, region: _Region, items: list[str]) -> TextEdit:
    """One line when the signature was on one line and still fits; else one item per line."""
    newline = request.newline
    joined = ", ".join(items)
    one_line = f"{region.line_prefix}{joined}){region.line_suffix}"
    multi_line = "\n" in region.text or "\r" in region.text or region.trailing_comma
    if not multi_line and len(one_line) <= MAX_LINE and "\n" not in joined:
        return TextEdit(region.range, joined)
    indent = _item_indent(region.text) or "    "
    rows = "".join(f"{indent}{item},{newline}" for item in items)
    return TextEdit(region.range, newline + rows)


def _item_indent(region_text: str) -> str | None:
    match = re.search(r"(?:\r\n|\r|\n)([ \t]+)\S", region_text)
    return match.group(1) if match else None
