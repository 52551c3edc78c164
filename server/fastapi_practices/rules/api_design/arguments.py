"""Adding a keyword argument or dict entries with LibCST, in the layout already used there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

_NO_SPACE = cst.SimpleWhitespace("")
Item = TypeVar("Item", cst.Arg, cst.DictElement)


def keyword_argument(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
    )


def with_argument(call: cst.Call, argument: cst.Arg, index: int | None = None) -> cst.Call:
    """`call` with keyword `argument` inserted at `index` (appended when None).

    The index moves past positional arguments, which must come first.
    """
    positional = [i + 1 for i, arg in enumerate(call.args) if arg.keyword is None and not arg.star]
    where = len(call.args) if index is None else max(index, *positional, 0)
    gap = _gap(call.args, call.whitespace_before_args)
    args = _inserted(list(call.args), argument, where, gap)
    return call.with_changes(args=args)


def with_entries(mapping: cst.Dict, entries: Sequence[cst.DictElement]) -> cst.Dict:
    """`mapping` with `entries` appended after its existing ones."""
    elements: list[cst.DictElement] = []
    for element in mapping.elements:
        if not isinstance(element, cst.DictElement):
            return mapping
        elements.append(element)
    gap = _gap(elements, mapping.lbrace.whitespace_after)
    for entry in entries:
        elements = _inserted(elements, entry, len(elements), gap)
    return mapping.with_changes(elements=elements)


def _gap(
    items: Sequence[cst.Arg | cst.BaseDictElement], opening: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """The whitespace that separates items here: a newline and indent, or one space."""
    for item in items[:-1]:
        if isinstance(item.comma, cst.Comma):
            return _without_comment(item.comma.whitespace_after)
    return _without_comment(opening)


def _without_comment(
    whitespace: cst.BaseParenthesizableWhitespace,
) -> cst.BaseParenthesizableWhitespace:
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return cst.SimpleWhitespace(" ")


def _inserted(
    items: list[Item], item: Item, index: int, gap: cst.BaseParenthesizableWhitespace
) -> list[Item]:
    if not items:
        return [item]
    if index < len(items):
        items.insert(index, item.with_changes(comma=cst.Comma(whitespace_after=gap)))
        return items
    last = items[-1]
    comma = last.comma
    if isinstance(comma, cst.Comma):
        # A trailing comma: the new item takes over the line break before the closing bracket.
        after = comma.whitespace_after
        if isinstance(after, cst.ParenthesizedWhitespace) and isinstance(
            gap, cst.ParenthesizedWhitespace
        ):
            items[-1] = last.with_changes(
                comma=comma.with_changes(
                    whitespace_after=after.with_changes(last_line=gap.last_line, empty_lines=[])
                )
            )
            closing = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
            items.append(item.with_changes(comma=cst.Comma(whitespace_after=closing)))
        else:
            items[-1] = last.with_changes(comma=cst.Comma(whitespace_after=gap))
            items.append(item.with_changes(comma=comma))
        return items
    if isinstance(last, cst.Arg) and isinstance(item, cst.Arg):
        # The whitespace before `)` belongs to the last argument; it moves to the new one.
        item = item.with_changes(whitespace_after_arg=last.whitespace_after_arg)
        last = last.with_changes(whitespace_after_arg=_NO_SPACE)
    items[-1] = last.with_changes(comma=cst.Comma(whitespace_after=gap))
    items.append(item)
    return items
