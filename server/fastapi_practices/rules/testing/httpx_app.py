"""FBP802: `httpx.AsyncClient(app=...)`, removed in httpx 0.28."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

USE_TRANSPORT = FixOption(
    "asgi-transport",
    "Pass the app through `transport=ASGITransport(app=...)`",
    Applicability.SAFE,
    is_preferred=True,
)
_TRANSPORT = "httpx.ASGITransport"
_NO_SPACE = cst.SimpleWhitespace("")

_FIXTURE = "import pytest\nfrom httpx import AsyncClient\n\nfrom app.main import app\n\n\n"


@register
class HttpxAppShortcut(Rule):
    code = "FBP802"
    name = "httpx-app-shortcut"
    severity = Severity.ERROR
    call_names = frozenset({"AsyncClient"})
    summary = "`httpx.AsyncClient(app=...)`: the `app` argument was removed in httpx 0.28."
    why = (
        "httpx 0.28 removed the `app=` shortcut, so `AsyncClient(app=app)` raises `TypeError` "
        "and every test using the client fails before it starts. The app has to be wrapped in "
        "an `ASGITransport`, which also works with every earlier httpx release that tests "
        "commonly run with."
    )
    recommended = (
        "import pytest\nfrom httpx import ASGITransport, AsyncClient\n\nfrom app.main import app"
        "\n\n\n@pytest.fixture\nasync def client():\n"
        "    transport = ASGITransport(app=app)\n"
        "    async with AsyncClient(transport=transport, base_url='http://test') as client:\n"
        "        yield client\n"
    )
    fix_summary = (
        "Rewrite `app=...` as `transport=ASGITransport(app=...)`, keeping the other arguments, "
        "and import `ASGITransport` when it is missing."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _FIXTURE + "@pytest.fixture\nasync def client():\n"
            "    async with AsyncClient(app=app, base_url='http://test') as ac:\n"
            "        yield ac\n",
            line=9,
            fixed="import pytest\nfrom httpx import AsyncClient\n\nfrom app.main import app\n"
            "from httpx import ASGITransport\n\n\n@pytest.fixture\nasync def client():\n"
            "    async with AsyncClient(transport=ASGITransport(app=app), "
            "base_url='http://test') as ac:\n        yield ac\n",
            path="tests/conftest.py",
        ),
        Invalid(
            "import httpx\n\nfrom app.main import app\n\n\nasync def test_root():\n"
            "    async with httpx.AsyncClient(base_url='http://t', app = app) as client:\n"
            "        assert (await client.get('/')).status_code == 200\n",
            line=7,
            fixed="import httpx\n\nfrom app.main import app\n\n\nasync def test_root():\n"
            "    async with httpx.AsyncClient(base_url='http://t', "
            "transport = httpx.ASGITransport(app=app)) as client:\n"
            "        assert (await client.get('/')).status_code == 200\n",
            path="tests/test_root.py",
            note="spelled `httpx.AsyncClient`",
        ),
        Invalid(
            "from httpx import ASGITransport, AsyncClient as Client\n\nfrom app.main import app\n"
            "\n\ndef make_client():\n    return Client(\n        base_url='http://test',\n"
            "        app=app,  # the ASGI app\n        timeout=5,\n    )\n",
            line=7,
            fixed="from httpx import ASGITransport, AsyncClient as Client\n\n"
            "from app.main import app\n\n\ndef make_client():\n    return Client(\n"
            "        base_url='http://test',\n"
            "        transport=ASGITransport(app=app),  # the ASGI app\n        timeout=5,\n"
            "    )\n",
            note="multi-line call, formatting and comment kept",
        ),
        Invalid(
            "from httpx import AsyncClient\n\n\ndef make_client(app, ASGITransport):\n"
            "    return AsyncClient(app=app)\n",
            line=5,
            note="`ASGITransport` is taken by a parameter: reported without a fix",
        ),
        Valid(
            "from httpx import ASGITransport, AsyncClient\n\nfrom app.main import app\n\n\n"
            "def make_client():\n"
            "    return AsyncClient(transport=ASGITransport(app=app), base_url='http://test')\n",
        ),
        Valid(
            "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n"
            "client = TestClient(app)\n",
        ),
        Valid(
            "from myclient import AsyncClient\n\nfrom app.main import app\n\n"
            "client = AsyncClient(app=app)\n",
            note="not httpx",
        ),
        Valid(
            "import httpx\n\n\nasync def fetch():\n"
            "    async with httpx.AsyncClient(base_url='http://api') as client:\n"
            "        return await client.get('/')\n",
            note="a real network client",
        ),
        Valid(
            "from httpx import AsyncClient\n\n\ndef make(AsyncClient, app):\n"
            "    return AsyncClient(app=app)\n",
            note="parameter shadows the import",
        ),
        Valid(
            "from httpx import ASGITransport\n\nfrom app.main import app\n\n"
            "transport = ASGITransport(app=app)\n",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        keywords = {k.arg for k in node.keywords}
        if "app" not in keywords or not isinstance(node.func, (ast.Name, ast.Attribute)):
            return
        if ctx.qualname(node.func) != "httpx.AsyncClient":
            return
        fixable = "transport" not in keywords and _transport_spelling_usable(node.func, ctx)
        ctx.report(
            self,
            node,
            "`AsyncClient(app=...)` was removed in httpx 0.28; "
            "use `AsyncClient(transport=ASGITransport(app=...))`",
            fixes=(USE_TRANSPORT,) if fixable else (),
        )

    def fix_asgi_transport(self, request: FixRequest) -> list[TextEdit] | None:
        call = request.finding_node(ast.Call)
        if not isinstance(call, ast.Call):
            return None
        import_edit = None
        if isinstance(call.func, ast.Name):
            if not _transport_name_usable(request.scope_of(call)):
                return None
            import_edit = ensure_import(request, "httpx", "ASGITransport")

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            transport: cst.BaseExpression = cst.Name("ASGITransport")
            if isinstance(expression.func, cst.Attribute):
                transport = expression.func.with_changes(attr=cst.Name("ASGITransport"))
            return expression.with_changes(
                args=[_wrap_app(arg, transport) for arg in expression.args]
            )

        edit = rewrite_expression(request, call, transform)
        if edit is None:
            return None
        return [edit, *([import_edit] if import_edit else [])]


def _wrap_app(arg: cst.Arg, transport: cst.BaseExpression) -> cst.Arg:
    if arg.keyword is None or arg.keyword.value != "app":
        return arg
    inner = cst.Arg(
        value=arg.value,
        keyword=cst.Name("app"),
        equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
    )
    return arg.with_changes(
        keyword=cst.Name("transport"), value=cst.Call(func=transport, args=[inner])
    )


def _transport_spelling_usable(func: ast.Name | ast.Attribute, ctx: FileContext) -> bool:
    """`httpx.AsyncClient` gets `httpx.ASGITransport`; a bare name needs a free import name."""
    if isinstance(func, ast.Attribute):
        return ctx.qualname(func.value) == "httpx"
    return _transport_name_usable(ctx.scope)


def _transport_name_usable(scope: Scope) -> bool:
    bindings = scope.lookup("ASGITransport")
    if bindings is None:
        return not scope.star_import_visible()
    return all(b.kind is BindingKind.IMPORT and b.qualname == _TRANSPORT for b in bindings)
