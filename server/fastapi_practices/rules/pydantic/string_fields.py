"""Shared by FBP301 and FBP302: a model field, by its name, wants a stricter type than `str`."""

from __future__ import annotations

import ast
from collections.abc import Callable

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import FixOption, Range, TextEdit
from fastapi_practices.rules.base import Rule
from fastapi_practices.rules.pydantic.models import ModelKind, enclosing_model, name_usable
from fastapi_practices.rules.pydantic.source_edits import import_name, node_starting_at

_STR = "builtins.str"


class StringFieldRule(Rule):
    """Subclasses say which field names they want and which pydantic type to suggest."""

    type_name: str
    type_qualnames: frozenset[str]
    fix_option: FixOption

    def wants(self, field: str) -> bool:
        raise NotImplementedError

    def message(self, field: str) -> str:
        raise NotImplementedError

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        target = node.target
        if not isinstance(target, ast.Name) or not self.wants(target.id.lower()):
            return
        if not isinstance(ctx.parent, ast.ClassDef):
            return
        str_node = plain_str_node(node.annotation, ctx.qualname)
        if str_node is None:
            return
        model = enclosing_model(ctx)
        if model is None or model[1] is ModelKind.SETTINGS:
            return
        fixable = name_usable(ctx.scope, self.type_name, self.type_qualnames)
        start = ctx.range_of(target).start
        ctx.report(
            self,
            Range(start, ctx.range_of(node.annotation).end),
            self.message(target.id),
            fixes=(self.fix_option,) if fixable else (),
        )

    def fix_pydantic_type(self, request: FixRequest) -> list[TextEdit] | None:
        field = node_starting_at(request, request.finding.range.start, ast.AnnAssign)
        if not isinstance(field, ast.AnnAssign):
            return None
        str_node = _str_node_shape(field.annotation)
        if str_node is None:
            return None
        import_edit = import_name(request, "pydantic", self.type_name, self.type_qualnames)
        edit = TextEdit(request.lines.node_range(str_node), self.type_name)
        return [edit, *([import_edit] if import_edit else [])]


def plain_str_node(
    annotation: ast.expr, qualname: Callable[[ast.expr], str | None]
) -> ast.Name | None:
    """The `str` inside `str`, `Optional[str]`, `Union[str, None]` or `str | None`."""
    found = _str_node_shape(annotation)
    if found is None or qualname(found) != _STR:
        return None
    if isinstance(annotation, ast.Subscript):
        wrapper = qualname(annotation.value)
        if wrapper not in knowledge.OPTIONAL_WRAPPERS | knowledge.UNION_WRAPPERS:
            return None
    return found


def _str_node_shape(annotation: ast.expr) -> ast.Name | None:
    """Shape-only part of `plain_str_node`: where the `str` would be."""
    if isinstance(annotation, ast.Name):
        return annotation if annotation.id == "str" else None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        members = [annotation.left, annotation.right]
    elif isinstance(annotation, ast.Subscript):
        inner = annotation.slice
        members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if isinstance(annotation.value, ast.Name | ast.Attribute) and _spelled(
            annotation.value, "Optional"
        ):
            members.append(ast.Constant(None))
        elif not _spelled(annotation.value, "Union"):
            return None
    else:
        return None
    if len(members) != 2:
        return None
    names = [m for m in members if not _is_none(m)]
    if len(names) != 1 or not isinstance(names[0], ast.Name) or names[0].id != "str":
        return None
    return names[0]


def _spelled(expr: ast.expr, word: str) -> bool:
    return (isinstance(expr, ast.Name) and expr.id == word) or (
        isinstance(expr, ast.Attribute) and expr.attr == word
    )


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
