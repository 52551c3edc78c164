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
from fastapi_practices.rules.api_design.project_statuses import ProjectStatuses
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
    qualname: str | None
    """Set for a module-level function: the index knows its dependencies."""
    router: str | None
    """The qualified name of the app or router the route is on, when known."""
    router_in_file: bool
    """Its `responses=` was read from its creation in this file."""
    raised: dict[int, None] = field(default_factory=dict)
    exceptions: dict[str, None] = field(default_factory=dict)


_ROUTER = "from fastapi import APIRouter, HTTPException, status\n\nrouter = APIRouter()\n\n\n"
_POSTS_ROUTER = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.dependencies import valid_post_id"
    "\n\nrouter = APIRouter(prefix='/posts')\n\n\n"
)
_GET_POST = (
    "async def get_post(post_id: int = Depends(valid_post_id)) -> dict[str, int]:\n"
    "    return {'id': post_id}\n"
)
_VALID_POST_ID = (
    "from fastapi import HTTPException\n\n\n"
    "async def valid_post_id(post_id: int) -> int:\n    if post_id < 1:\n"
    "        raise HTTPException(status_code=404)\n    return post_id\n"
)


def _posts(dependencies: str = _VALID_POST_ID, **others: str) -> dict[str, str]:
    """Example files: the `posts` domain's `dependencies.py` and any other module."""
    return {
        "src/__init__.py": "",
        "src/posts/__init__.py": "",
        "src/posts/dependencies.py": dependencies,
        **others,
    }


_MAIN = (
    "from fastapi import FastAPI\n\nfrom src.posts.router import router as posts_router\n\n"
    "app = FastAPI()\n"
)


