"""FBP803: an `async def test_*` that pytest will not run as a coroutine."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.testing.paths import is_test_file

ADD_MARKER = FixOption(
    "asyncio-marker", "Mark the test with `@pytest.mark.asyncio`", Applicability.SAFE, True
)
ASYNC_MARKERS = frozenset({"pytest.mark.asyncio", "pytest.mark.anyio", "pytest.mark.trio"})
FIXTURES = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
_MARKER = "@pytest.mark.asyncio"


@register
class AsyncTestWithoutMarker(Rule):
    code = "FBP803"
    name = "async-test-without-marker"
    severity = Severity.WARNING
    summary = (
        "An `async def test_*` has no asyncio/anyio marker and the project is not in auto mode."
    )
    why = (
        "pytest cannot await a coroutine by itself. Without `@pytest.mark.asyncio` (or anyio's "
        'marker, or pytest-asyncio\'s `asyncio_mode = "auto"`), the test is skipped with a '
        "warning or fails, depending on the pytest version; very old versions even report it "
        "as passed without its body ever running. Either way its assertions prove nothing."
    )
    recommended = (
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_health(client):\n"
        "    response = await client.get('/health')\n    assert response.status_code == 200\n"
    )
    fix_summary = (
        "Add `@pytest.mark.asyncio` above the test (above its other decorators) and "
        "`import pytest` when it is missing."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "async def test_health(client):\n    response = await client.get('/health')\n"
            "    assert response.status_code == 200\n",
            line=1,
            fixed="import pytest\n\n\n@pytest.mark.asyncio\nasync def test_health(client):\n"
            "    response = await client.get('/health')\n"
            "    assert response.status_code == 200\n",
            path="tests/test_x.py",
        ),
        Invalid(
            "import pytest\n\n\nclass TestPosts:\n"
            "    @pytest.mark.parametrize('title', ['a', 'b'])\n"
            "    async def test_create(self, client, title):\n"
            "        assert (await client.post('/posts', json={'title': title})).is_success\n",
            line=6,
            fixed="import pytest\n\n\nclass TestPosts:\n    @pytest.mark.asyncio\n"
            "    @pytest.mark.parametrize('title', ['a', 'b'])\n"
            "    async def test_create(self, client, title):\n"
            "        assert (await client.post('/posts', json={'title': title})).is_success\n",
            path="tests/posts/test_router.py",
            note="a method of a test class, below another decorator",
        ),
        Invalid(
            '"""Checks."""\nimport pytest\n\npytestmark = pytest.mark.slow\n\n\n'
            "async def test_ping(client):\n    assert await client.get('/ping')\n",
            line=7,
            fixed='"""Checks."""\nimport pytest\n\npytestmark = pytest.mark.slow\n\n\n'
            "@pytest.mark.asyncio\nasync def test_ping(client):\n"
            "    assert await client.get('/ping')\n",
            path="tests/test_ping.py",
            note="a module mark that is not an async one",
        ),
        Invalid(
            "import pytest as pt\n\n\nasync def test_items(client):\n    assert client\n",
            line=4,
            fixed="import pytest as pt\nimport pytest\n\n\n@pytest.mark.asyncio\n"
            "async def test_items(client):\n    assert client\n",
            path="app/items_test.py",
        ),
        Valid(
            "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_health(client):\n"
            "    assert await client.get('/health')\n",
            path="tests/test_x.py",
        ),
        Valid(
            "import pytest\n\n\n@pytest.mark.anyio\nasync def test_health(client):\n"
            "    assert await client.get('/health')\n",
            path="tests/test_x.py",
            note="anyio's marker",
        ),
        Valid(
            "import pytest\n\npytestmark = [pytest.mark.slow, pytest.mark.asyncio]\n\n\n"
            "async def test_health(client):\n    assert await client.get('/health')\n",
            path="tests/test_x.py",
            note="module-level pytestmark",
        ),
        Valid(
            "import pytest\n\n\n@pytest.mark.anyio\nclass TestHealth:\n"
            "    async def test_health(self, client):\n        assert client\n",
            path="tests/test_x.py",
            note="marked on the class",
        ),
        Valid(
            "def test_health(client):\n    assert client.get('/health').status_code == 200\n",
            path="tests/test_x.py",
            note="a sync test",
        ),
        Valid(
            "import pytest\n\n\n@pytest.fixture\nasync def test_client():\n    yield 1\n",
            path="tests/conftest.py",
            note="a fixture named test_*",
        ),
        Valid(
            "async def test_connection():\n    return True\n",
            path="app/health.py",
            note="not a test file",
        ),
        Valid(
            "async def main():\n    async def test_inner():\n        pass\n",
            path="tests/test_x.py",
            note="nested function",
        ),
    )

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        if not node.name.startswith("test") or ctx.settings.pytest_asyncio_auto:
            return
        if not is_test_file(ctx.path, ctx.settings.root):
            return
        holder = _test_class(ctx)
        if holder is None:
            return
        resolver = ctx.resolver
        module = resolver.module_scope
        if _marked(node.decorator_list, resolver, module, {*ASYNC_MARKERS, *FIXTURES}):
            return
        if isinstance(holder, ast.ClassDef) and (
            _marked(holder.decorator_list, resolver, module, ASYNC_MARKERS)
            or _marked(_class_marks(holder), resolver, module, ASYNC_MARKERS)
        ):
            return
        if _marked(_module_marks(module), resolver, module, ASYNC_MARKERS):
            return
        ctx.report(
            self,
            ctx.def_range(node),
            f"`{node.name}` is async but has no `@pytest.mark.asyncio`/`anyio` marker, and "
            'the project does not set `asyncio_mode = "auto"`: pytest will not run it',
            fixes=(ADD_MARKER,) if _pytest_usable(ctx.scope) else (),
            data={"function": node.name},
        )

    def fix_asyncio_marker(self, request: FixRequest) -> list[TextEdit] | None:
        func = _function_at(request)
        if func is None:
            return None
        import_edit = ensure_import(request, "pytest")
        first = min([func.lineno, *(d.lineno for d in func.decorator_list)]) - 1
        def_line = request.lines.line_text(func.lineno - 1)
        indent = def_line[: len(def_line) - len(def_line.lstrip())]
        at = Position(first, 0)
        marker = f"{indent}{_MARKER}{request.newline}"
        if import_edit is not None and import_edit.range == Range(at, at):
            # The import lands right above the test: one edit keeps the order certain.
            spacing = request.newline * 2
            return [TextEdit(import_edit.range, import_edit.new_text + spacing + marker)]
        return [*([import_edit] if import_edit else []), TextEdit(Range(at, at), marker)]


def _test_class(ctx: FileContext) -> ast.Module | ast.ClassDef | None:
    """The module, or the module-level `Test*` class, directly holding the test function."""
    parents = ctx.parents
    holder = parents[-2] if len(parents) >= 2 else None
    if isinstance(holder, ast.Module):
        return holder
    if (
        isinstance(holder, ast.ClassDef)
        and holder.name.startswith("Test")
        and len(parents) >= 3
        and isinstance(parents[-3], ast.Module)
    ):
        return holder
    return None


def _marked(
    expressions: Iterable[ast.expr],
    resolver: Resolver,
    scope: Scope,
    wanted: set[str] | frozenset[str],
) -> bool:
    for expression in expressions:
        target = expression.func if isinstance(expression, ast.Call) else expression
        if (
            isinstance(target, (ast.Name, ast.Attribute))
            and resolver.qualname(target, scope) in wanted
        ):
            return True
    return False


def _marks_in(value: ast.expr | None) -> list[ast.expr]:
    if isinstance(value, (ast.List, ast.Tuple)):
        return list(value.elts)
    return [value] if value is not None else []


def _module_marks(module: Scope) -> list[ast.expr]:
    marks: list[ast.expr] = []
    for binding in module.bindings.get("pytestmark", ()):
        if binding.kind is BindingKind.ASSIGN:
            marks.extend(_marks_in(binding.value))
    return marks


def _class_marks(cls: ast.ClassDef) -> list[ast.expr]:
    marks: list[ast.expr] = []
    for statement in cls.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets):
            marks.extend(_marks_in(statement.value))
    return marks


def _pytest_usable(scope: Scope) -> bool:
    """`pytest` here is the pytest module, or free for `import pytest` at the top."""
    bindings = scope.lookup("pytest")
    if bindings is None:
        return not scope.star_import_visible()
    return all(b.kind is BindingKind.IMPORT and b.qualname == "pytest" for b in bindings)


def _function_at(request: FixRequest) -> ast.AsyncFunctionDef | None:
    start = request.finding.range.start
    line_text = request.lines.line_text(start.line)
    byte_col = len(line_text[: start.column].encode("utf-8"))
    for node in request.index.by_start.get((start.line + 1, byte_col), ()):
        if isinstance(node, ast.AsyncFunctionDef):
            return node if node.name == request.finding.data.get("function") else None
    return None
