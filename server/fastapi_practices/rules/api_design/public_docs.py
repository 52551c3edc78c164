"""FBP706: `FastAPI()` serving `/docs` and `/openapi.json` in every environment."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.api_design.routes import APP_CLASS, has_unpacked_arguments, may_name
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

_DOCS_KEYWORDS = frozenset({"openapi_url", "docs_url"})


@register
class DocsAlwaysPublic(Rule):
    code = "FBP706"
    name = "docs-always-public"
    severity = Severity.INFO
    summary = "`FastAPI()` is created without deciding where, or whether, its docs are served."
    why = (
        "By default every deployment serves the interactive docs and the full OpenAPI schema, "
        "production included. For an API that is not public, that hands out a map of every "
        "endpoint and model. Setting `openapi_url` from the environment (and `None` in "
        "production) keeps the docs where they are wanted."
    )
    recommended = (
        "from fastapi import FastAPI\n\nfrom src.config import settings\n\n"
        "app_configs = {'title': 'Shop'}\nif settings.environment not in ('local', 'staging'):\n"
        "    app_configs['openapi_url'] = None\n\napp = FastAPI(**app_configs)\n"
    )
    examples = (
        Invalid("from fastapi import FastAPI\n\napp = FastAPI(title='Shop')\n", line=3),
        Invalid("import fastapi\n\napp = fastapi.FastAPI()\n", line=3),
        Invalid(
            "from fastapi import FastAPI as Api\n\n\ndef create_app():\n"
            "    return Api(\n        title='Shop',\n        version='1.0',\n    )\n",
            line=5,
        ),
        Valid(
            "from fastapi import FastAPI\n\nfrom app.config import settings\n\n"
            "app = FastAPI(openapi_url='/openapi.json' if settings.show_docs else None)\n"
        ),
        Valid("from fastapi import FastAPI\n\napp = FastAPI(docs_url=None, redoc_url=None)\n"),
        Valid(
            "from fastapi import FastAPI\n\napp_configs = {'title': 'Shop'}\n"
            "app = FastAPI(**app_configs)\n",
            note="the seed's `FastAPI(**app_configs)`",
        ),
        Valid(
            "from app.framework import FastAPI\n\napp = FastAPI()\n",
            note="not fastapi's class",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
            note="a router serves no docs",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not may_name(node.func, "FastAPI", ctx):
            return
        if any(k.arg in _DOCS_KEYWORDS for k in node.keywords) or has_unpacked_arguments(node):
            return
        if ctx.qualname(node.func) != APP_CLASS:
            return
        ctx.report(
            self,
            node,
            "`FastAPI()` serves `/docs` and `/openapi.json` everywhere; set `openapi_url` "
            "per environment (None in production)",
        )
