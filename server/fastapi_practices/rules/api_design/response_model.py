"""FBP703: a path operation that declares neither `response_model=` nor a return annotation."""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, Severity, TextEdit
from fastapi_practices.rules.api_design.routes import (
    function_at,
    has_unpacked_arguments,
    keyword,
    route_decorators,
    status_number,
)
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.errors.bare_status_code import RESPONSE_CLASSES
from fastapi_practices.rules.registry import register

ADD_RETURN_ANNOTATION = FixOption(
    "return-annotation",
    "Annotate the return type with the returned model",
    Applicability.UNSAFE,
    is_preferred=True,
)
PYDANTIC_MODELS = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})
TEMPLATES = frozenset(
    {"fastapi.templating.Jinja2Templates", "starlette.templating.Jinja2Templates"}
)
_EXEMPTING_KEYWORDS = ("response_model", "response_class")
_NO_CONTENT = 204

_RESPONSE, _MODEL, _OTHER = "response", "model", "other"


@dataclass
class _Returned:
    kind: str
    model: str | None = None
    spelling: ast.expr | None = None


@dataclass
class _Operation:
    func: FunctionNode
    outer: Scope
    returns: list[_Returned] = field(default_factory=list)


_APP = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
_MODELS = (
    "from fastapi import APIRouter\nfrom pydantic import BaseModel\n\nrouter = APIRouter()\n\n\n"
    "class Item(BaseModel):\n    id: int\n\n\n"
)


@register
class MissingResponseModel(Rule):
    code = "FBP703"
    name = "missing-response-model"
    severity = Severity.WARNING
    summary = "A path operation declares neither `response_model=` nor a return annotation."
    why = (
        "FastAPI uses the response model to validate and filter what leaves the API and to "
        "describe the response in the OpenAPI schema. Without one, whatever the function "
        "returns is serialised as is: internal fields can leak, a wrong shape reaches clients "
        "unnoticed, and the docs show an empty response."
    )
    recommended = _MODELS + "@router.get('/items/{item_id}')\n"
    recommended += "async def get_item(item_id: int) -> Item:\n    return Item(id=item_id)\n"
    fix_summary = (
        "When every `return` builds the same pydantic model, annotate the function's return "
        "type with it. Unsafe: FastAPI then validates the response against that model."
    )
    fix_applicability = Applicability.UNSAFE
    examples = (
        Invalid(
            _MODELS + "@router.get('/items/{item_id}')\nasync def get_item(item_id: int):\n"
            "    return Item(id=item_id)\n",
            line=12,
            fixed=_MODELS + "@router.get('/items/{item_id}')\n"
            "async def get_item(item_id: int) -> Item:\n    return Item(id=item_id)\n",
        ),
        Invalid(
            _APP + "@app.get('/health')\ndef health():\n    return {'status': 'ok'}\n",
            line=7,
            note="a dict: no model to suggest, no fix",
        ),
        Invalid(
            _MODELS + "@router.post(\n    '/items',\n)\nasync def create_item(\n"
            "    item_id: int,  # the id (int)\n    name: str = ')',\n):\n"
            "    if item_id < 0:\n        return Item(id=0)\n    return Item(id=item_id)\n",
            line=14,
            fixed=_MODELS + "@router.post(\n    '/items',\n)\nasync def create_item(\n"
            "    item_id: int,  # the id (int)\n    name: str = ')',\n) -> Item:\n"
            "    if item_id < 0:\n        return Item(id=0)\n    return Item(id=item_id)\n",
            note="multi-line signature with parentheses in a comment and a default",
        ),
        Invalid(
            _APP + "@app.delete('/items/{item_id}')\nasync def delete_item(item_id: int):\n"
            "    print(item_id)\n",
            line=7,
            note="returns nothing but does not say so (`-> None` or `status_code=204`)",
        ),
        Valid(
            _MODELS + "class PublicItem(BaseModel):\n    id: int\n\n\n"
            "@router.get('/items/{item_id}', response_model=PublicItem)\n"
            "async def get_item(item_id: int) -> Item:\n    return Item(id=item_id)\n",
            note="a response model deliberately different from the return annotation",
        ),
        Valid(
            "from fastapi import FastAPI\nfrom fastapi.responses import StreamingResponse\n\n"
            "app = FastAPI()\n\n\n@app.get('/export')\nasync def export():\n"
            "    return StreamingResponse(iter([b'a']), media_type='text/csv')\n",
            note="returns a Response class",
        ),
        Valid(
            "from fastapi import FastAPI, Response, status\n\napp = FastAPI()\n\n\n"
            "@app.delete('/items/{item_id}', status_code=status.HTTP_204_NO_CONTENT)\n"
            "async def delete_item(item_id: int):\n    print(item_id)\n",
            note="204 has no body",
        ),
        Valid(
            "from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\n\n"
            "app = FastAPI()\n\n\n@app.get('/', response_class=HTMLResponse)\n"
            "async def index():\n    return '<h1>hi</h1>'\n",
        ),
        Valid(
            _APP + "@app.get('/raw', response_model=None)\nasync def raw():\n    return {'a': 1}\n",
            note="explicitly opted out",
        ),
        Valid(
            _APP + "@app.websocket('/ws')\nasync def ws(socket):\n    await socket.accept()\n",
        ),
        Valid(
            "from fastapi import FastAPI, Response\n\napp = FastAPI()\n\n\n@app.get('/ping')\n"
            "async def ping() -> Response:\n    return Response('pong')\n",
        ),
        Valid(
            "from app.cache import cache\n\n\n@cache.get('/items')\ndef items():\n    return []\n",
            note="not a FastAPI app or router",
        ),
        Valid(
            _APP + "def helper():\n    return {'a': 1}\n",
            note="not a path operation",
        ),
    )

    def visit_FunctionDef(self, node: FunctionNode, ctx: FileContext) -> None:
        if node.returns is not None or not node.decorator_list:
            return
        decorators = route_decorators(node, ctx)
        if not decorators or any(_exempt(d, ctx) for _, d in decorators):
            return
        operations = ctx.rule_state(self).setdefault("operations", {})
        operations[id(node)] = _Operation(node, ctx.scope)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Return(self, node: ast.Return, ctx: FileContext) -> None:
        frame = ctx.function
        if frame is None or not frame.is_path_operation:
            return
        operation = ctx.rule_state(self).get("operations", {}).get(id(frame.node))
        if operation is not None:
            operation.returns.append(_classify(node.value, ctx))

    def finish(self, ctx: FileContext) -> None:
        operations: dict[int, _Operation] = ctx.rule_state(self).get("operations", {})
        for operation in operations.values():
            returns = operation.returns
            if returns and all(r.kind == _RESPONSE for r in returns):
                continue
            annotation = _model_annotation(operation, ctx)
            name = operation.func.name
            ctx.report(
                self,
                ctx.def_range(operation.func),
                f"`{name}` declares no response model; add a return annotation or "
                "`response_model=` so the response is validated and documented",
                fixes=(ADD_RETURN_ANNOTATION,) if annotation else (),
                data={"function": name, "annotation": annotation} if annotation else {},
            )

    def fix_return_annotation(self, request: FixRequest) -> list[TextEdit] | None:
        annotation = request.finding.data.get("annotation")
        func = function_at(request)
        if not isinstance(annotation, str) or func is None or func.returns is not None:
            return None
        end = _parameters_end(request, func)
        if end is None:
            return None
        return [TextEdit(Range(end, end), f" -> {annotation}")]


