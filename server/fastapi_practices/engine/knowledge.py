"""Facts about third-party APIs that the type tracer needs: aliases, factories, results."""

from __future__ import annotations

import http
import re

# Public re-exports and private homes that mean the same class or function.
CANONICAL: dict[str, str] = {
    "fastapi.applications.FastAPI": "fastapi.FastAPI",
    "fastapi.routing.APIRouter": "fastapi.APIRouter",
    "fastapi.param_functions.Depends": "fastapi.Depends",
    "fastapi.params.Depends": "fastapi.Depends",
    "fastapi.param_functions.Security": "fastapi.Security",
    "fastapi.params.Security": "fastapi.Security",
    "fastapi.exceptions.HTTPException": "fastapi.HTTPException",
    "starlette.exceptions.HTTPException": "fastapi.HTTPException",
    "fastapi.datastructures.UploadFile": "fastapi.UploadFile",
    "starlette.datastructures.UploadFile": "fastapi.UploadFile",
    "fastapi.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "starlette.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "starlette.concurrency.run_in_threadpool": "fastapi.concurrency.run_in_threadpool",
    "fastapi.testclient.TestClient": "starlette.testclient.TestClient",
    "fastapi.status": "starlette.status",
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.sessionmaker": "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.orm.scoping.scoped_session": "sqlalchemy.orm.scoped_session",
    "sqlalchemy.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": (
        "sqlalchemy.ext.asyncio.async_sessionmaker"
    ),
    "sqlmodel.Session": "sqlalchemy.orm.Session",
    "sqlmodel.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlmodel.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "pathlib.PurePath": "pathlib.PurePath",
    "httpx._client.Client": "httpx.Client",
    "httpx._client.AsyncClient": "httpx.AsyncClient",
    "redis.client.Redis": "redis.Redis",
    "redis.StrictRedis": "redis.Redis",
    "redis.client.StrictRedis": "redis.Redis",
    "requests.sessions.Session": "requests.Session",
    "requests.session": "requests.Session",
    "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
    "boto3.Session": "boto3.session.Session",
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
}

# Calls that are not classes but produce an instance of a known type.
FACTORY_RESULTS: dict[str, str] = {
    "boto3.client": "botocore.client.BaseClient",
    "boto3.resource": "boto3.resources.base.ServiceResource",
    "boto3.session.Session.client": "botocore.client.BaseClient",
    "sqlite3.connect": "sqlite3.Connection",
    "psycopg2.connect": "psycopg2.extensions.connection",
    "pymysql.connect": "pymysql.connections.Connection",
    "pymysql.Connect": "pymysql.connections.Connection",
    "pymysql.connections.Connection": "pymysql.connections.Connection",
    "redis.from_url": "redis.Redis",
    "redis.Redis.from_url": "redis.Redis",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
    "builtins.open": "io.IOBase",
    "pathlib.Path.open": "io.IOBase",
    "pathlib.Path.home": "pathlib.Path",
    "pathlib.Path.cwd": "pathlib.Path",
    "botocore.session.get_session": "botocore.session.Session",
    "PIL.Image.open": "PIL.Image.Image",
    "PIL.Image.new": "PIL.Image.Image",
}

