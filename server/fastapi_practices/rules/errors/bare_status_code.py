"""FBP504: integer status codes where `fastapi.status` has a readable name."""

from __future__ import annotations

import ast

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.errors.status_codes import status_constant
from fastapi_practices.rules.registry import register

USE_STATUS_CONSTANT = FixOption(
    "status-constant", "Use the named `status` constant", Applicability.SAFE, is_preferred=True
)
HTTP_EXCEPTIONS = frozenset({"fastapi.HTTPException"})
_RESPONSE_NAMES = (
    "Response",
    "JSONResponse",
    "HTMLResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "StreamingResponse",
    "FileResponse",
    "ORJSONResponse",
    "UJSONResponse",
)
RESPONSE_CLASSES = frozenset(
    {"fastapi.Response"}
    | {
        f"{module}.{name}"
        for module in ("fastapi.responses", "starlette.responses")
        for name in _RESPONSE_NAMES
    }
)
_STATUS_MODULE = "starlette.status"
_ROUTE_CALLS = (knowledge.ROUTE_METHODS - {"websocket"}) | {"add_api_route"}

_APP = "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n\n\n"


@register
class BareStatusCode(Rule):
    code = "FBP504"
    name = "bare-status-code"
    severity = Severity.INFO
    summary = "An integer literal is used as a status code where a named constant exists."
    why = (
        "`status.HTTP_404_NOT_FOUND` says what the response means; `404` makes the reader "
        "recall it, and a typo such as `402` for `422` still looks plausible. The constants "
        "in `fastapi.status` also show up in editor completion and are easy to search for."
    )
    recommended = (
        "from fastapi import FastAPI, HTTPException, status\n\napp = FastAPI()\n\n\n"
        "@app.post('/items', status_code=status.HTTP_201_CREATED)\n"
        "async def create_item(name: str) -> dict:\n    if not name:\n"
        "        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail='empty')\n"
        "    return {'name': name}\n"
    )
    fix_summary = (
        "Replace the number with its `status.HTTP_...` constant and add `from fastapi import "
        "status` when it is missing."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _APP + "@app.get('/items/{item_id}')\nasync def get_item(item_id: int):\n"
            "    raise HTTPException(status_code=404, detail='Item not found')\n",
            line=8,
            fixed="from fastapi import FastAPI, HTTPException\nfrom fastapi import status\n\n"
            "app = FastAPI()\n\n\n@app.get('/items/{item_id}')\n"
            "async def get_item(item_id: int):\n"
            "    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, "
            "detail='Item not found')\n",
        ),
        Invalid(
            "from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/items', status_code=201)\nasync def create_item():\n    return {}\n",
            line=6,
            fixed="from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/items', status_code=status.HTTP_201_CREATED)\n"
            "async def create_item():\n    return {}\n",
            note="route decorator; `status` already imported",
        ),
        Invalid(
            "from starlette.exceptions import HTTPException\n\n\ndef check(ok: bool):\n"
            "    if not ok:\n        raise HTTPException(403)\n",
            line=6,
            fixed="from starlette.exceptions import HTTPException\nfrom fastapi import status\n"
            "\n\ndef check(ok: bool):\n    if not ok:\n"
            "        raise HTTPException(status.HTTP_403_FORBIDDEN)\n",
            note="positional, starlette's class",
        ),
        Invalid(
            "from fastapi.responses import JSONResponse\nfrom starlette import status\n\n\n"
            "def accepted():\n    return JSONResponse({'queued': True}, status_code=202)\n",
            line=6,
            fixed="from fastapi.responses import JSONResponse\nfrom starlette import status\n\n\n"
            "def accepted():\n    return JSONResponse({'queued': True}, "
            "status_code=status.HTTP_202_ACCEPTED)\n",
        ),
        Invalid(
            "from fastapi import HTTPException\n\n\nclass NotFound(HTTPException):\n    pass\n\n\n"
            "def handler(status: str):\n    raise NotFound(status_code=404, detail=status)\n",
            line=9,
            note="subclass; `status` is a parameter here, so no fix",
        ),
        Invalid(
            "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n\n"
            "def ping():\n    return Response(status_code=299)\n\n\n"
            "router.add_api_route('/ping', ping, status_code=204)\n",
            line=7,
            count=2,
            note="299 has no name (no fix); add_api_route",
        ),
        Invalid(
            "from fastapi import HTTPException, status\n\n\nclass NotFound(HTTPException):\n"
            "    def __init__(self):\n        super().__init__(404, 'not found')\n",
            line=6,
            fixed="from fastapi import HTTPException, status\n\n\nclass NotFound(HTTPException):\n"
            "    def __init__(self):\n"
            "        super().__init__(status.HTTP_404_NOT_FOUND, 'not found')\n",
            note="the constructor of an HTTPException subclass",
        ),
        Valid(
            "from fastapi import HTTPException, status\n\n\ndef missing():\n"
            "    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n",
        ),
        Valid(
            "from fastapi import HTTPException\n\n\ndef fail(code: int):\n"
            "    raise HTTPException(status_code=code)\n",
            note="a variable status code",
        ),
        Valid(
            "class HTTPException(Exception):\n    def __init__(self, status_code):\n"
            "        self.status_code = status_code\n\n\ndef missing():\n"
            "    raise HTTPException(status_code=404)\n",
            note="a local class with the same name",
        ),
        Valid(
            "from http import HTTPStatus\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.post('/items', status_code=HTTPStatus.CREATED)\nasync def create():\n"
            "    return {}\n",
            note="already named",
        ),
        Valid(
            "from app.cache import cache\n\n\n@cache.get('/items', status_code=200)\n"
            "def items():\n    return []\n",
            note="not a FastAPI app or router",
        ),
        Valid(
            "import requests\n\n\ndef ok(url):\n    return requests.get(url).status_code == 200\n",
            note="comparing a client response's status",
        ),
        Valid(
            "from fastapi import HTTPException\n\n\nclass NotFound(HTTPException):\n"
            "    def __init__(self, detail):\n        super().__init__(status_code=self.code)\n\n\n"
            "def handler():\n    raise NotFound(404)\n",
            note="positional argument of a subclass with its own `__init__`",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        literal = self._status_literal(node, ctx)
        if literal is None or not isinstance(literal.value, int):
            return
        code = literal.value
        constant = status_constant(code)
        fixable = constant is not None and status_name_usable(ctx.scope)
        if constant is None:
            message = f"Bare status code `{code}` has no standard name; give it a named constant"
        else:
            message = f"Bare status code `{code}`; use `status.{constant}`"
        rng = ctx.range_of(literal)
        ctx.report(
            self,
            node,
            message,
            fixes=(USE_STATUS_CONSTANT,) if fixable else (),
            data={
                "constant": constant,
                "literal": [rng.start.line, rng.start.column, rng.end.line, rng.end.column],
            },
        )

    def fix_status_constant(self, request: FixRequest) -> list[TextEdit] | None:
        constant = request.finding.data.get("constant")
        where = request.finding.data.get("literal")
        if not isinstance(constant, str) or not isinstance(where, list) or len(where) != 4:
            return None
        rng = Range.of(*where)
        literal = request.node_at(rng, ast.Constant)
        if literal is None or not status_name_usable(request.scope_of(literal)):
            return None
        import_edit = ensure_import(request, "fastapi", "status")
        return [TextEdit(rng, f"status.{constant}"), *([import_edit] if import_edit else [])]

    def _status_literal(self, node: ast.Call, ctx: FileContext) -> ast.Constant | None:
        if not any(k.arg == "status_code" for k in node.keywords) and not any(
            _int_literal(arg) for arg in node.args[:2]
        ):
            return None
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in _ROUTE_CALLS
            and ctx.is_app_or_router(func.value)
        ):
            return _int_literal(_keyword(node, "status_code"))
        if isinstance(func, ast.Attribute) and func.attr == "__init__":
            return self._super_init_literal(node, ctx)
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        name = ctx.qualname(func)
        if name is None:
            return None
        keyword = _int_literal(_keyword(node, "status_code"))
        if ctx.resolver.is_subclass_of(name, HTTP_EXCEPTIONS):
            if keyword is None and node.args and self._takes_status_first(name, ctx):
                return _int_literal(node.args[0])
            return keyword
        if ctx.resolver.is_subclass_of(name, RESPONSE_CLASSES):
            if keyword is None and len(node.args) >= 2 and name in RESPONSE_CLASSES:
                return _int_literal(node.args[1])
            return keyword
        return None

    @staticmethod
    def _takes_status_first(name: str, ctx: FileContext) -> bool:
        """HTTPException itself, or a subclass that keeps its constructor."""
        if name in HTTP_EXCEPTIONS:
            return True
        local = ctx.resolver.local_definition(name)
        found = ctx.resolver.foreign_definition(name) if local is None else (ctx.resolver, local)
        if found is None or not isinstance(found[1], ast.ClassDef):
            return False
        return not any(
            isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__init__"
            for item in found[1].body
        )

    @staticmethod
    def _super_init_literal(node: ast.Call, ctx: FileContext) -> ast.Constant | None:
        """`super().__init__(404)` in a module-level `HTTPException` subclass."""
        func = node.func
        assert isinstance(func, ast.Attribute)
        receiver = func.value
        if not (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name)):
            return None
        frame = ctx.function
        if receiver.func.id != "super" or frame is None or len(ctx.parents) < 3:
            return None
        cls = ctx.parents[1]
        if not isinstance(cls, ast.ClassDef) or ctx.parents[2] is not frame.node:
            return None
        if ctx.qualname(receiver.func) != "builtins.super":
            return None
        scope = ctx.resolver.module_scope
        bases = [ctx.resolver.qualname(base, scope) for base in cls.bases]
        if not any(b and ctx.resolver.is_subclass_of(b, HTTP_EXCEPTIONS) for b in bases):
            return None
        keyword = _int_literal(_keyword(node, "status_code"))
        return keyword or (_int_literal(node.args[0]) if node.args else None)


def status_name_usable(scope: Scope) -> bool:
    """`status` at this point is the status module, or free for `from fastapi import status`."""
    bindings = scope.lookup("status")
    if bindings is None:
        return not scope.star_import_visible()
    return all(
        b.kind is BindingKind.IMPORT
        and b.qualname is not None
        and knowledge.canonical(b.qualname) == _STATUS_MODULE
        for b in bindings
    )


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _int_literal(expr: ast.expr | None) -> ast.Constant | None:
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return expr
    return None