def _exempt(decorator: ast.Call, ctx: FileContext) -> bool:
    assert isinstance(decorator.func, ast.Attribute)
    if decorator.func.attr == "websocket" or has_unpacked_arguments(decorator):
        return True
    if any(keyword(decorator, name) is not None for name in _EXEMPTING_KEYWORDS):
        return True
    status = keyword(decorator, "status_code")
    return status is not None and status_number(status.value, ctx) == _NO_CONTENT


def _classify(value: ast.expr | None, ctx: FileContext) -> _Returned:
    if isinstance(value, ast.Call):
        func = value.func
        name = ctx.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if name is not None and ctx.resolver.is_subclass_of(name, RESPONSE_CLASSES):
            return _Returned(_RESPONSE)
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "TemplateResponse"
            and ctx.instance_type(func.value) in TEMPLATES
        ):
            return _Returned(_RESPONSE)
        if name is not None and ctx.resolver.is_subclass_of(name, PYDANTIC_MODELS):
            return _Returned(_MODEL, name, func)
    elif isinstance(value, ast.Name):
        kind = ctx.instance_type(value)
        if kind is not None and ctx.resolver.is_subclass_of(kind, RESPONSE_CLASSES):
            return _Returned(_RESPONSE)
    return _Returned(_OTHER)


def _model_annotation(operation: _Operation, ctx: FileContext) -> str | None:
    """The spelling of the one model every `return` builds, if it means the same at the def."""
    returns = operation.returns
    if not returns or any(r.kind != _MODEL for r in returns):
        return None
    models = {r.model for r in returns}
    spelling = returns[0].spelling
    if len(models) != 1 or spelling is None:
        return None
    if ctx.resolver.qualname(spelling, operation.outer) != returns[0].model:
        return None
    return ast.unparse(spelling)


def _parameters_end(request: FixRequest, func: FunctionNode) -> Position | None:
    """Where the parameter list's closing parenthesis ends."""
    start = request.lines.position(func.lineno, func.col_offset)
    body = func.body[0]
    stop = request.lines.position(body.lineno, body.col_offset)
    source = request.text[request.lines.offset(start) : request.lines.offset(stop)]
    depth = 0
    opened = False
    named = False
    try:
        # newline="": lines end where Python's do (also at a lone CR), so rows match ours.
        for token in tokenize.generate_tokens(io.StringIO(source, newline="").readline):
            if not named:
                named = token.type == tokenize.NAME and token.string == func.name
                continue
            if token.type != tokenize.OP:
                continue
            if token.string in "([{":
                opened = opened or (depth == 0 and token.string == "(")
                depth += 1
            elif token.string in ")]}":
                depth -= 1
                if depth == 0 and opened and token.string == ")":
                    row, col = token.end
                    if row == 1:
                        return Position(start.line, start.column + col)
                    return Position(start.line + row - 1, col)
    except (tokenize.TokenError, SyntaxError):
        return None
    return None
