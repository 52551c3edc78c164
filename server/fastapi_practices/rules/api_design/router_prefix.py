"""FBP701: an `APIRouter()` without `prefix=`, so every path repeats the domain by hand."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.api_design.router_keywords import (
    RouterKeywordRule,
    RouterVariable,
    example_project,
)
from fastapi_practices.rules.api_design.routes import keyword
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

ADD_PREFIX = FixOption(
    "router-prefix", "Add the domain's `prefix=`", Applicability.SAFE, is_preferred=True
)

_POSTS_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter(tags=['posts'])\n"


@register
class RouterWithoutPrefix(RouterKeywordRule):
    code = "FBP701"
    name = "router-without-prefix"
    severity = Severity.INFO
    keyword = "prefix"
    fix_option = ADD_PREFIX
    stacks_with_includes = True
    summary = "An `APIRouter()` has no `prefix=`, here or where it is included."
    why = (
        "Without a prefix, every route of the domain spells out `/posts/...` itself. The URLs "
        "drift apart as routes are added, and moving the domain means editing every path. One "
        "`prefix=` on the router states where the domain lives, once."
    )
    recommended = (
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts', tags=['posts'])\n\n\n"
        "@router.get('/{post_id}')\nasync def get_post(post_id: int) -> dict[str, int]:\n"
        "    return {'id': post_id}\n"
    )
    fix_summary = (
        'Add `prefix="/<domain>"`, named after the package, when the router lives in a '
        "domain's `router.py`. Not offered when an `include_router` of the router already gives "
        "a prefix, or when its routes' paths already start with `/<domain>`: both prefixes "
        "would apply."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "from fastapi import APIRouter\n\nrouter = APIRouter(tags=['posts'])\n",
            line=3,
            fixed="from fastapi import APIRouter\n\n"
            "router = APIRouter(prefix='/posts', tags=['posts'])\n",
            path="src/posts/router.py",
        ),
        Invalid(
            "import fastapi\n\nrouter = fastapi.APIRouter(\n    dependencies=[],\n)\n",
            line=3,
            fixed='import fastapi\n\nrouter = fastapi.APIRouter(\n    prefix="/orders",\n'
            "    dependencies=[],\n)\n",
            path="src/orders/router.py",
            note="multi-line call keeps its layout",
        ),
        Invalid(
            "from fastapi import APIRouter as Router\n\nrouter = Router()\n",
            line=3,
            path="app/api.py",
            note="not a domain's router.py: reported without a fix",
        ),
        Invalid(
            "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nusers = APIRouter()\n"
            "app.include_router(users, prefix='/users')\napp.include_router(users)\n",
            line=4,
            note="one include supplies no prefix",
        ),
        Invalid(
            _POSTS_ROUTER,
            line=3,
            fixed="from fastapi import APIRouter\n\n"
            "router = APIRouter(prefix='/posts', tags=['posts'])\n",
            path="src/posts/router.py",
            files=example_project("app.include_router(posts_router, tags=['posts'])\n"),
            note="`src/main.py` includes it without a prefix",
        ),
        Invalid(
            _POSTS_ROUTER,
            line=3,
            path="src/posts/router.py",
            files={
                **example_project("app.include_router(posts_router, prefix='/posts')\n"),
                "src/admin.py": "from fastapi import FastAPI\n\n"
                "from src.posts.router import router\n\nadmin = FastAPI()\n"
                "admin.include_router(router)\n",
            },
            note="one of two modules including it gives no prefix: no fix (prefixes add up)",
        ),
        Invalid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/posts/{post_id}')\nasync def read(post_id: int) -> dict[str, int]:\n"
            "    return {'id': post_id}\n",
            line=3,
            path="src/posts/router.py",
            note="its paths already start with `/posts`: no fix",
        ),
        Valid("from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts')\n"),
        Valid(
            _POSTS_ROUTER,
            path="src/posts/router.py",
            files=example_project("app.include_router(posts_router, prefix='/posts')\n"),
            note="the prefix is given where `src/main.py` includes it",
        ),
        Valid(
            _POSTS_ROUTER,
            path="src/posts/router.py",
            files={
                "src/__init__.py": "",
                "src/posts/__init__.py": "",
                "src/main.py": "from fastapi import FastAPI\n\nfrom src.posts import router as "
                "posts\n\napp = FastAPI()\napp.include_router(posts.router, **OPTIONS)\n",
            },
            note="included through its module, options unpacked",
        ),
        Valid(
            "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nusers = APIRouter()\n"
            "app.include_router(users, prefix='/users')\n",
            note="the prefix is given where the router is included",
        ),
        Valid(
            "from fastapi import FastAPI\n\nfrom app.api import APIRouter\n\napp = FastAPI()\n"
            "router = APIRouter()\n",
            note="an APIRouter of another library",
        ),
        Valid(
            "from fastapi import APIRouter\n\nOPTIONS = {'prefix': '/posts'}\n"
            "router = APIRouter(**OPTIONS)\n",
            note="the prefix may hide in `**kwargs`",
        ),
        Valid(
            "from fastapi import APIRouter\n\n\nclass VersionedRouter(APIRouter):\n"
            "    pass\n\n\nrouter = VersionedRouter()\n",
            note="a subclass may set its own prefix",
        ),
    )

    def message(self) -> str:
        return "`APIRouter()` has no `prefix=`; declare the domain's URL prefix once on the router"

    def fixable(
        self, router: RouterVariable, domain: str, supplied: list[bool], ctx: FileContext
    ) -> bool:
        if not super().fixable(router, domain, supplied, ctx):
            return False
        return router.name is None or not _paths_start_with(f"/{domain}", router.name, ctx)

    def value_code(self, domain: str, quote: str) -> str:
        return f"{quote}/{domain}{quote}"

    def fix_router_prefix(self, request: FixRequest) -> list[TextEdit] | None:
        return self.add_keyword(request)


def _paths_start_with(prefix: str, router: str, ctx: FileContext) -> bool:
    """Whether a module-level route of `router` already spells out `prefix` in its path."""
    for statement in ctx.tree.body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in statement.decorator_list:
            if not (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and isinstance(decorator.func.value, ast.Name)
                and decorator.func.value.id == router
            ):
                continue
            given = keyword(decorator, "path")
            path = decorator.args[0] if decorator.args else given.value if given else None
            if (
                isinstance(path, ast.Constant)
                and isinstance(path.value, str)
                and (path.value == prefix or path.value.startswith(f"{prefix}/"))
            ):
                return True
    return False
