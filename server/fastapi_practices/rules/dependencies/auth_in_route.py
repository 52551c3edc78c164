"""FBP404: a path operation reads the `Authorization` header or decodes a JWT itself."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid, terminal_names
from fastapi_practices.rules.registry import register

REQUEST_CLASSES = frozenset(
    {"fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"}
)
HEADER_FUNCTIONS = frozenset(
    {"fastapi.Header", "fastapi.param_functions.Header", "fastapi.params.Header"}
)
JWT_DECODERS = frozenset(
    {
        "jwt.decode",
        "jwt.api_jwt.decode",
        "jose.jwt.decode",
        "authlib.jose.jwt.decode",
        "joserfc.jwt.decode",
    }
)
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_HEADER = "authorization"
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_ADVICE = "move authentication into a dependency such as `get_current_user`"

_APP = "from fastapi import FastAPI, Request\n\napp = FastAPI()\n\n\n"


@register
class AuthInRouteBody(Rule):
    code = "FBP404"
    name = "auth-in-route-body"
    severity = Severity.INFO
    call_names = frozenset({"get"}) | terminal_names(JWT_DECODERS)
    summary = "A path operation reads the `Authorization` header or decodes a JWT in its body."
    why = (
        "Authentication written inside a route is copied into every route that needs it, and "
        "each copy is a chance to forget the expiry check or return the wrong status. A "
        "`get_current_user` dependency does it once, can be chained (`get_active_user`, "
        "`require_admin`), is cached per request, and shows the security scheme in the "
        "OpenAPI docs. Routes then declare `user: User = Depends(get_current_user)`."
    )
    recommended = (
        "import jwt\nfrom fastapi import Depends, FastAPI, HTTPException\n"
        "from fastapi.security import OAuth2PasswordBearer\n\napp = FastAPI()\n"
        "oauth2_scheme = OAuth2PasswordBearer(tokenUrl='token')\n\n\n"
        "async def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:\n"
        "    try:\n        return jwt.decode(token, 'secret', algorithms=['HS256'])\n"
        "    except jwt.InvalidTokenError:\n        raise HTTPException(status_code=401)\n\n\n"
        "@app.get('/me')\nasync def me(user: dict = Depends(get_current_user)) -> dict:\n"
        "    return user\n"
    )
    examples = (
        Invalid(
            _APP + "@app.get('/me')\nasync def me(request: Request):\n"
            "    token = request.headers['Authorization'].removeprefix('Bearer ')\n"
            "    return {'token': token}\n",
            line=8,
        ),
        Invalid(
            "from fastapi import APIRouter\nfrom starlette.requests import Request\n\n"
            "router = APIRouter()\n\n\n@router.get('/orders')\nasync def orders(req: Request):\n"
            "    if not req.headers.get('authorization'):\n        return []\n    return [1]\n",
            line=9,
        ),
        Invalid(
            "from typing import Annotated\n\nimport jwt\nfrom fastapi import FastAPI, Header\n\n"
            "app = FastAPI()\n\n\n@app.get('/me')\n"
            "def me(authorization: Annotated[str, Header()]):\n"
            "    scheme, _, token = authorization.partition(' ')\n"
            "    return jwt.decode(token, 'secret', algorithms=['HS256'])\n",
            line=11,
            count=2,
            note="a `Header()` parameter used in the body, then `jwt.decode`",
        ),
        Invalid(
            "from fastapi import APIRouter, Depends\nfrom fastapi.security import HTTPBearer\n"
            "from jose import jwt\n\nrouter = APIRouter()\nbearer = HTTPBearer()\n\n\n"
            "@router.get('/me')\nasync def me(credentials=Depends(bearer)):\n"
            "    return jwt.decode(credentials.credentials, 'secret')\n",
            line=11,
            note="python-jose",
        ),
        Valid(
            "import jwt\nfrom fastapi import Depends, FastAPI, Request\n\napp = FastAPI()\n\n\n"
            "def get_current_user(request: Request) -> dict:\n"
            "    token = request.headers['Authorization']\n"
            "    return jwt.decode(token, 'secret', algorithms=['HS256'])\n\n\n"
            "@app.get('/me')\nasync def me(user: dict = Depends(get_current_user)):\n"
            "    return user\n",
            note="a dependency does the work",
        ),
        Valid(
            _APP + "@app.get('/agent')\nasync def agent(request: Request):\n"
            "    return request.headers.get('user-agent')\n",
            note="another header",
        ),
        Valid(
            _APP + "@app.get('/me')\nasync def me(headers: dict):\n"
            "    return headers['Authorization']\n",
            note="not a `Request`",
        ),
        Valid(
            "from fastapi import FastAPI, Header\n\napp = FastAPI()\n\n\n@app.get('/me')\n"
            "def me(authorization: str = Header()):\n    return {}\n",
            note="declared but never used in the body",
        ),
        Valid(
            "from app.tokens import jwt\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/me')\ndef me(token: str):\n    return jwt.decode(token)\n",
            note="a project module that happens to be called `jwt`",
        ),
        Valid(
            _APP + "@app.get('/me')\nasync def me(request: Request):\n"
            "    def later():\n        return request.headers['Authorization']\n"
            "    return later\n",
            note="a nested function",
        ),
    )

    def visit_Subscript(self, node: ast.Subscript, ctx: FileContext) -> None:
        if not ctx.in_path_operation:
            return
        key = node.slice
        if _is_authorization(key) and self._is_request_headers(node.value, ctx):
            ctx.report(self, node, f"The route reads the `Authorization` header; {_ADVICE}")

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not ctx.in_path_operation:
            return
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and node.args
            and _is_authorization(node.args[0])
            and self._is_request_headers(func.value, ctx)
        ):
            ctx.report(self, node, f"The route reads the `Authorization` header; {_ADVICE}")
        elif isinstance(func, (ast.Name, ast.Attribute)) and ctx.qualname(func) in JWT_DECODERS:
            ctx.report(self, node, f"The route decodes a JWT itself; {_ADVICE}")

    def visit_FunctionDef(self, node: FunctionNode, ctx: FileContext) -> None:
        names = _authorization_parameters(node, ctx)
        if not names or not ctx.is_path_operation(node, ctx.scope):
            return
        first = _first_use(node, names)
        if first is not None:
            ctx.report(
                self,
                first,
                f"The route uses the `Authorization` header (`{first.id}`); {_ADVICE}",
            )

    visit_AsyncFunctionDef = visit_FunctionDef

    @staticmethod
    def _is_request_headers(expr: ast.expr, ctx: FileContext) -> bool:
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr == "headers"
            and ctx.instance_type(expr.value) in REQUEST_CLASSES
        )


def _is_authorization(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Constant)
        and isinstance(expr.value, str)
        and expr.value.lower() == _HEADER
    )


def _authorization_parameters(func: FunctionNode, ctx: FileContext) -> set[str]:
    """Parameters declared with `Header()` that receive the `Authorization` header."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    pairs = [
        *zip(positional, defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]
    names: set[str] = set()
    for arg, default in pairs:
        header = _header_call(default, ctx) or _annotated_header(arg.annotation, ctx)
        if header is None:
            continue
        alias = next((k.value for k in header.keywords if k.arg == "alias"), None)
        if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
            if alias.value.lower() == _HEADER:
                names.add(arg.arg)
        elif arg.arg.lower() == _HEADER:
            names.add(arg.arg)
    return names


def _header_call(expr: ast.expr | None, ctx: FileContext) -> ast.Call | None:
    if isinstance(expr, ast.Call) and ctx.qualname(expr.func) in HEADER_FUNCTIONS:
        return expr
    return None


def _annotated_header(annotation: ast.expr | None, ctx: FileContext) -> ast.Call | None:
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
        return None
    if ctx.qualname(annotation.value) not in ANNOTATED:
        return None
    for extra in annotation.slice.elts[1:]:
        found = _header_call(extra, ctx)
        if found is not None:
            return found
    return None


def _first_use(func: FunctionNode, names: set[str]) -> ast.Name | None:
    """The first read of one of `names` in the body of `func` itself (not nested scopes)."""
    stack: list[ast.AST] = list(func.body)
    uses: list[ast.Name] = []
    while stack:
        node = stack.pop()
        if isinstance(node, _NESTED):
            continue
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            uses.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return min(uses, key=lambda n: (n.lineno, n.col_offset), default=None)
