"""FBP702: an `APIRouter()` without `tags=`, so its routes land under "default" in the docs."""

from __future__ import annotations

import ast

from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.api_design.router_keywords import RouterKeywordRule, example_project
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

ADD_TAGS = FixOption(
    "router-tags", "Add the domain's `tags=`", Applicability.SAFE, is_preferred=True
)

_POSTS_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts')\n"


@register
class RouterWithoutTags(RouterKeywordRule):
    code = "FBP702"
    name = "router-without-tags"
    severity = Severity.INFO
    keyword = "tags"
    fix_option = ADD_TAGS
    summary = "An `APIRouter()` has no `tags=`, here or where it is included."
    why = (
        "The generated docs group operations by tag. Untagged routes all end up under "
        '"default", so the domains of the API blur together for whoever reads the docs or '
        "generates a client from the schema. Tagging the router tags every route it holds."
    )
    recommended = (
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts', tags=['posts'])\n"
    )
    fix_summary = (
        'Add `tags=["<domain>"]`, named after the package, when the router lives in a '
        "domain's `router.py`."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts')\n",
            line=3,
            fixed="from fastapi import APIRouter\n\n"
            "router = APIRouter(prefix='/posts', tags=['posts'])\n",
            path="src/posts/router.py",
        ),
        Invalid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
            line=3,
            fixed='from fastapi import APIRouter\n\nrouter = APIRouter(tags=["auth"])\n',
            path="src/auth/router.py",
        ),
        Invalid(
            "from fastapi import APIRouter\n\n\ndef build():\n    return APIRouter(prefix='/x')\n",
            line=5,
            path="app/factory.py",
            note="outside a domain's router.py: no fix",
        ),
        Invalid(
            "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nadmin = APIRouter()\n"
            "app.include_router(admin, prefix='/admin')\n",
            line=4,
            note="included, but without tags",
        ),
        Invalid(
            _POSTS_ROUTER,
            line=3,
            fixed="from fastapi import APIRouter\n\n"
            "router = APIRouter(prefix='/posts', tags=['posts'])\n",
            path="src/posts/router.py",
            files=example_project("app.include_router(posts_router, prefix='/v1')\n"),
            note="`src/main.py` includes it without tags",
        ),
        Valid("from fastapi import APIRouter\n\nrouter = APIRouter(tags=['posts'])\n"),
        Valid(
            _POSTS_ROUTER,
            path="src/posts/router.py",
            files=example_project("app.include_router(posts_router, tags=['posts'])\n"),
            note="tagged where `src/main.py` includes it",
        ),
        Valid(
            _POSTS_ROUTER,
            path="src/posts/router.py",
            files=example_project(
                "v1 = FastAPI()\napp.include_router(posts_router, tags=TAGS)\n"
                "v1.include_router(posts_router, tags=['v1'])\n"
            ),
            note="every include gives tags, one of them from a name",
        ),
        Valid(
            "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nadmin = APIRouter()\n"
            "app.include_router(admin, tags=['admin'])\n",
            note="tagged where it is included",
        ),
        Valid(
            "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\n\n\ndef setup():\n"
            "    inner = APIRouter()\n    app.include_router(inner, prefix='/i', tags=['i'])\n",
            note="included inside the same function",
        ),
        Valid(
            "from litestar import Router as APIRouter\n\nrouter = APIRouter()\n",
            note="another library's router",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts', **COMMON)\n",
            note="tags may come from `**COMMON`",
        ),
    )

    def message(self) -> str:
        return '`APIRouter()` has no `tags=`; its routes appear under "default" in the docs'

    def value_code(self, domain: str, quote: str) -> str:
        return f"[{quote}{domain}{quote}]"

    def insertion_index(self, call: ast.Call) -> int:
        names = [k.arg for k in call.keywords]
        return names.index("prefix") + 1 if "prefix" in names else 0

    def fix_router_tags(self, request: FixRequest) -> list[TextEdit] | None:
        return self.add_keyword(request)
