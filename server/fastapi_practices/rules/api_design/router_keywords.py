"""FBP701 and FBP702 share this: an `APIRouter(...)` missing a keyword nobody supplies later.

A router passed to `include_router`, with the keyword on every such call, is configured there
instead; a router never included is judged on its own call. With the project index the
`include_router` calls of every module count (for a router bound at module level); without it,
those of this file.
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
class RouterVariable:
    call: ast.Call
    name: str | None
    """The module-level variable the router is assigned to."""


@dataclass
class _State:
    routers: list[RouterVariable] = field(default_factory=list)
    includes: list[_Include] = field(default_factory=list)


class RouterKeywordRule(Rule):
    """An `APIRouter(...)` call without `keyword`; subclasses say how to fill it in."""

    keyword: ClassVar[str]
    fix_option: ClassVar[FixOption]
    needs_workspace_index = True
    # Whether the keyword given on the router adds to one given at `include_router` (a prefix
    # does: both would apply), so that the fix must not add it when an include gives one.
    stacks_with_includes: ClassVar[bool] = False

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
        state.routers.append(RouterVariable(node, _module_level_name(node, ctx)))

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
        if state is None or not state.routers:
            return
        domain = router_domain(ctx.path, ctx.settings)
        for router in state.routers:
            supplied = self._includes_supply(router, state, ctx)
            if supplied and all(supplied):
                continue
            fixable = domain is not None and self.fixable(router, domain, supplied, ctx)
            message = self.message()
            if supplied:
                message += f" (an `include_router` of it gives no `{self.keyword}=` either)"
            ctx.report(
                self,
                router.call,
                message,
                fixes=(self.fix_option,) if fixable else (),
                data={"domain": domain} if fixable else {},
            )

    def _includes_supply(
        self, router: RouterVariable, state: _State, ctx: FileContext
    ) -> list[bool]:
        """For each `include_router` of this router: whether it gives the keyword."""
        project = ctx.project if router.name is not None else None
        if project is None:
            return [i.supplies_keyword for i in state.includes if id(router.call) in i.created_by]
        includes = project.includes_of(f"{ctx.module_name}.{router.name}")
        return [self.keyword in i.keywords or "**" in i.keywords for i in includes]

    def fixable(
        self, router: RouterVariable, domain: str, supplied: list[bool], ctx: FileContext
    ) -> bool:
        """Whether adding the keyword to the router leaves the API as intended."""
        return not (self.stacks_with_includes and any(supplied))

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


def _module_level_name(call: ast.Call, ctx: FileContext) -> str | None:
    """`router` for `router = APIRouter(...)` (or annotated) at module level."""
    if ctx.scope is not ctx.resolver.module_scope:
        return None
    parent = ctx.parent
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
    elif isinstance(parent, ast.AnnAssign):
        target = parent.target
    else:
        return None
    return target.id if isinstance(target, ast.Name) and parent.value is call else None


def example_project(includes: str) -> dict[str, str]:
    """Example files: a project whose `src/main.py` includes `src/posts/router.py` as
    `includes` say (for the rules' examples)."""
    main = (
        "from fastapi import FastAPI\n\nfrom src.posts.router import router as posts_router\n\n"
        "app = FastAPI()\n" + includes
    )
    return {"src/__init__.py": "", "src/posts/__init__.py": "", "src/main.py": main}
