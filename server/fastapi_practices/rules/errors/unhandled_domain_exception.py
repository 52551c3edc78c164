"""FBP503: a project exception raised in a path operation or dependency that no handler answers.

Needs the workspace index: the class, its bases and the registered handlers may all live in
other modules. Only raises in the body of a path operation or of a function used in `Depends`
are judged; a service's raise may be caught by its caller, so it is not followed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.errors.exception_classes import HANDLED_BY_FASTAPI, Lineage, lineage
from fastapi_practices.rules.errors.raise_sites import (
    is_dependency,
    project_handlers,
    raised_name,
    raising_function,
)
from fastapi_practices.rules.registry import register

if TYPE_CHECKING:
    from fastapi_practices.workspace.index import WorkspaceIndex

_TRY_STATEMENTS = frozenset({"Try", "TryStar"})
_EXCEPTIONS = (
    "class PostError(Exception):\n    pass\n\n\nclass PostNotFound(PostError):\n    pass\n\n\n"
    "class PostLocked(PostError):\n    pass\n"
)
_PROJECT = {
    "src/__init__.py": "",
    "src/main.py": "from fastapi import FastAPI\n\nfrom src.posts.router import router\n\n"
    "app = FastAPI()\napp.include_router(router)\n",
    "src/posts/__init__.py": "",
    "src/posts/exceptions.py": _EXCEPTIONS,
}
_ROUTER = (
    "from fastapi import APIRouter\n\nfrom src.posts.exceptions import PostNotFound\n\n"
    "router = APIRouter()\nPOSTS = {1: 'hello'}\n\n\n@router.get('/posts/{post_id}')\n"
    "async def read(post_id: int) -> str:\n    if post_id not in POSTS:\n"
    "        raise PostNotFound(post_id)\n    return POSTS[post_id]\n"
)
_DEPENDENCY = (
    "from src.posts.exceptions import PostLocked\n\n\n"
    "async def unlocked_post(post_id: int) -> int:\n    if post_id == 0:\n"
    "        raise PostLocked(post_id)\n    return post_id\n"
)
_ROUTER_USING = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.dependencies import unlocked_post\n"
    "\nrouter = APIRouter()\n\n\n@router.delete('/posts/{post_id}')\n"
    "async def delete(post_id: int = Depends(unlocked_post)) -> None:\n    return None\n"
)


def _main_with(registration: str, imports: str = "PostNotFound") -> str:
    return (
        "from fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse\n\n"
        f"from src.posts.exceptions import {imports}\nfrom src.posts.router import router\n\n"
        "app = FastAPI()\napp.include_router(router)\n\n\n"
        "async def not_found(request: Request, exc: Exception) -> JSONResponse:\n"
        "    return JSONResponse({'detail': 'not found'}, status_code=404)\n\n\n" + registration
    )


@register
class UnhandledDomainException(Rule):
    code = "FBP503"
    name = "unhandled-domain-exception"
    severity = Severity.WARNING
    summary = (
        "A project exception raised in a path operation or dependency has no exception handler."
    )
    why = (
        "FastAPI only knows how to answer `HTTPException` and validation errors. Any other "
        "exception that leaves a path operation or one of its dependencies becomes a bare "
        "500 Internal Server Error, with the traceback in the logs and nothing useful for the "
        "client. Domain exceptions are meant to be answered: register an exception handler "
        "for the class (or for a base class shared by the domain's errors) that returns the "
        "right status, catch it in the route, or make it an `HTTPException` subclass."
    )
    recommended = (
        "# src/main.py\nfrom fastapi import FastAPI, Request\n"
        "from fastapi.responses import JSONResponse\n\n"
        "from src.posts.exceptions import PostError\n\napp = FastAPI()\n\n\n"
        "@app.exception_handler(PostError)\n"
        "async def post_error(request: Request, exc: PostError) -> JSONResponse:\n"
        "    return JSONResponse({'detail': str(exc)}, status_code=404)\n"
    )
    needs_workspace_index = True
    examples = (
        Invalid(_ROUTER, line=12, path="src/posts/router.py", files=_PROJECT),
        Invalid(
            _DEPENDENCY,
            line=6,
            path="src/posts/dependencies.py",
            files={
                **_PROJECT,
                "src/posts/router.py": _ROUTER_USING,
                "src/main.py": _main_with("app.add_exception_handler(PostNotFound, not_found)\n"),
            },
            note="a dependency used in another module; only a sibling class is handled",
        ),
        Invalid(
            "from typing import Annotated\n\nfrom fastapi import Depends\n\n\n"
            "class QuotaExceeded(ValueError):\n    pass\n\n\n"
            "def within_quota(size: int) -> int:\n    if size > 10:\n"
            "        raise QuotaExceeded(size)\n    return size\n\n\n"
            "Quota = Annotated[int, Depends(within_quota)]\n",
            line=12,
            path="src/posts/dependencies.py",
            files=_PROJECT,
            note="a class of this module deriving from a builtin; used in an `Annotated` alias",
        ),
        Invalid(
            "from fastapi import APIRouter\n\nfrom src.posts import exceptions\n\n"
            "router = APIRouter()\n\n\n@router.put('/posts/{post_id}')\n"
            "async def edit(post_id: int) -> None:\n    try:\n        raise exceptions.PostLocked\n"
            "    except exceptions.PostNotFound:\n        return None\n",
            line=11,
            path="src/posts/router.py",
            files=_PROJECT,
            note="a module attribute; the `except` catches another class",
        ),
        Valid(
            _ROUTER,
            path="src/posts/router.py",
            files={
                **_PROJECT,
                "src/main.py": _main_with(
                    "@app.exception_handler(PostNotFound)\n"
                    "async def on_not_found(request: Request, exc: PostNotFound):\n"
                    "    return await not_found(request, exc)\n"
                ),
            },
            note="a handler for the class itself",
        ),
        Valid(
            _DEPENDENCY,
            path="src/posts/dependencies.py",
            files={
                **_PROJECT,
                "src/posts/router.py": _ROUTER_USING,
                "src/main.py": _main_with(
                    "app.add_exception_handler(PostError, not_found)\n", "PostError"
                ),
            },
            note="a handler for a base class",
        ),
        Valid(
            _ROUTER.replace("PostNotFound", "PostGone"),
            path="src/posts/router.py",
            files={
                **_PROJECT,
                "src/posts/exceptions.py": "from fastapi import HTTPException\n\n\n"
                "class PostGone(HTTPException):\n    def __init__(self, post_id: int) -> None:\n"
                "        super().__init__(410, f'post {post_id} is gone')\n",
            },
            note="an `HTTPException` subclass answers itself",
        ),
        Valid(
            "from src.posts.exceptions import PostNotFound\n\nPOSTS = {1: 'hello'}\n\n\n"
            "async def get_post(post_id: int) -> str:\n    if post_id not in POSTS:\n"
            "        raise PostNotFound(post_id)\n    return POSTS[post_id]\n",
            path="src/posts/service.py",
            files=_PROJECT,
            note="a service function: its callers may catch it",
        ),
        Valid(
            "from fastapi import APIRouter, HTTPException\n\n"
            "from src.posts.exceptions import PostError, PostNotFound\n\n"
            "router = APIRouter()\n\n\n@router.get('/posts/{post_id}')\n"
            "async def read(post_id: int) -> str:\n    try:\n"
            "        raise PostNotFound(post_id)\n    except PostError:\n"
            "        raise HTTPException(404) from None\n",
            path="src/posts/router.py",
            files=_PROJECT,
            note="caught by a base class in the same function",
        ),
        Valid(
            _ROUTER,
            path="src/posts/router.py",
            files={
                **_PROJECT,
                "src/main.py": _main_with(
                    "app.add_exception_handler(Exception, not_found)\n", "PostError"
                ),
            },
            note="a catch-all handler for `Exception`",
        ),
        Valid(
            "from fastapi import APIRouter\nfrom sqlalchemy.exc import NoResultFound\n\n"
            "router = APIRouter()\n\n\nclass PostMissing(NoResultFound):\n    pass\n\n\n"
            "@router.get('/posts/{post_id}')\nasync def read(post_id: int) -> str:\n"
            "    raise PostMissing(post_id)\n",
            path="src/posts/router.py",
            files=_PROJECT,
            note="a base outside the project: it may have a handler of its own",
        ),
        Valid(
            "from fastapi import APIRouter\nfrom pydantic import BaseModel, field_validator\n\n"
            "from src.posts.exceptions import PostLocked\n\nrouter = APIRouter()\n\n\n"
            "class PostIn(BaseModel):\n    title: str\n\n    @field_validator('title')\n"
            "    @classmethod\n    def not_locked(cls, v: str) -> str:\n"
            "        if v == 'locked':\n            raise PostLocked(v)\n        return v\n\n\n"
            "@router.post('/posts')\nasync def create(post: PostIn) -> str:\n"
            "    return post.title\n",
            path="src/posts/router.py",
            files=_PROJECT,
            note="a validator of a body model is not followed",
        ),
        Valid(_ROUTER, path="src/posts/router.py", note="no index: nothing is known"),
        Valid(
            "from typing import Annotated\n\n"
            "from fastapi import Depends, FastAPI, HTTPException\n\n"
            "app = FastAPI()\n\n\nclass OwnerError(Exception):\n    pass\n\n\n"
            "def get_username():\n    try:\n        yield 'Rick'\n    except OwnerError as e:\n"
            "        raise HTTPException(status_code=400, detail=str(e))\n\n\n"
            "@app.get('/items/{item_id}')\n"
            "def get_item(item_id: str, username: Annotated[str, Depends(get_username)]):\n"
            "    if item_id != username:\n        raise OwnerError(username)\n    return item_id\n",
            files={"app/__init__.py": ""},
            note="a generator dependency catches it around its `yield` (FastAPI's own docs)",
        ),
    )

    def visit_Raise(self, node: ast.Raise, ctx: FileContext) -> None:
        if node.exc is None:
            return
        function = raising_function(ctx)
        if function is None:
            return
        name = raised_name(node, ctx)
        if name is None or name.startswith("builtins."):
            return
        index = ctx.project
        if index is None:
            return
        found = self._lineage(name, ctx, index)
        if found is None or not found.complete or not found.is_exception:
            return
        if found.derives_from(HANDLED_BY_FASTAPI) or _caught_here(node, found, ctx):
            return
        if self._caught_around_a_yield(found, ctx, index):
            return
        if not function.is_path_operation and not is_dependency(function, ctx):
            return
        handled = {handler.exception for handler in project_handlers(ctx, index)}
        if found.derives_from(handled):
            return
        short = name.rpartition(".")[2]
        where = "a path operation" if function.is_path_operation else "a dependency"
        ctx.report(
            self,
            node,
            f"`{short}` is raised in {where} but no exception handler answers it (nor any of "
            "its bases), so the client gets a 500; register one with "
            f"`@app.exception_handler({short})` or catch it here",
        )

    def _caught_around_a_yield(
        self, found: Lineage, ctx: FileContext, index: WorkspaceIndex
    ) -> bool:
        """A generator dependency of this module catches it around its `yield`: FastAPI throws
        exceptions of the operation into its dependencies, so that `except` answers it."""
        state = ctx.rule_state(self)
        if "yield_handlers" not in state:
            state["yield_handlers"] = _handlers_around_yields(ctx.tree)
        module_scope = ctx.resolver.module_scope
        for handler in state["yield_handlers"]:
            if handler.type is None:
                return True
            members = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            for member in members:
                caught = ctx.resolver.qualname(member, module_scope)
                if caught is not None and found.derives_from({index.canonical(caught)}):
                    return True
        return False

    def _lineage(self, name: str, ctx: FileContext, index: WorkspaceIndex) -> Lineage | None:
        cache: dict[str, Lineage | None] = ctx.rule_state(self).setdefault("lineages", {})
        if name not in cache:
            cache[name] = lineage(index, name)
        return cache[name]


def _handlers_around_yields(tree: ast.Module) -> list[ast.ExceptHandler]:
    """The `except` clauses of module-level generator functions whose `try` holds a `yield`."""
    found: list[ast.ExceptHandler] = []
    for statement in tree.body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Try) and any(
                isinstance(inner, (ast.Yield, ast.YieldFrom))
                for part in node.body
                for inner in ast.walk(part)
            ):
                found.extend(node.handlers)
    return found


def _caught_here(node: ast.Raise, found: Lineage, ctx: FileContext) -> bool:
    """A `try` of the same function around the raise has an `except` for it or a base."""
    frame = ctx.function
    parents = ctx.parents
    index = ctx.project
    if frame is None or index is None:
        return False
    for position in range(len(parents) - 1, 0, -1):
        child, parent = parents[position], parents[position - 1]
        if parent is frame.node:
            return False
        if type(parent).__name__ not in _TRY_STATEMENTS:
            continue
        body: list[ast.stmt] = getattr(parent, "body", [])
        handlers: list[ast.ExceptHandler] = getattr(parent, "handlers", [])
        if any(statement is child for statement in body) and any(
            _catches(handler, found, ctx, index) for handler in handlers
        ):
            return True
    return False


def _catches(
    handler: ast.ExceptHandler, found: Lineage, ctx: FileContext, index: WorkspaceIndex
) -> bool:
    if handler.type is None:
        return True
    members = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for member in members:
        if isinstance(member, (ast.Name, ast.Attribute)):
            caught = ctx.qualname(member)
            if caught is not None and found.derives_from({index.canonical(caught)}):
                return True
    return False