@register
class UndocumentedStatusCode(Rule):
    code = "FBP704"
    name = "undocumented-status-code"
    severity = Severity.INFO
    needs_workspace_index = True
    summary = (
        "A path operation can answer with a status code (raised in its body or its dependencies) "
        "that no `responses=` documents."
    )
    why = (
        "The OpenAPI schema lists only the success response and 422 unless `responses=` says "
        "more. Clients generated from the schema, and people reading the docs, never learn "
        "that the operation can answer 404 or 409, so they do not handle it. Across the "
        "project, the statuses raised by the operation's dependencies (at any depth) count, as "
        "do the statuses that exception handlers give for domain exceptions; `responses=` on "
        "the router or at `include_router` documents them as well as the route's own."
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
        Invalid(
            _POSTS_ROUTER + "@router.get('/{post_id}')\n" + _GET_POST,
            line=9,
            fixed=_POSTS_ROUTER
            + "@router.get('/{post_id}', responses={404: {'description': 'Not Found'}})\n"
            + _GET_POST,
            path="src/posts/router.py",
            files=_posts(),
            note="raised by a dependency in `src/posts/dependencies.py`",
        ),
        Invalid(
            _POSTS_ROUTER + "@router.get('/{post_id}')\n" + _GET_POST,
            line=9,
            path="src/posts/router.py",
            files=_posts(
                "from src.posts.exceptions import PostLocked\n\n\n"
                "async def valid_post_id(post_id: int) -> int:\n"
                "    if post_id == 13:\n        raise PostLocked()\n    return post_id\n",
                **{
                    "src/posts/exceptions.py": "class PostLocked(Exception):\n    pass\n",
                    "src/main.py": "from fastapi import FastAPI, Request\n"
                    "from fastapi.responses import JSONResponse\n\n"
                    "from src.posts.exceptions import PostLocked\n\napp = FastAPI()\n\n\n"
                    "@app.exception_handler(PostLocked)\n"
                    "async def locked(request: Request, exc: PostLocked) -> JSONResponse:\n"
                    "    return JSONResponse(status_code=423, content={})\n",
                },
            ),
            note="a domain exception whose handler answers 423",
        ),
        Valid(
            _POSTS_ROUTER + "@router.get('/{post_id}')\n" + _GET_POST,
            path="src/posts/router.py",
            files=_posts(
                **{
                    "src/main.py": _MAIN + "app.include_router(\n    posts_router,\n"
                    "    responses={404: {'description': 'Not Found'}},\n)\n"
                }
            ),
            note="documented where `src/main.py` includes the router",
        ),
        Valid(
            _POSTS_ROUTER + "@router.get('/{post_id}')\n" + _GET_POST,
            path="src/posts/router.py",
            files=_posts(
                "from src.posts import service\n\n\n"
                "async def valid_post_id(post_id: int) -> int:\n"
                "    return await service.check(post_id)\n",
                **{
                    "src/posts/service.py": "from fastapi import HTTPException\n\n\n"
                    "async def check(post_id: int) -> int:\n"
                    "    raise HTTPException(status_code=404)\n"
                },
            ),
            note="raised by a service the dependency calls: plain calls are not followed",
        ),
        Valid(
            _POSTS_ROUTER + "@router.get('/{post_id}')\n" + _GET_POST,
            path="src/posts/router.py",
            files=_posts(
                **{"src/main.py": _MAIN + "app.include_router(posts_router, responses=COMMON)\n"}
            ),
            note="the include's `responses=` cannot be read",
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
        if frame is None or not frame.is_path_operation or node.exc is None:
            return
        operation = ctx.rule_state(self).get("operations", {}).get(id(frame.node))
        if operation is None:
            return
        call = node.exc if isinstance(node.exc, ast.Call) else None
        raised = call.func if call is not None else node.exc
        if not isinstance(raised, (ast.Name, ast.Attribute)):
            return
        name = ctx.qualname(raised)
        if name is None:
            return
        if name != HTTP_EXCEPTION:
            operation.exceptions[name] = None  # its handler's status, when the index knows it
            return
        if call is None:
            return
        found = keyword(call, "status_code")
        given = found.value if found else (call.args[0] if call.args else None)
        status = status_number(given, ctx)
        if status is not None:
            operation.raised[status] = None

    def finish(self, ctx: FileContext) -> None:
        operations: dict[int, _Operation] = ctx.rule_state(self).get("operations", {})
        project = ctx.project if operations else None
        statuses = ProjectStatuses(project) if project is not None else None
        for operation in operations.values():
            if statuses is not None:
                _add_project_statuses(operation, statuses)
            missing = sorted(
                code
                for code in operation.raised
                if code not in (_VALIDATION_ERROR, operation.own_status)
                and not operation.documented.covers(code)
                and not _documented_elsewhere(operation, code, statuses)
            )
            if not missing:
                continue
            listed = ", ".join(str(code) for code in missing)
            noun = "code" if len(missing) == 1 else "codes"
            ctx.report(
                self,
                ctx.def_range(operation.func),
                f"`{operation.func.name}` can answer with status {noun} {listed}, which "
                "`responses=` does not document",
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
    module_level = ctx.scope is ctx.resolver.module_scope
    qualname = f"{ctx.module_name}.{func.name}" if module_level else None
    router = _router_name(decorator.func.value, ctx)
    return _Operation(func, index, documented, own_status, qualname, router, readable)


def _router_name(receiver: ast.expr, ctx: FileContext) -> str | None:
    """The qualified name of the app or router in `@receiver.get(...)`: imported, or bound at
    module level in this file."""
    name = ctx.qualname(receiver)
    if name is not None:
        return name
    if not isinstance(receiver, ast.Name):
        return None
    module_scope = ctx.resolver.module_scope
    if ctx.scope.lookup(receiver.id) is not module_scope.bindings.get(receiver.id):
        return None
    return f"{ctx.module_name}.{receiver.id}"


def _add_project_statuses(operation: _Operation, statuses: ProjectStatuses) -> None:
    """What the operation's dependencies raise, and the handler statuses of the domain
    exceptions it (or they) raise."""
    router = statuses.project.canonical(operation.router) if operation.router else None
    raised, exceptions = statuses.dependency_statuses(operation.qualname, router)
    raised |= statuses.handled_statuses([*operation.exceptions, *exceptions])
    for code in sorted(raised):
        operation.raised.setdefault(code, None)


def _documented_elsewhere(
    operation: _Operation, code: int, statuses: ProjectStatuses | None
) -> bool:
    """Documented by the router when it is created in another file, or where it is included."""
    if statuses is None or operation.router is None:
        return False
    router = statuses.project.canonical(operation.router)
    if not operation.router_in_file and statuses.router_documentation(router).covers(code):
        return True
    return statuses.covered_by_includes(router, code)


def _entry(code: int, quote: str) -> cst.DictElement:
    phrase = reason_phrase(code)
    text_quote = quote if quote not in phrase else ('"' if quote == "'" else "'")
    description = f"{{{quote}description{quote}: {text_quote}{phrase}{text_quote}}}"
    return cst.DictElement(cst.Integer(str(code)), cst.parse_expression(description))
