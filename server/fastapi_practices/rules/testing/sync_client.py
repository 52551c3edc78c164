"""FBP801: the synchronous `TestClient` drives an async app from a blocking test."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

TEST_CLIENT = "starlette.testclient.TestClient"


@register
class SyncTestClient(Rule):
    code = "FBP801"
    name = "sync-test-client"
    severity = Severity.INFO
    summary = "Tests build the synchronous `TestClient` instead of an async `httpx.AsyncClient`."
    why = (
        "`TestClient` runs the app in a separate event loop on another thread, so tests cannot "
        "share async resources with it: an async database session or fixture created in the "
        'test\'s loop breaks with "attached to a different loop" errors. An `AsyncClient` over '
        "`ASGITransport` runs in the test's own loop, and async tests can await everything "
        "else they need next to it."
    )
    recommended = (
        "import pytest\nfrom httpx import ASGITransport, AsyncClient\n\nfrom src.main import app"
        "\n\n\n@pytest.fixture\nasync def client():\n"
        "    transport = ASGITransport(app=app)\n"
        "    async with AsyncClient(transport=transport, base_url='http://test') as client:\n"
        "        yield client\n"
    )
    examples = (
        Invalid(
            "from fastapi.testclient import TestClient\n\nfrom src.main import app\n\n"
            "client = TestClient(app)\n\n\ndef test_health():\n"
            "    assert client.get('/health').status_code == 200\n",
            line=5,
            path="tests/test_health.py",
        ),
        Invalid(
            "import pytest\nfrom starlette.testclient import TestClient as Client\n\n"
            "from src.main import app\n\n\n@pytest.fixture\ndef client():\n"
            "    with Client(app) as c:\n        yield c\n",
            line=9,
            path="tests/conftest.py",
        ),
        Invalid(
            "import fastapi.testclient\n\nfrom src.main import app\n\n\ndef test_root():\n"
            "    response = fastapi.testclient.TestClient(app).get('/')\n"
            "    assert response.status_code == 200\n",
            line=7,
            path="tests/test_root.py",
        ),
        Valid(
            "from httpx import ASGITransport, AsyncClient\n\nfrom src.main import app\n\n"
            "client = AsyncClient(transport=ASGITransport(app=app), base_url='http://test')\n",
            path="tests/conftest.py",
        ),
        Valid(
            "from fastapi.testclient import TestClient\n\n\n"
            "def test_status(client: TestClient):\n"
            "    assert client.get('/').status_code == 200\n",
            path="tests/test_status.py",
            note="only an annotation; the fixture builds the client",
        ),
        Valid(
            "from myproject.testing import TestClient\n\nclient = TestClient()\n",
            path="tests/test_x.py",
            note="another TestClient",
        ),
        Valid(
            "from fastapi.testclient import TestClient\n\n\nclass TestClientTests:\n"
            "    def test_nothing(self):\n        assert TestClient\n",
            path="tests/test_y.py",
            note="referenced, not built",
        ),
        Valid(
            "from fastapi.testclient import TestClient\n\n\n"
            "def make(TestClient, app):\n    return TestClient(app)\n",
            path="tests/helpers.py",
            note="parameter shadows the import",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if not isinstance(func, (ast.Name, ast.Attribute)) or not _mentions_client(ctx):
            return
        if ctx.qualname(func) != TEST_CLIENT:
            return
        ctx.report(
            self,
            node,
            "`TestClient` is synchronous; use `httpx.AsyncClient` with `ASGITransport` in "
            "async tests",
        )


def _mentions_client(ctx: FileContext) -> bool:
    """Any spelling of the class, aliases included, names it somewhere in the text."""
    state = ctx.rule_state_for("testing.mentions_test_client")
    if "found" not in state:
        state["found"] = "TestClient" in ctx.text
    return bool(state["found"])