# (receiver type, method or "__call__") -> result type.
METHOD_RESULTS: dict[tuple[str, str], str] = {
    ("sqlalchemy.orm.sessionmaker", "__call__"): "sqlalchemy.orm.Session",
    ("sqlalchemy.orm.sessionmaker", "begin"): "sqlalchemy.orm.Session",
    ("sqlalchemy.orm.scoped_session", "__call__"): "sqlalchemy.orm.Session",
    (
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "__call__",
    ): "sqlalchemy.ext.asyncio.AsyncSession",
    ("sqlite3.Connection", "cursor"): "sqlite3.Cursor",
    ("sqlite3.Connection", "execute"): "sqlite3.Cursor",
    ("psycopg2.extensions.connection", "cursor"): "psycopg2.extensions.cursor",
    ("pymysql.connections.Connection", "cursor"): "pymysql.cursors.Cursor",
    ("pymongo.MongoClient", "get_database"): "pymongo.database.Database",
    ("pymongo.MongoClient", "__getitem__"): "pymongo.database.Database",
    ("pymongo.MongoClient", "__getattr__"): "pymongo.database.Database",
    ("pymongo.database.Database", "get_collection"): "pymongo.collection.Collection",
    ("pymongo.database.Database", "__getitem__"): "pymongo.collection.Collection",
    ("pymongo.database.Database", "__getattr__"): "pymongo.collection.Collection",
    ("pathlib.Path", "__truediv__"): "pathlib.Path",
    ("pathlib.Path", "joinpath"): "pathlib.Path",
    ("pathlib.Path", "with_suffix"): "pathlib.Path",
    ("pathlib.Path", "with_name"): "pathlib.Path",
    ("pathlib.Path", "resolve"): "pathlib.Path",
    ("pathlib.Path", "absolute"): "pathlib.Path",
    ("pathlib.Path", "expanduser"): "pathlib.Path",
    ("pathlib.Path", "open"): "io.IOBase",
    ("requests.Session", "__enter__"): "requests.Session",
    ("boto3.session.Session", "client"): "botocore.client.BaseClient",
    ("botocore.session.Session", "create_client"): "botocore.client.BaseClient",
    ("redis.Redis", "pipeline"): "redis.client.Pipeline",
    ("redis.Redis", "pubsub"): "redis.client.PubSub",
    ("asyncio.AbstractEventLoop", "__enter__"): "asyncio.AbstractEventLoop",
    ("PIL.Image.Image", "__enter__"): "PIL.Image.Image",
    ("PIL.Image.Image", "resize"): "PIL.Image.Image",
    ("PIL.Image.Image", "rotate"): "PIL.Image.Image",
    ("PIL.Image.Image", "convert"): "PIL.Image.Image",
    ("PIL.Image.Image", "filter"): "PIL.Image.Image",
    ("PIL.Image.Image", "crop"): "PIL.Image.Image",
    ("PIL.Image.Image", "copy"): "PIL.Image.Image",
    ("PIL.Image.Image", "transpose"): "PIL.Image.Image",
}

# (receiver type, attribute) -> attribute type.
ATTRIBUTE_RESULTS: dict[tuple[str, str], str] = {
    ("fastapi.UploadFile", "file"): "io.IOBase",
    ("pathlib.Path", "parent"): "pathlib.Path",
}

# Classes whose `with X(...) as name` binds something other than the instance.
ENTER_RESULTS: dict[str, str] = {}

GENERATOR_WRAPPERS = frozenset(
    {
        "typing.Generator",
        "typing.Iterator",
        "typing.AsyncGenerator",
        "typing.AsyncIterator",
        "typing.Iterable",
        "typing.AsyncIterable",
        "collections.abc.Generator",
        "collections.abc.Iterator",
        "collections.abc.AsyncGenerator",
        "collections.abc.AsyncIterator",
        "collections.abc.Iterable",
        "collections.abc.AsyncIterable",
        "contextlib.AbstractContextManager",
    }
)

OPTIONAL_WRAPPERS = frozenset({"typing.Optional", "typing_extensions.Optional"})
ANNOTATED_WRAPPERS = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
UNION_WRAPPERS = frozenset({"typing.Union", "typing_extensions.Union"})

DEPENDS_FUNCTIONS = frozenset({"fastapi.Depends", "fastapi.Security"})
APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.APIRouter"})
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "options", "head", "trace", "api_route", "websocket"}
)


def canonical(qualname: str) -> str:
    return CANONICAL.get(qualname, qualname)


_STATUS_CONSTANT = re.compile(r"^starlette\.status\.HTTP_(\d{3})_\w+$")
_HTTP_STATUS_PREFIX = "http.HTTPStatus."


def status_number(qualname: str) -> int | None:
    """The number `status.HTTP_404_NOT_FOUND` or `HTTPStatus.NOT_FOUND` (canonical names) means."""
    match = _STATUS_CONSTANT.match(qualname)
    if match:
        return int(match.group(1))
    if qualname.startswith(_HTTP_STATUS_PREFIX):
        member = http.HTTPStatus.__members__.get(qualname[len(_HTTP_STATUS_PREFIX) :])
        return member.value if member is not None else None
    return None
