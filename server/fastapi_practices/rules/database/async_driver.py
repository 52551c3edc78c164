"""FBP603: `create_async_engine()` given a URL whose driver is synchronous."""

from __future__ import annotations

import ast
import re

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid, terminal_names
from fastapi_practices.rules.registry import register

USE_ASYNC_DRIVER = FixOption(
    "async-driver",
    "Switch the URL to an async driver",
    Applicability.UNSAFE,
    is_preferred=True,
)
ASYNC_ENGINES = frozenset(
    {
        "sqlalchemy.ext.asyncio.create_async_engine",
        "sqlalchemy.ext.asyncio.engine.create_async_engine",
    }
)
# dialect -> (drivers that block, the async scheme to use instead)
_SYNC_DRIVERS: dict[str, tuple[frozenset[str | None], str]] = {
    "postgresql": (
        frozenset({None, "psycopg2", "psycopg2cffi", "pg8000", "pygresql"}),
        "postgresql+asyncpg",
    ),
    "postgres": (frozenset({None}), "postgresql+asyncpg"),
    "sqlite": (frozenset({None, "pysqlite"}), "sqlite+aiosqlite"),
    "mysql": (
        frozenset({None, "pymysql", "mysqldb", "mysqlconnector", "cymysql"}),
        "mysql+aiomysql",
    ),
}
_SCHEME = re.compile(r"([A-Za-z0-9_]+)(?:\+([A-Za-z0-9_]+))?://")

_IMPORT = "from sqlalchemy.ext.asyncio import create_async_engine\n\n"


def async_replacement(url: str) -> tuple[str, str] | None:
    """(the URL's scheme, the async scheme to use) when the URL names a blocking driver."""
    match = _SCHEME.match(url)
    if match is None:
        return None
    dialect, driver = match.group(1), match.group(2)
    known = _SYNC_DRIVERS.get(dialect)
    if known is None or driver not in known[0]:
        return None
    return match.group(0)[:-3], known[1]


