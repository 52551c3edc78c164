"""FBP402: a path operation loads an entity by a path parameter and raises when it is missing."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from fastapi_practices.engine.context import FileContext, FunctionFrame
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FileEdit, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.dependencies.extract_validation import (
    KIND,
    dependency_name,
    extract_dependency,
)
from fastapi_practices.rules.dependencies.path_params import path_parameters
from fastapi_practices.rules.registry import register
from fastapi_practices.workspace.layout import layout_for

HTTP_EXCEPTIONS = frozenset({"fastapi.HTTPException"})

_APP = (
    "from fastapi import APIRouter, Depends, HTTPException\n"
    "from sqlalchemy.ext.asyncio import AsyncSession\n\n"
    "from app.database import get_session\nfrom app.posts import service\n"
    "from app.posts.models import Post\n\nrouter = APIRouter()\n\n\n"
)


@register
class InlineValidation(Rule):
    code = "FBP402"
    name = "inline-validation"
    severity = Severity.INFO
    summary = "A path operation loads an entity by a path parameter and raises when it is missing."
    why = (
        "Load-or-404 is the same few lines in every route that takes the id: the read, the "
        "update, the delete, the sub-resources. Written inline, the copies drift apart (one "
        "returns 404, another 400, a third forgets the ownership check). A dependency such as "
        "`valid_post_id` does it once; FastAPI caches it per request, other dependencies can "
        "build on it, and each route receives a loaded, checked object."
    )
    fix_summary = (
        "Move the load and the check into a `valid_<parameter>` function at the end of the "
        "domain's `dependencies.py` (created when missing, with the imports it needs), and "
        "have the route receive the loaded object through `Depends(valid_<parameter>)`. Offered "
        "only inside a domain, and only when everything the moved code uses can be carried over."
    )
    fix_applicability = Applicability.UNSAFE
    recommended = (
        _APP + "async def valid_post_id(\n    post_id: int, session: AsyncSession = "
        "Depends(get_session)\n) -> Post:\n    post = await session.get(Post, post_id)\n"
        "    if post is None:\n        raise HTTPException(status_code=404)\n    return post\n"
        "\n\n@router.get('/posts/{post_id}')\n"
        "async def read_post(post: Post = Depends(valid_post_id)) -> Post:\n    return post\n"
    )
    examples = (
        Invalid(
            _APP + "@router.get('/posts/{post_id}')\n"
            "async def read_post(post_id: int, session: AsyncSession = Depends(get_session)):\n"
            "    post = await session.get(Post, post_id)\n    if post is None:\n"
            "        raise HTTPException(status_code=404, detail='Post not found')\n"
            "    return post\n",
            line=12,
        ),
        Invalid(
            _APP + "@router.delete(\n    '/posts/{post_id}',\n    status_code=204,\n)\n"
            "async def delete_post(post_id: int):\n    post = await service.get_by_id(post_id)\n"
            "    if not post:\n        raise PostNotFound()\n    await service.delete(post)\n\n\n"
            "class PostNotFound(Exception):\n    pass\n",
            line=15,
            note="a domain exception; the `def` line of a decorator spread over several lines",
        ),
        Invalid(
            "from fastapi import FastAPI, HTTPException\nfrom sqlalchemy import select\n"
            "from sqlalchemy.orm import Session\n\nfrom app.models import User\n\napp = FastAPI()\n"
            "\n\n@app.get('/users/{user_id:int}/avatar')\n"
            "def avatar(user_id: int, db: Session):\n"
            "    result = db.execute(select(User).where(User.id == user_id))\n"
            "    user = result.scalar_one_or_none()\n    if user is None or user.avatar is None:\n"
            "        raise HTTPException(404)\n    return user.avatar\n",
            line=11,
            note="loaded through a result; a converter in the path; an extra condition",
        ),
        Invalid(
            _APP + "@router.get('/posts/{post_id}')\nasync def read_post(post_id: int):\n"
            "    if (post := await service.get_by_id(post_id)) is None:\n"
            "        raise HTTPException(status_code=404)\n    return post\n",
            line=12,
            note="an assignment expression",
        ),
        Valid(
            _APP + "async def valid_post_id(post_id: int) -> Post:\n"
            "    post = await service.get_by_id(post_id)\n    if post is None:\n"
            "        raise HTTPException(status_code=404)\n    return post\n\n\n"
            "@router.get('/posts/{post_id}')\n"
            "async def read_post(post: Post = Depends(valid_post_id)) -> Post:\n    return post\n",
            note="the check lives in a dependency",
        ),
        Valid(
            _APP + "@router.get('/posts')\nasync def search(post_id: int):\n"
            "    post = await service.get_by_id(post_id)\n    if post is None:\n"
            "        raise HTTPException(status_code=404)\n    return post\n",
            note="`post_id` is a query parameter, not part of the path",
        ),
        Valid(
            _APP + "@router.get('/posts/{post_id}')\nasync def read_post(post_id: int):\n"
            "    post = await service.get_by_id(post_id)\n    return post or {}\n",
            note="no raise when missing",
        ),
        Valid(
            _APP + "@router.get('/posts/{post_id}/tags')\n"
            "async def tags(post_id: int, limit: int):\n"
            "    if limit > 100:\n        raise HTTPException(status_code=400)\n"
            "    return await service.tags(post_id, limit)\n",
            note="the raise is not about a loaded entity",
        ),
        Valid(
            _APP + "@router.get('/posts/{post_id}')\nasync def read_post(post_id: int, q: str):\n"
            "    post = await service.search(q)\n    if post is None:\n"
            "        raise HTTPException(status_code=404)\n    return post\n",
            note="loaded by something other than a path parameter",
        ),
        Valid(
            _APP + "@router.get('/posts/{post_id}')\nasync def read_post(post_id: int):\n"
            "    post = await service.get_by_id(post_id)\n    if post is None:\n"
            "        raise ValueError('missing')\n    return post\n",
            note="a builtin exception is not a 404 or a domain error",
        ),
        Valid(
            "from app.cache import cache\n\n\n@cache.get('/posts/{post_id}')\n"
            "async def read_post(post_id: int):\n    post = await load(post_id)\n"
            "    if post is None:\n        raise LookupError(post_id)\n    return post\n",
            note="not a FastAPI route",
        ),
    )

    def visit_If(self, node: ast.If, ctx: FileContext) -> None:
        frame = ctx.function
        if frame is None or not frame.is_path_operation:
            return
        checked = _missing_check(node.test)
        if checked is None:
            return
        raised = next((s for s in node.body if isinstance(s, ast.Raise) and s.exc), None)
        if raised is None or raised.exc is None:
            return
        reported = ctx.rule_state(self).setdefault("functions", set())
        if id(frame.node) in reported:
            return
        params = path_parameters(frame.node, ctx, frame.scope.parent)
        if not params:
            return
        name, loaded = checked
        if loaded is None:
            loaded = _assigned_value(name, node, frame.scope)
        param = _path_parameter_in(loaded, params, node, frame.scope)
        if param is None or not _is_not_found_error(raised.exc, ctx):
            return
        reported.add(id(frame.node))
        data: dict[str, object] = {"parameter": param, "variable": name}
        dependencies = _dependencies_module(ctx, frame, node)
        fixes: tuple[FixOption, ...] = ()
        if dependencies is not None:
            data.update(dependencies=dependencies, line=node.lineno - 1)
            fixes = (_extract_option(param, dependencies),)
        ctx.report(
            self,
            ctx.def_range(frame.node),
            f"`{frame.node.name}` loads `{name}` by path parameter `{param}` and raises when it "
            f"is missing; move this into a dependency (e.g. `valid_{param}`) that routes share",
            fixes=fixes,
            data=data,
        )

    def fix_extract_dependency(self, request: FixRequest) -> Sequence[TextEdit | FileEdit] | None:
        return extract_dependency(request)


def _extract_option(param: str, dependencies: str) -> FixOption:
    return FixOption(
        KIND,
        f"Extract `{dependency_name(param)}` into `{dependencies}`",
        Applicability.UNSAFE,
        editor_only=True,
    )


def _dependencies_module(ctx: FileContext, frame: FunctionFrame, check: ast.If) -> str | None:
    """The file name of the domain's dependencies module, when the fix can be offered: a
    module-level route of a domain module whose check sits directly in its body."""
    parent = frame.scope.parent
    if ctx.path is None or parent is None or not parent.is_module or check.orelse:
        return None
    if not any(statement is check for statement in frame.node.body):
        return None
    layout = ctx.layout or layout_for(ctx.settings)
    if layout is None:
        return None
    domain, _ = layout.role_of(ctx.path)
    name = next((file for file, role in layout.roles.items() if role == "dependencies"), None)
    if domain is None or name is None or ctx.path.name == name:
        return None
    return name


def _missing_check(test: ast.expr) -> tuple[str, ast.expr | None] | None:
    """(variable, value of an inline `:=`) when `test` asks whether a variable is missing."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        for value in test.values:
            found = _missing_check(value)
            if found is not None:
                return found
        return None
    subject: ast.expr | None = None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        subject = test.operand
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        subject = test.left
    if isinstance(subject, ast.Name):
        return subject.id, None
    if isinstance(subject, ast.NamedExpr):
        return subject.target.id, subject.value
    return None


