"""FBP701: an `APIRouter()` without `prefix=`, so every path repeats the domain by hand."""

from __future__ import annotations

from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.api_design.router_keywords import RouterKeywordRule
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

ADD_PREFIX = FixOption(
    "router-prefix", "Add the domain's `prefix=`", Applicability.SAFE, is_preferred=True
)


@register
class RouterWithoutPrefix(RouterKeywordRule):
    code = "FBP701"
    name = "router-without-prefix"
    severity = Severity.INFO
    keyword = "prefix"
    fix_option = ADD_PREFIX
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
        "domain's `router.py`."
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
        Valid("from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts')\n"),
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

    def value_code(self, domain: str, quote: str) -> str:
        return f"{quote}/{domain}{quote}"

    def fix_router_prefix(self, request: FixRequest) -> list[TextEdit] | None:
        return self.add_keyword(request)
