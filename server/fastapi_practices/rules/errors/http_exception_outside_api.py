"""FBP501: `HTTPException` raised in a domain module that is not the domain's HTTP layer."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.errors.raise_sites import (
    LOCAL_CALL_NAMES,
    RaisingFunction,
    domain_role,
    exceptions_module,
    is_dependency,
    is_registered_handler,
    raised_name,
    raising_function,
    record_local_call,
)
from fastapi_practices.rules.pydantic.models import function_validators
from fastapi_practices.rules.registry import register

HTTP_EXCEPTION = "fastapi.HTTPException"
HTTP_ROLES = frozenset({"router", "dependencies"})

_PROJECT = {
    "src/__init__.py": "",
    "src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "src/posts/__init__.py": "",
    "src/posts/router.py": "",
}
_SERVICE = (
    "from fastapi import HTTPException\n\n\n"
    "async def get_post(posts: dict[int, str], post_id: int) -> str:\n"
    "    if post_id not in posts:\n"
    "        raise HTTPException(status_code=404, detail='Post not found')\n"
    "    return posts[post_id]\n"
)
_ROUTER_USING = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.service import valid_post\n\n"
    "router = APIRouter()\n\n\n@router.get('/posts/{post_id}')\n"
    "async def read(post: str = Depends(valid_post)) -> str:\n    return post\n"
)


@register
class HttpExceptionOutsideApi(Rule):
    code = "FBP501"
    name = "http-exception-outside-api"
    severity = Severity.INFO
    summary = (
        "`HTTPException` is raised in a domain module other than `router.py` or `dependencies.py`."
    )
    why = (
        "Services, models and utilities describe what went wrong in the domain; which HTTP "
        "status that deserves is a decision of the API layer. An `HTTPException` deep in a "
        "service ties the business logic to HTTP, so the same code cannot be reused from a "
        "CLI, a worker or a test without dragging status codes along. Raise a domain "
        "exception from the domain's `exceptions.py` instead, and turn it into a response in "
        "the router, in a dependency, or with an exception handler. Path operations, "
        "dependencies and exception handlers are the HTTP layer wherever they are defined, so "
        "they may raise it."
    )
    recommended = (
        "# src/posts/exceptions.py\nclass PostNotFound(Exception):\n    pass\n\n\n"
        "# src/posts/service.py\nfrom src.posts.exceptions import PostNotFound\n\n\n"
        "async def get_post(posts: dict[int, str], post_id: int) -> str:\n"
        "    if post_id not in posts:\n        raise PostNotFound(post_id)\n"
        "    return posts[post_id]\n"
    )
    needs_workspace_index = True
    call_names = LOCAL_CALL_NAMES
    examples = (
        Invalid(_SERVICE, line=6, path="src/posts/service.py", files=_PROJECT),
        Invalid(
            "from starlette.exceptions import HTTPException as StarletteError\n\n\n"
            "def slugify(title: str) -> str:\n    if not title.strip():\n"
            "        raise StarletteError(400, 'empty title')\n"
            "    return title.lower().replace(' ', '-')\n",
            line=6,
            path="src/posts/utils.py",
            files=_PROJECT,
            note="starlette's class under another name",
        ),
        Invalid(
            "import fastapi\n\n\nclass PostRepository:\n    def __init__(self) -> None:\n"
            "        self.rows: dict[int, str] = {}\n\n    def get(self, post_id: int) -> str:\n"
            "        if post_id not in self.rows:\n"
            "            raise fastapi.HTTPException(status_code=404)\n"
            "        return self.rows[post_id]\n",
            line=10,
            path="src/posts/models.py",
            files=_PROJECT,
            note="a method of a repository class",
        ),
        Invalid(
            _SERVICE,
            line=6,
            path="src/posts/service.py",
            files={
                **_PROJECT,
                "src/posts/router.py": "from fastapi import APIRouter\n\n"
                "from src.posts.service import get_post\n\nrouter = APIRouter()\n\n\n"
                "@router.get('/posts/{post_id}')\n"
                "async def read(post_id: int) -> str:\n"
                "    return await get_post({}, post_id)\n",
            },
            note="called by a path operation, but not used as a dependency",
        ),
        Valid(
            "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/posts/{post_id}')\nasync def read(post_id: int) -> str:\n"
            "    raise HTTPException(status_code=404)\n",
            path="src/posts/router.py",
            files=_PROJECT,
        ),
        Valid(
            _SERVICE.replace("get_post", "valid_post"),
            path="src/posts/dependencies.py",
            files=_PROJECT,
            note="the domain's dependencies module",
        ),
        Valid(
            _SERVICE.replace("get_post(posts: dict[int, str], ", "valid_post("),
            path="src/posts/service.py",
            files={**_PROJECT, "src/posts/router.py": _ROUTER_USING},
            note="used in `Depends(...)` by another module: a dependency",
        ),
        Valid(
            "from fastapi import HTTPException, Request\nfrom fastapi.responses import "
            "JSONResponse\n\n\nasync def on_http_error(request: Request, exc: HTTPException):\n"
            "    if exc.status_code >= 500:\n        raise HTTPException(503)\n"
            "    return JSONResponse({'detail': exc.detail}, status_code=exc.status_code)\n",
            path="src/posts/service.py",
            files={
                **_PROJECT,
                "src/main.py": "from fastapi import FastAPI, HTTPException\n\n"
                "from src.posts.service import on_http_error\n\napp = FastAPI()\n"
                "app.add_exception_handler(HTTPException, on_http_error)\n",
            },
            note="an exception handler registered in another module",
        ),
        Valid(
            "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/posts/{post_id}')\nasync def read(post_id: int) -> str:\n"
            "    raise HTTPException(status_code=404)\n",
            path="src/posts/service.py",
            files=_PROJECT,
            note="a path operation in the wrong module is FBP101's concern",
        ),
        Valid(
            "from fastapi import Depends, HTTPException\n\n\ndef require_role(role: str):\n"
            "    def check(user: dict = Depends(lambda: {})) -> dict:\n"
            "        if user.get('role') != role:\n            raise HTTPException(403)\n"
            "        return user\n\n    return check\n",
            path="src/posts/utils.py",
            files=_PROJECT,
            note="the inner function of a dependency factory",
        ),
        Valid(_SERVICE, path="src/service.py", files=_PROJECT, note="the source root"),
        Valid(
            _SERVICE,
            path="posts/helpers.py",
            files={"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"},
            note="a project without domains",
        ),
        Valid(
            "class HTTPException(Exception):\n    pass\n\n\ndef get_post(post_id: int) -> str:\n"
            "    raise HTTPException(post_id)\n",
            path="src/posts/service.py",
            files=_PROJECT,
            note="a project class with the same name",
        ),
        Valid(
            "from fastapi import HTTPException\n\n\nclass PostNotFound(HTTPException):\n"
            "    def __init__(self) -> None:\n        super().__init__(404, 'Post not found')\n"
            "\n\ndef get_post(post_id: int) -> str:\n    raise PostNotFound()\n",
            path="src/posts/service.py",
            files=_PROJECT,
            note="a subclass is a domain exception of its own",
        ),
        Valid(
            "from fastapi import HTTPException\nfrom pydantic import BaseModel, field_validator\n"
            "\n\nclass PostIn(BaseModel):\n    title: str\n\n    @field_validator('title')\n"
            "    @classmethod\n    def not_blank(cls, v: str) -> str:\n        if not v:\n"
            "            raise HTTPException(422)\n        return v\n",
            path="src/posts/schemas.py",
            files=_PROJECT,
            note="a validator: FBP310 reports it and its fix",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        record_local_call(node, ctx)

    def visit_Raise(self, node: ast.Raise, ctx: FileContext) -> None:
        if node.exc is None or raised_name(node, ctx) != HTTP_EXCEPTION:
            return
        domain, role = domain_role(ctx)
        if domain is None or role in HTTP_ROLES:
            return
        function = raising_function(ctx)
        if function is None:
            if ctx.frames:
                return  # a nested function or lambda: maybe a dependency factory's product
        elif function.is_path_operation or function.is_call_method or _in_validator(ctx):
            return
        candidates: list[tuple[ast.Raise, RaisingFunction | None, str]] = ctx.rule_state(
            self
        ).setdefault("candidates", [])
        candidates.append((node, function, domain))

    def finish(self, ctx: FileContext) -> None:
        candidates: list[tuple[ast.Raise, RaisingFunction | None, str]] = ctx.rule_state(self).get(
            "candidates", []
        )
        for node, function, domain in candidates:
            if function is not None and (
                is_registered_handler(function, ctx) or is_dependency(function, ctx)
            ):
                continue
            ctx.report(
                self,
                node,
                "`HTTPException` raised outside the API layer: raise a domain exception from "
                f"`{exceptions_module(ctx, domain)}` and turn it into a response in the router, "
                "a dependency or an exception handler",
            )


def _in_validator(ctx: FileContext) -> bool:
    """A pydantic validator: FBP310 asks for `ValueError` there."""
    frame = ctx.function
    if frame is None or frame.scope.parent is None or not frame.scope.parent.is_class:
        return False
    return bool(function_validators(ctx, frame.node, frame.scope.parent))