def _assigned_value(name: str, before: ast.stmt, scope: Scope) -> ast.expr | None:
    """The value last assigned to `name` in the function's own scope before `before`."""
    bindings = scope.bindings.get(name) or []
    earlier = [
        b
        for b in bindings
        if b.kind is BindingKind.ASSIGN and getattr(b.node, "lineno", before.lineno) < before.lineno
    ]
    return earlier[-1].value if earlier else None


def _path_parameter_in(
    loaded: ast.expr | None, params: frozenset[str], before: ast.stmt, scope: Scope
) -> str | None:
    """The path parameter a load call uses, directly or through the result it came from."""
    call = _call(loaded)
    if call is None:
        return None
    found = _names_used(call, params)
    if found is not None:
        return found
    # `result = session.execute(...)` then `post = result.scalar_one_or_none()`.
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if isinstance(receiver, ast.Name):
        source = _call(_assigned_value(receiver.id, before, scope))
        if source is not None:
            return _names_used(source, params)
    return None


def _call(expr: ast.expr | None) -> ast.Call | None:
    if isinstance(expr, ast.Await):
        expr = expr.value
    return expr if isinstance(expr, ast.Call) else None


def _names_used(call: ast.Call, params: frozenset[str]) -> str | None:
    for node in ast.walk(call):
        if isinstance(node, ast.Name) and node.id in params:
            return node.id
    return None


def _is_not_found_error(exc: ast.expr, ctx: FileContext) -> bool:
    """An `HTTPException` (or subclass) or a non-builtin exception class: a domain error."""
    target = exc.func if isinstance(exc, ast.Call) else exc
    if not isinstance(target, (ast.Name, ast.Attribute)):
        return False
    name = ctx.qualname(target)
    if name is None:
        return False
    if ctx.resolver.is_subclass_of(name, HTTP_EXCEPTIONS):
        return True
    return not name.startswith("builtins.")
