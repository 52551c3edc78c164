"""FBP602: a blocking SQLAlchemy engine or session factory in an app whose operations are all
`async def`."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid, terminal_names
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.testing.paths import is_test_file
from fastapi_practices.workspace.index import WorkspaceIndex

ENGINE_FACTORIES = frozenset(
    {
        "sqlalchemy.create_engine",
        "sqlalchemy.engine.create_engine",
        "sqlalchemy.engine.create.create_engine",
        "sqlmodel.create_engine",
    }
)
SESSION_FACTORIES = frozenset({"sqlalchemy.orm.sessionmaker"})
# Where a blocking engine is expected: migrations and scripts run outside the event loop.
_OUTSIDE_THE_APP = frozenset({"migrations", "alembic", "scripts"})
_ALL_ASYNC = "all_async"

_MAIN = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/health')\n"
    "async def health() -> dict[str, str]:\n    return {'status': 'ok'}\n"
)
_ASYNC_APP = {"src/__init__.py": "", "src/main.py": _MAIN}
_ENGINE = "from sqlalchemy import create_engine\n\nengine = create_engine('sqlite:///shop.db')\n"


@register
class SyncEngineInAsyncApp(Rule):
    code = "FBP602"
    name = "sync-engine-in-async-app"
    severity = Severity.INFO
    needs_workspace_index = True
    call_names = terminal_names(ENGINE_FACTORIES | SESSION_FACTORIES)
    summary = (
        "`create_engine()` or `sessionmaker()` in a project whose path operations are all "
        "`async def`."
    )
    why = (
        "Every path operation of the project runs on the event loop, yet the database layer "
        "is built on blocking connections. Each query then either stalls the loop for all "
        "requests or has to be pushed to a thread. `create_async_engine()` with an async "
        "driver and `async_sessionmaker()` let the operations simply `await` their queries. "
        "The rule needs the whole project (its routes), so it is silent for a file judged alone."
    )
    recommended = (
        "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\n"
        "engine = create_async_engine('postgresql+asyncpg://shop@db/shop')\n"
        "SessionLocal = async_sessionmaker(engine, expire_on_commit=False)\n"
    )
    examples = (
        Invalid(_ENGINE, line=3, path="src/database.py", files=_ASYNC_APP),
        Invalid(
            "from sqlalchemy.orm import sessionmaker\n\nfrom src.engine import engine\n\n"
            "SessionLocal = sessionmaker(bind=engine, autoflush=False)\n",
            line=5,
            path="src/database.py",
            files={**_ASYNC_APP, "src/engine.py": "engine = None\n"},
            note="the session factory",
        ),
        Invalid(
            "import sqlalchemy as sa\n\n\ndef make_engine(url: str) -> sa.Engine:\n"
            "    return sa.create_engine(url, pool_pre_ping=True)\n",
            line=5,
            path="src/database.py",
            files=_ASYNC_APP,
            note="through a module alias, inside a factory",
        ),
        Valid(
            _ENGINE,
            path="src/database.py",
            files={
                **_ASYNC_APP,
                "src/reports.py": "from src.main import app\n\n\n@app.get('/report')\n"
                "def report() -> dict[str, int]:\n    return {}\n",
            },
            note="one path operation is a plain `def`: the app is not all async",
        ),
        Valid(
            _ENGINE,
            path="src/database.py",
            files={"src/__init__.py": "", "src/cli.py": "def main() -> None:\n    pass\n"},
            note="no path operation at all",
        ),
        Valid(
            "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\n"
            "engine = create_async_engine('sqlite+aiosqlite:///shop.db')\n"
            "SessionLocal = async_sessionmaker(engine)\n",
            path="src/database.py",
            files=_ASYNC_APP,
        ),
        Valid(
            "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n"
            "from sqlalchemy.orm import sessionmaker\n\n"
            "engine = create_async_engine('sqlite+aiosqlite:///shop.db')\n"
            "SessionLocal = sessionmaker(engine, class_=AsyncSession)\n",
            path="src/database.py",
            files=_ASYNC_APP,
            note="the 1.4 spelling of an async session factory",
        ),
        Valid(
            "from src.db_helpers import create_engine\n\nengine = create_engine('sqlite://')\n",
            path="src/database.py",
            files={**_ASYNC_APP, "src/db_helpers.py": "def create_engine(url):\n    return url\n"},
            note="a project function of the same name",
        ),
        Valid(
            "from sqlalchemy import create_engine\n\n\ndef run_migrations_online() -> None:\n"
            "    engine = create_engine('sqlite:///shop.db')\n    engine.dispose()\n",
            path="migrations/env.py",
            files=_ASYNC_APP,
            note="migrations run outside the event loop",
        ),
        Valid(
            _ENGINE + "\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\n"
            "async def root() -> dict[str, str]:\n    return {}\n",
            note="judged alone, without the project's routes: silent",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not isinstance(node.func, (ast.Name, ast.Attribute)):
            return
        name = ctx.qualname(node.func)
        if name in SESSION_FACTORIES:
            if any(k.arg in ("class_", None) for k in node.keywords):
                return  # `class_=AsyncSession` (or hidden in **kwargs)
        elif name not in ENGINE_FACTORIES:
            return
        if _outside_the_app(ctx):
            return
        project = ctx.project
        if project is None or not _all_async(self, project, ctx):
            return
        called = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        ctx.report(self, node, _message(name in ENGINE_FACTORIES, called))


def _message(engine: bool, called: str) -> str:
    made = "a blocking engine" if engine else "blocking sessions"
    instead = "`create_async_engine()`" if engine else "`async_sessionmaker()`"
    return (
        f"`{called}()` makes {made}, but every path operation of the project is `async def`; "
        f"use {instead}"
    )


def _outside_the_app(ctx: FileContext) -> bool:
    path = ctx.path
    if path is None:
        return False
    if is_test_file(path, ctx.settings.root):
        return True
    root = ctx.settings.root
    parts = path.parts
    if root is not None and path.is_absolute() and path.is_relative_to(root):
        parts = path.relative_to(root).parts
    return any(part in _OUTSIDE_THE_APP for part in parts[:-1])


def _all_async(rule: Rule, project: WorkspaceIndex, ctx: FileContext) -> bool:
    """At least one path operation in the project, and every one of them `async def`."""
    state = ctx.rule_state(rule)
    answer = state.get(_ALL_ASYNC)
    if answer is None:
        routes = project.routes()
        answer = bool(routes)
        for route in routes:
            function = project.function(route.function)
            if function is None or not function.is_async:
                answer = False
                break
        state[_ALL_ASYNC] = answer
    return bool(answer)
