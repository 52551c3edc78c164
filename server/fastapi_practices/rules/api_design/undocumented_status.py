"""FBP704: a path operation raises a status code its `responses=` does not document."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.api_design.arguments import (
    keyword_argument,
    with_argument,
    with_entries,
)
from fastapi_practices.rules.api_design.routes import (
    DocumentedStatuses,
    function_at,
    has_unpacked_arguments,
    keyword,
    preferred_quote,
    reason_phrase,
    route_decorators,
    router_responses,
    status_number,
)
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

DOCUMENT_STATUSES = FixOption(
    "document-statuses",
    "Document the raised status codes in `responses=`",
    Applicability.SAFE,
    is_preferred=True,
)
HTTP_EXCEPTION = "fastapi.HTTPException"
_VALIDATION_ERROR = 422


@dataclass
class _Operation:
    func: FunctionNode
    decorator_index: int
    documented: DocumentedStatuses
    own_status: int | None
    raised: dict[int, None] = field(default_factory=dict)


_ROUTER = "from fastapi import APIRouter, HTTPException, status\n\nrouter = APIRouter()\n\n\n"


@register
class UndocumentedStatusCode(Rule):
    code = "FBP704"
    name = "undocumented-status-code"
    severity = Severity.INFO
    summary = "A path operation raises a status code that its `responses=` does not document."
    why = (
        "The OpenAPI schema lists only the success response and 422 unless `responses=` says "
        "more. Clients generated from the schema, and people reading the docs, never learn "
        "that the operation can answer 404 or 409, so they do not handle it."
    )
    recommended = (
        _ROUTER + "@router.get('/posts/{post_id}', responses={404: {'description': 'Not Found'}})"
        "\nasync def get_post(post_id: int) -> dict[str, int]:\n    if post_id < 1:\n"
        "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
        "    return {'id': post_id}\n"
    )
    fix_summary = (
        "Add an entry with the standard reason phrase for every missing code, to the literal "
        "`responses={...}` of the route decorator or as a new `responses=` argument."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _ROUTER + "@router.get('/posts/{post_id}')\n"
            "async def get_post(post_id: int) -> dict[str, int]:\n    if post_id < 1:\n"
            "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
            "    return {'id': post_id}\n",
            line=7,
            fixed=_ROUTER + "@router.get('/posts/{post_id}', "
            "responses={404: {'description': 'Not Found'}})\n"
            "async def get_post(post_id: int) -> dict[str, int]:\n    if post_id < 1:\n"
            "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
            "    return {'id': post_id}\n",
        ),
        Invalid(
            _ROUTER + '@router.post(\n    "/posts",\n    responses={\n'
            '        404: {"description": "Not Found"},\n    },\n)\n'
            "async def create_post(title: str) -> dict[str, str]:\n    if not title:\n"
            "        raise HTTPException(400, 'empty title')\n    if title == 'x':\n"
            "        raise HTTPException(status.HTTP_409_CONFLICT)\n"
            "    raise HTTPException(status_code=404)\n",
            line=12,
            fixed=_ROUTER + '@router.post(\n    "/posts",\n    responses={\n'
            '        404: {"description": "Not Found"},\n'
            '        400: {"description": "Bad Request"},\n'
            '        409: {"description": "Conflict"},\n    },\n)\n'
            "async def create_post(title: str) -> dict[str, str]:\n    if not title:\n"
            "        raise HTTPException(400, 'empty title')\n    if title == 'x':\n"
            "        raise HTTPException(status.HTTP_409_CONFLICT)\n"
            "    raise HTTPException(status_code=404)\n",
            note="merged into an existing literal, one finding for both codes",
        ),
        Invalid(
            "from http import HTTPStatus\n\nfrom fastapi import FastAPI, HTTPException\n\n"
            "app = FastAPI()\n\n\n@app.delete('/items/{item_id}', status_code=204)\n"
            "def delete_item(item_id: int) -> None:\n"
            "    raise HTTPException(status_code=HTTPStatus.GONE)\n",
            line=9,
            fixed="from http import HTTPStatus\n\nfrom fastapi import FastAPI, HTTPException\n\n"
            "app = FastAPI()\n\n\n@app.delete('/items/{item_id}', status_code=204, "
            "responses={410: {'description': 'Gone'}})\n"
            "def delete_item(item_id: int) -> None:\n"
            "    raise HTTPException(status_code=HTTPStatus.GONE)\n",
            note="an `HTTPStatus` member",
        ),
        Valid(
            _ROUTER + "@router.get('/p/{pid}', responses={404: {'description': 'Missing'}})\n"
            "async def get_p(pid: int) -> dict[str, int]:\n"
            "    raise HTTPException(status_code=404)\n",
        ),
        Valid(
            _ROUTER + "COMMON = {404: {'description': 'Missing'}}\n\n\n"
            "@router.get('/p/{pid}', responses=COMMON)\nasync def get_p(pid: int) -> dict:\n"
            "    raise HTTPException(status_code=409)\n",
            note="`responses=` built elsewhere cannot be checked",
        ),
        Valid(
            _ROUTER + "@router.get('/p/{pid}', responses={**COMMON})\n"
            "async def get_p(pid: int) -> dict:\n    raise HTTPException(status_code=409)\n",
            note="built dynamically",
        ),
        Valid(
            _ROUTER + "@router.post('/p')\nasync def make(body: dict) -> dict:\n"
            "    raise HTTPException(status_code=422)\n",
            note="422 is documented automatically",
        ),
        Valid(
            _ROUTER + "@router.get('/p')\nasync def read(pid: int) -> dict:\n"
            "    def check():\n        raise HTTPException(status_code=404)\n"
            "    return check()\n",
            note="raised by a helper, not by the operation's own body",
        ),
        Valid(
            "from fastapi import APIRouter, HTTPException\n\n"
            "router = APIRouter(responses={'4XX': {'description': 'Client error'}})\n\n\n"
            "@router.get('/p')\nasync def read(pid: int) -> dict:\n"
            "    raise HTTPException(status_code=404)\n",
            note="documented on the router, as a class of codes",
        ),
        Valid(
            _ROUTER + "@router.get('/p')\nasync def read(code: int) -> dict:\n"
            "    raise HTTPException(status_code=code)\n",
            note="a status only known at run time",
        ),
        Valid(
            "from app.errors import HTTPException\nfrom fastapi import FastAPI\n\napp = FastAPI()"
            "\n\n\n@app.get('/p')\nasync def read() -> dict:\n"
            "    raise HTTPException(status_code=404)\n",
            note="not FastAPI's HTTPException",
        ),
    )

    def visit_FunctionDef(self, node: FunctionNode, ctx: FileContext) -> None:
        if not node.decorator_list:
            return
        decorators = route_decorators(node, ctx)
        if not decorators:
            return
        index, decorator = decorators[0]
        operation = _operation(node, index, decorator, ctx)
        if operation is not None:
            ctx.rule_state(self).setdefault("operations", {})[id(node)] = operation

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Raise(self, node: ast.Raise, ctx: FileContext) -> None:
        frame = ctx.function
        if frame is None or not frame.is_path_operation or not isinstance(node.exc, ast.Call):
            return
        operation = ctx.rule_state(self).get("operations", {}).get(id(frame.node))
        if operation is None:
            return
        call = node.exc
        if not isinstance(call.func, (ast.Name, ast.Attribute)):
            return
        if ctx.qualname(call.func) != HTTP_EXCEPTION:
            return
        found = keyword(call, "status_code")
        given = found.value if found else (call.args[0] if call.args else None)
        status = status_number(given, ctx)
        if status is not None:
            operation.raised[status] = None

    def finish(self, ctx: FileContext) -> None:
        operations: dict[int, _Operation] = ctx.rule_state(self).get("operations", {})
        for operation in operations.values():
            missing = sorted(
                code
                for code in operation.raised
                if code not in (_VALIDATION_ERROR, operation.own_status)
                and not operation.documented.covers(code)
            )
            if not missing:
                continue
            listed = ", ".join(str(code) for code in missing)
            noun = "code" if len(missing) == 1 else "codes"
            ctx.report(
                self,
                ctx.def_range(operation.func),
                f"`{operation.func.name}` raises status {noun} {listed} that `responses=` "
                "does not document",
                fixes=(DOCUMENT_STATUSES,),
                data={
                    "function": operation.func.name,
                    "codes": missing,
                    "decorator": operation.decorator_index,
                },
            )

    def fix_document_statuses(self, request: FixRequest) -> list[TextEdit] | None:
        codes = request.finding.data.get("codes")
        index = request.finding.data.get("decorator")
        func = function_at(request)
        if func is None or not isinstance(codes, list) or not isinstance(index, int):
            return None
        if index >= len(func.decorator_list):
            return None
        decorator = func.decorator_list[index]
        if not isinstance(decorator, ast.Call):
            return None
        existing = keyword(decorator, "responses")
        if existing is not None and not isinstance(existing.value, ast.Dict):
            return None
        quote = preferred_quote(request, decorator)
        entries = [_entry(int(code), quote) for code in codes]

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            args = list(expression.args)
            for position, arg in enumerate(args):
                if arg.keyword is not None and arg.keyword.value == "responses":
                    assert isinstance(arg.value, cst.Dict)
                    args[position] = arg.with_changes(value=with_entries(arg.value, entries))
                    return expression.with_changes(args=args)
            return with_argument(
                expression, keyword_argument("responses", cst.Dict(elements=entries))
            )

        edit = rewrite_expression(request, decorator, transform)
        return [edit] if edit is not None else None


def _operation(
    func: FunctionNode, index: int, decorator: ast.Call, ctx: FileContext
) -> _Operation | None:
    """What the decorator documents, or None when that cannot be read."""
    assert isinstance(decorator.func, ast.Attribute)
    if decorator.func.attr == "websocket" or has_unpacked_arguments(decorator):
        return None
    documented = DocumentedStatuses()
    responses = keyword(decorator, "responses")
    if responses is not None and not documented.add_literal(responses.value, ctx):
        return None
    readable, router_level = router_responses(decorator, ctx)
    if readable and router_level is not None and not documented.add_literal(router_level, ctx):
        return None
    status = keyword(decorator, "status_code")
    own_status = status_number(status.value, ctx) if status is not None else None
    return _Operation(func, index, documented, own_status)


def _entry(code: int, quote: str) -> cst.DictElement:
    phrase = reason_phrase(code)
    text_quote = quote if quote not in phrase else ('"' if quote == "'" else "'")
    description = f"{{{quote}description{quote}: {text_quote}{phrase}{text_quote}}}"
    return cst.DictElement(cst.Integer(str(code)), cst.parse_expression(description))
