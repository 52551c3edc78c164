"""FBP705: a `create_*` POST operation that answers 200 instead of 201 Created."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.api_design.arguments import keyword_argument, with_argument
from fastapi_practices.rules.api_design.routes import (
    function_at,
    has_unpacked_arguments,
    keyword,
    route_decorators,
)
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.errors.bare_status_code import status_name_usable
from fastapi_practices.rules.registry import register

ANSWER_CREATED = FixOption(
    "status-created",
    "Answer `201 Created` (`status_code=status.HTTP_201_CREATED`)",
    Applicability.UNSAFE,
    is_preferred=True,
)
_CREATED = "status.HTTP_201_CREATED"


@register
class CreateWithout201(Rule):
    code = "FBP705"
    name = "create-without-201"
    severity = Severity.INFO
    summary = "A `create_*` POST operation has no `status_code`, so it answers 200 OK."
    why = (
        "HTTP says a request that created a resource answers `201 Created`. FastAPI answers "
        "200 unless told otherwise, and the OpenAPI schema then documents 200 too, so clients "
        "cannot tell a creation from any other success."
    )
    recommended = (
        "from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n\n"
        "@router.post('/posts', status_code=status.HTTP_201_CREATED)\n"
        "async def create_post(title: str) -> dict[str, str]:\n    return {'title': title}\n"
    )
    fix_summary = (
        "Add `status_code=status.HTTP_201_CREATED` to the decorator, importing `status` from "
        "fastapi when needed. Unsafe: clients checking for 200 will see 201."
    )
    fix_applicability = Applicability.UNSAFE
    examples = (
        Invalid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.post('/posts')\n"
            "async def create_post(title: str) -> dict[str, str]:\n    return {'title': title}\n",
            line=7,
            fixed="from fastapi import APIRouter\nfrom fastapi import status\n\n"
            "router = APIRouter()\n\n\n"
            "@router.post('/posts', status_code=status.HTTP_201_CREATED)\n"
            "async def create_post(title: str) -> dict[str, str]:\n    return {'title': title}\n",
        ),
        Invalid(
            "from fastapi import FastAPI\nfrom starlette import status\n\napp = FastAPI()\n\n\n"
            "@app.post(\n    '/users',\n    response_model=dict,\n)\n"
            "def create_user(name: str):\n    return {'name': name}\n",
            line=11,
            fixed="from fastapi import FastAPI\nfrom starlette import status\n\napp = FastAPI()\n"
            "\n\n@app.post(\n    '/users',\n    response_model=dict,\n"
            "    status_code=status.HTTP_201_CREATED,\n)\n"
            "def create_user(name: str):\n    return {'name': name}\n",
            note="`status` already imported from starlette; trailing comma kept",
        ),
        Invalid(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.post('/orders')\n"
            "async def create_order(status: str) -> dict[str, str]:\n"
            "    return {'status': status}\n",
            line=7,
            fixed="from fastapi import FastAPI\nfrom fastapi import status\n\napp = FastAPI()\n\n\n"
            "@app.post('/orders', status_code=status.HTTP_201_CREATED)\n"
            "async def create_order(status: str) -> dict[str, str]:\n"
            "    return {'status': status}\n",
            note="a parameter named `status` does not hide the decorator's name",
        ),
        Invalid(
            "from fastapi import FastAPI\n\napp = FastAPI()\nstatus = 'ok'\n\n\n@app.post('/a')\n"
            "async def create_a() -> dict[str, str]:\n    return {}\n",
            line=8,
            note="`status` is taken: reported without a fix",
        ),
        Valid(
            "from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/posts', status_code=status.HTTP_201_CREATED)\n"
            "async def create_post() -> dict:\n    return {}\n",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/drafts')\n"
            "async def create_draft_preview() -> dict:\n    return {}\n",
            note="`create_` on a GET",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.post('/search')\n"
            "async def search(q: str) -> list[str]:\n    return []\n",
            note="a POST that creates nothing",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/jobs', status_code=202)\nasync def create_job() -> dict:\n"
            "    return {}\n",
            note="any explicit status is a decision",
        ),
        Valid(
            "from app.cache import cache\n\n\n@cache.post('/things')\n"
            "def create_thing() -> dict:\n    return {}\n",
            note="not a FastAPI app or router",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\nOPTIONS = {}\n\n\n"
            "@router.post('/posts', **OPTIONS)\nasync def create_post() -> dict:\n    return {}\n",
            note="the status may come from `**OPTIONS`",
        ),
    )

    def visit_FunctionDef(self, node: FunctionNode, ctx: FileContext) -> None:
        if not node.name.startswith("create_") or not node.decorator_list:
            return
        decorators = route_decorators(node, ctx)
        if not decorators:
            return
        index, decorator = decorators[0]
        assert isinstance(decorator.func, ast.Attribute)
        if decorator.func.attr != "post" or has_unpacked_arguments(decorator):
            return
        if keyword(decorator, "status_code") is not None:
            return
        fixable = status_name_usable(ctx.scope)
        ctx.report(
            self,
            ctx.def_range(node),
            f"`{node.name}` creates a resource but answers 200; "
            "declare `status_code=status.HTTP_201_CREATED`",
            fixes=(ANSWER_CREATED,) if fixable else (),
            data={"function": node.name, "decorator": index},
        )

    visit_AsyncFunctionDef = visit_FunctionDef

    def fix_status_created(self, request: FixRequest) -> list[TextEdit] | None:
        index = request.finding.data.get("decorator")
        func = function_at(request)
        if func is None or not isinstance(index, int) or index >= len(func.decorator_list):
            return None
        decorator = func.decorator_list[index]
        if not isinstance(decorator, ast.Call) or keyword(decorator, "status_code") is not None:
            return None
        import_edit = ensure_import(request, "fastapi", "status")
        value = cst.parse_expression(_CREATED)

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            return with_argument(expression, keyword_argument("status_code", value))

        edit = rewrite_expression(request, decorator, transform)
        if edit is None:
            return None
        return [edit, *([import_edit] if import_edit else [])]
