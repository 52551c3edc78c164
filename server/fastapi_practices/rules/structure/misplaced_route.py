"""FBP101: a path operation defined in a domain module other than its router module."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.structure.placement import (
    EXAMPLE_PROJECT,
    FLAT_PROJECT,
    file_name,
    misplaced_in,
    role_file,
)

_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
_ROUTE = _ROUTER + "@router.get('/posts')\nasync def list_posts() -> list[str]:\n    return []\n"
_RENAMED = {
    **{path: text for path, text in EXAMPLE_PROJECT.items() if path != "src/posts/router.py"},
    "pyproject.toml": '[tool.fastapi-practices]\nrole-modules = { router = "routes.py" }\n',
    "src/posts/routes.py": "",
}


@register
class MisplacedRoute(Rule):
    code = "FBP101"
    name = "misplaced-route"
    severity = Severity.INFO
    summary = "A path operation is defined in a domain module other than `router.py`."
    why = (
        "In a domain-based layout every endpoint of a domain lives in its `router.py`, so a "
        "reader who wants to know what the domain exposes opens one file. A route hidden in "
        "`service.py` or `utils.py` is easy to miss in reviews and mixes HTTP concerns into "
        "modules that should not know about them."
    )
    recommended = (
        "# src/posts/router.py\nfrom fastapi import APIRouter\n\nfrom src.posts import service\n\n"
        "router = APIRouter(prefix='/posts', tags=['posts'])\n\n\n@router.get('/')\n"
        "async def list_posts() -> list[str]:\n    return await service.list_titles()\n"
    )
    examples = (
        Invalid(
            "# src/posts/service.py\n" + _ROUTE,
            line=8,
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(
            _ROUTER + "@router.post('/posts')\n@router.put('/posts')\n"
            "def save_post(title: str) -> str:\n    return title\n",
            line=8,
            count=1,
            path="src/posts/dependencies.py",
            files=EXAMPLE_PROJECT,
            note="stacked decorators count once",
        ),
        Invalid(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "async def health() -> dict:\n    return {}\n\n\n"
            "app.add_api_route('/health', health)\n",
            line=6,
            path="src/posts/utils.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(
            _ROUTE,
            line=7,
            path="src/posts/router.py",
            files=_RENAMED,
            note="`role-modules` renamed the router module to routes.py",
        ),
        Valid(_ROUTE, path="src/posts/router.py", files=EXAMPLE_PROJECT),
        Valid(_ROUTE, path="src/posts/routes.py", files=_RENAMED),
        Valid(_ROUTE, path="src/main.py", files=EXAMPLE_PROJECT, note="the source root"),
        Valid(
            _ROUTE,
            path="items/views.py",
            files=FLAT_PROJECT,
            note="a project without domains",
        ),
        Valid(
            "from collections.abc import Callable\n\n\nclass Cache:\n"
            "    def get(self, key: str) -> Callable: ...\n\n\n"
            "cache = Cache()\n\n\n@cache.get('/posts')\n"
            "def titles() -> list[str]:\n    return []\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="`get` on an object that is not a router",
        ),
        Valid(_ROUTE, path="src/posts/service.py", note="no project on disk: nothing is known"),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        self._check(node, ctx)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        self._check(node, ctx)

    def _check(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> None:
        domain = misplaced_in(ctx, "router")
        if domain is None or not ctx.is_path_operation(node):
            return
        ctx.report(
            self,
            ctx.def_range(node),
            f"Path operation `{node.name}` is defined in `{file_name(ctx)}` of the "
            f"`{domain}` domain; endpoints belong in `{domain}/{role_file(ctx, 'router')}`.",
        )
