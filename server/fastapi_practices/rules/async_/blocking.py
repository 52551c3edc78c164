"""FBP202 to FBP205 share one shape: a call proven to block, made directly in `async def`."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import ClassVar

from fastapi_practices.engine.context import FileContext
from fastapi_practices.rules.async_ import common
from fastapi_practices.rules.base import Rule


class BlockingCallRule(Rule):
    """Reports calls that `blocking_call` recognises; offers the make-def fix."""

    offers_threadpool: ClassVar[bool] = False
    advice: ClassVar[str]

    def blocking_call(self, call: ast.Call, ctx: FileContext) -> str | None:
        """The blocking call as the message names it (with backticks), or None."""
        raise NotImplementedError

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not ctx.in_async_def or _is_awaited(node, ctx):
            # An awaited call returns an awaitable, whatever an annotation claims.
            return
        what = self.blocking_call(node, ctx)
        if what is None:
            return
        fixes, data = common.blocking_fix_options(node, ctx, wrap=self.offers_threadpool)
        ctx.report(
            self,
            node,
            f"{what} blocks the event loop inside `async def`; {self.advice}",
            fixes=fixes,
            data=data,
        )

    fix_make_def = staticmethod(common.fix_make_def)


class ThreadableBlockingCallRule(BlockingCallRule):
    """A blocking call that may also be moved to the threadpool as it stands."""

    offers_threadpool = True

    fix_wrap_threadpool = staticmethod(common.fix_wrap_threadpool)


def receiver(call: ast.Call) -> tuple[ast.expr, str] | None:
    """`(obj, "method")` for a call written `obj.method(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.value, func.attr
    return None


def receiver_type(call: ast.Call, ctx: FileContext, types: frozenset[str]) -> str | None:
    """The class of `obj` in `obj.method(...)` when it is proven to be (a subclass of) `types`."""
    found = receiver(call)
    if found is None:
        return None
    owner = ctx.instance_type(found[0])
    if owner is None:
        return None
    if owner in types or ctx.resolver.is_subclass_of(owner, types):
        return owner
    return None


def display(owner: str, method: str, labels: Mapping[str, str] | None = None) -> str:
    """`owner.method()` in backticks, or `method()` on a labelled kind of object."""
    label = labels.get(owner) if labels else None
    return f"`{method}()` on {label}" if label else f"`{owner}.{method}()`"


def _is_awaited(call: ast.Call, ctx: FileContext) -> bool:
    parent = ctx.parent
    return isinstance(parent, ast.Await) and parent.value is call
