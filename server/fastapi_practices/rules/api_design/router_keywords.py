"""FBP701 and FBP702 share this: an `APIRouter(...)` missing a keyword nobody supplies later.

A router passed to `include_router` in the same file, with the keyword on every such call, is
configured there instead. A router never included here is judged on its own call.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import FixOption, TextEdit
from fastapi_practices.rules.api_design.arguments import keyword_argument, with_argument
from fastapi_practices.rules.api_design.routes import (
    ROUTER_CLASS,
    has_unpacked_arguments,
    keyword,
    may_name,
    preferred_quote,
    router_domain,
)
from fastapi_practices.rules.base import Rule


@dataclass
class _Include:
    created_by: frozenset[int]
    supplies_keyword: bool


@dataclass
class _State:
    routers: list[ast.Call] = field(default_factory=list)
    includes: list[_Include] = field(default_factory=list)


class RouterKeywordRule(Rule):
    """An `APIRouter(...)` call without `keyword`; subclasses say how to fill it in."""

    keyword: ClassVar[str]
    fix_option: ClassVar[FixOption]

    def message(self) -> str:
        raise NotImplementedError

    def value_code(self, domain: str, quote: str) -> str:
        raise NotImplementedError

    def insertion_index(self, call: ast.Call) -> int:
        return 0

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "include_router":
            self._record_include(node, ctx)
            return
        if node.args or not may_name(func, "APIRouter", ctx):
            return
        if keyword(node, self.keyword) is not None or has_unpacked_arguments(node):
            return
        if ctx.qualname(func) != ROUTER_CLASS:
            return
        state = ctx.rule_state(self).setdefault("state", _State())
        state.routers.append(node)

    def _record_include(self, node: ast.Call, ctx: FileContext) -> None:
        included = node.args[0] if node.args else None
        if included is None:
            found = keyword(node, "router")
            included = found.value if found is not None else None
        if not isinstance(included, ast.Name):
            return
        bindings = ctx.scope.lookup(included.id) or []
        created_by = frozenset(id(b.value) for b in bindings if b.value is not None)
        supplies = keyword(node, self.keyword) is not None or has_unpacked_arguments(node)
        state = ctx.rule_state(self).setdefault("state", _State())
        state.includes.append(_Include(created_by, supplies))

    def finish(self, ctx: FileContext) -> None:
        state: _State | None = ctx.rule_state(self).get("state")
        if state is None:
            return
        domain = router_domain(ctx.path, ctx.settings)
        for call in state.routers:
            includes = [i for i in state.includes if id(call) in i.created_by]
            if includes and all(i.supplies_keyword for i in includes):
                continue
            ctx.report(
                self,
                call,
                self.message(),
                fixes=(self.fix_option,) if domain else (),
                data={"domain": domain} if domain else {},
            )

    def add_keyword(self, request: FixRequest) -> list[TextEdit] | None:
        domain = request.finding.data.get("domain")
        call = request.finding_node(ast.Call)
        if not isinstance(domain, str) or not isinstance(call, ast.Call):
            return None
        if keyword(call, self.keyword) is not None:
            return None
        value = cst.parse_expression(self.value_code(domain, preferred_quote(request, call)))
        index = self.insertion_index(call)

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            return with_argument(expression, keyword_argument(self.keyword, value), index)

        edit = rewrite_expression(request, call, transform)
        return [edit] if edit is not None else None