@register
class SyncDriverInAsyncEngine(Rule):
    code = "FBP603"
    name = "sync-driver-in-async-engine"
    severity = Severity.ERROR
    call_names = terminal_names(ASYNC_ENGINES)
    summary = "`create_async_engine()` gets a database URL with a synchronous driver."
    why = (
        "An async engine needs an async DBAPI driver. `postgresql://` means psycopg2, "
        "`sqlite:///` means the standard `sqlite3` module and `mysql://` means mysqlclient, and "
        'SQLAlchemy refuses them: the first connection raises `InvalidRequestError` ("The '
        'asyncio extension requires an async driver"), so the app fails at its first query. '
        "Name the async driver in the URL: `postgresql+asyncpg://`, `sqlite+aiosqlite://`, "
        "`mysql+aiomysql://`."
    )
    recommended = _IMPORT + 'engine = create_async_engine("postgresql+asyncpg://app@db/shop")\n'
    fix_summary = (
        "Replace the scheme of a literal URL with its async driver (`postgresql+asyncpg://`, "
        "`sqlite+aiosqlite://`, `mysql+aiomysql://`). Unsafe: the driver package must be "
        "installed."
    )
    fix_applicability = Applicability.UNSAFE
    examples = (
        Invalid(
            _IMPORT + 'engine = create_async_engine("postgresql://app@db/shop", echo=True)\n',
            line=3,
            fixed=_IMPORT
            + 'engine = create_async_engine("postgresql+asyncpg://app@db/shop", echo=True)\n',
        ),
        Invalid(
            "from sqlalchemy.ext import asyncio as sa_async\n\n"
            "engine = sa_async.create_async_engine(url='sqlite:///./app.db')\n",
            line=3,
            fixed="from sqlalchemy.ext import asyncio as sa_async\n\n"
            "engine = sa_async.create_async_engine(url='sqlite+aiosqlite:///./app.db')\n",
        ),
        Invalid(
            _IMPORT
            + 'engine = create_async_engine(\n    "postgresql+psycopg2://app@db/shop",\n)\n',
            line=3,
            fixed=_IMPORT
            + 'engine = create_async_engine(\n    "postgresql+asyncpg://app@db/shop",\n)\n',
        ),
        Invalid(
            _IMPORT + 'engine = create_async_engine("mysql+pymysql://app@db/shop")\n',
            line=3,
            fixed=_IMPORT + 'engine = create_async_engine("mysql+aiomysql://app@db/shop")\n',
        ),
        Invalid(
            _IMPORT
            + "HOST = 'db'\nengine = create_async_engine(f'postgresql://app@{HOST}/shop')\n",
            line=4,
            note="an f-string whose literal start names the driver: reported without a fix",
        ),
        Invalid(
            _IMPORT + 'engine = create_async_engine("postgresql" "://app@db/shop")\n',
            line=3,
            note="the scheme is split over two literals: reported without a fix",
        ),
        Valid(_IMPORT + 'engine = create_async_engine("postgresql+asyncpg://app@db/shop")\n'),
        Valid(
            _IMPORT + 'engine = create_async_engine("postgresql+psycopg://app@db/shop")\n',
            note="psycopg 3 has an async mode",
        ),
        Valid(
            _IMPORT + "from app.config import settings\n\n"
            "engine = create_async_engine(settings.database_url)\n",
            note="a URL that is not a literal cannot be checked",
        ),
        Valid(
            'from sqlalchemy import create_engine\n\nengine = create_engine("sqlite:///app.db")\n',
            note="a sync engine may use a sync driver",
        ),
        Valid(
            "from app.db import create_async_engine\n\n"
            'engine = create_async_engine("postgresql://app@db/shop")\n',
            note="not SQLAlchemy's function",
        ),
        Valid(
            _IMPORT + "SCHEME = 'sqlite'\nengine = create_async_engine(f'{SCHEME}:///app.db')\n",
            note="the scheme itself is not literal",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        url = _url_argument(node)
        if url is None or ctx.qualname(node.func) not in ASYNC_ENGINES:
            return
        literal = url if isinstance(url, ast.Constant) else url.values[0]
        assert isinstance(literal, ast.Constant) and isinstance(literal.value, str)
        found = async_replacement(literal.value)
        if found is None:
            return
        scheme, replacement = found
        fixable = isinstance(url, ast.Constant) and (
            scheme_offset(ctx.lines.source_segment(ctx.range_of(url)), scheme) is not None
        )
        ctx.report(
            self,
            node,
            f"`create_async_engine()` needs an async driver, but `{scheme}://` is synchronous; "
            f"use `{replacement}://`",
            fixes=(USE_ASYNC_DRIVER,) if fixable else (),
            data={"scheme": scheme, "replacement": replacement},
        )

    def fix_async_driver(self, request: FixRequest) -> list[TextEdit] | None:
        call = request.finding_node(ast.Call)
        url = _url_argument(call) if isinstance(call, ast.Call) else None
        scheme = request.finding.data.get("scheme")
        replacement = request.finding.data.get("replacement")
        if not isinstance(url, ast.Constant) or not isinstance(scheme, str):
            return None
        if not isinstance(replacement, str):
            return None
        rng = request.lines.node_range(url)
        index = scheme_offset(request.segment(url), scheme)
        if index is None:
            return None
        start = Position(rng.start.line, rng.start.column + index)
        end = Position(start.line, start.column + len(scheme))
        return [TextEdit(Range(start, end), replacement)]


def scheme_offset(source: str, scheme: str) -> int | None:
    """Where `scheme://` starts in a literal's source, when it is written out on its first line."""
    index = source.find(f"{scheme}://")
    if index < 0 or "\n" in source[:index] or "\r" in source[:index]:
        return None
    return index


def _url_argument(call: ast.Call) -> ast.Constant | ast.JoinedStr | None:
    """The URL given to the call when it is a literal string or an f-string starting with one."""
    url: ast.expr | None = call.args[0] if call.args else None
    if url is None:
        url = next((k.value for k in call.keywords if k.arg == "url"), None)
    if isinstance(url, ast.Constant) and isinstance(url.value, str):
        return url
    if (
        isinstance(url, ast.JoinedStr)
        and url.values
        and isinstance(url.values[0], ast.Constant)
        and isinstance(url.values[0].value, str)
    ):
        return url
    return None
