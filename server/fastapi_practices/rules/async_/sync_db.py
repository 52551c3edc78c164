"""FBP205: a synchronous database session or driver used directly inside `async def`."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Applicability, Severity
from fastapi_practices.rules.async_.blocking import BlockingCallRule, display, receiver
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

_SESSION_TYPES = frozenset({"sqlalchemy.orm.Session", "sqlalchemy.orm.scoped_session"})
_SESSION_METHODS = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "get",
        "query",
        "commit",
        "flush",
        "refresh",
        "merge",
        "rollback",
        "delete",
    }
)

_CONNECT_FUNCTIONS = frozenset(
    {
        "psycopg2.connect",
        "sqlite3.connect",
        "pymysql.connect",
        "pymysql.Connect",
        "pymysql.connections.Connection",
    }
)
_DBAPI_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "fetchone",
        "fetchall",
        "fetchmany",
        "commit",
        "rollback",
    }
)
_DBAPI_TYPES = frozenset(
    {
        "sqlite3.Connection",
        "sqlite3.Cursor",
        "psycopg2.extensions.connection",
        "psycopg2.extensions.cursor",
        "pymysql.connections.Connection",
        "pymysql.cursors.Cursor",
    }
)

_MONGO_WATCH = frozenset({"watch"})
_MONGO_METHODS: dict[str, frozenset[str]] = {
    "pymongo.MongoClient": _MONGO_WATCH
    | {"list_database_names", "list_databases", "drop_database", "server_info", "start_session"},
    "pymongo.database.Database": _MONGO_WATCH
    | {
        "command",
        "aggregate",
        "create_collection",
        "drop_collection",
        "list_collection_names",
        "list_collections",
        "validate_collection",
        "dereference",
    },
    "pymongo.collection.Collection": _MONGO_WATCH
    | {
        "find",
        "find_one",
        "find_one_and_delete",
        "find_one_and_replace",
        "find_one_and_update",
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "bulk_write",
        "aggregate",
        "count_documents",
        "estimated_document_count",
        "distinct",
        "create_index",
        "create_indexes",
        "drop",
        "drop_index",
        "drop_indexes",
        "list_indexes",
        "index_information",
        "rename",
    },
}

_LABELS = {
    "sqlalchemy.orm.Session": "a sync SQLAlchemy `Session`",
    "sqlalchemy.orm.scoped_session": "a sync SQLAlchemy `scoped_session`",
    "sqlite3.Connection": "a sqlite3 connection",
    "sqlite3.Cursor": "a sqlite3 cursor",
    "psycopg2.extensions.connection": "a psycopg2 connection",
    "psycopg2.extensions.cursor": "a psycopg2 cursor",
    "pymysql.connections.Connection": "a PyMySQL connection",
    "pymysql.cursors.Cursor": "a PyMySQL cursor",
    "pymongo.MongoClient": "a pymongo `MongoClient`",
    "pymongo.database.Database": "a pymongo database",
    "pymongo.collection.Collection": "a pymongo collection",
}


@register
class SyncDatabase(BlockingCallRule):
    code = "FBP205"
    name = "sync-db-in-async"
    severity = Severity.WARNING
    summary = "A synchronous database session, connection or client used inside an `async def`."
    why = (
        "A sync SQLAlchemy `Session`, a DB-API driver (`psycopg2`, `sqlite3`, `pymysql`) or "
        "`pymongo` waits for the database on the calling thread. In an `async def` that thread "
        "runs the event loop, so each query pauses every other request on the worker, and a "
        "slow query or an exhausted pool freezes the whole app. Use an async session and driver "
        "(`AsyncSession` with asyncpg/aiosqlite, motor) and `await` them, or declare the "
        "function with a plain `def` so FastAPI runs it in the threadpool."
    )
    recommended = (
        "from fastapi import Depends\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n"
        "from app.database import get_session\nfrom app.models import User\n\n\n"
        "async def read_user(user_id: int, session: AsyncSession = Depends(get_session)):\n"
        "    return await session.get(User, user_id)\n"
    )
    fix_summary = "Make the function a plain `def` when it awaits nothing."
    fix_applicability = Applicability.UNSAFE
    advice = "use an async session or driver, or make the function a plain `def`"
    examples = (
        Invalid(
            "from fastapi import APIRouter, Depends\nfrom sqlalchemy import create_engine\n"
            "from sqlalchemy.orm import sessionmaker\n\nfrom app.models import User\n\n"
            'engine = create_engine("sqlite:///app.db")\nSessionLocal = sessionmaker(bind=engine)\n'
            "router = APIRouter()\n\n\ndef get_db():\n    db = SessionLocal()\n    try:\n"
            "        yield db\n    finally:\n        db.close()\n\n\n"
            '@router.get("/users/{user_id}")\n'
            "async def read_user(user_id: int, db=Depends(get_db)):\n"
            "    return db.get(User, user_id)\n",
            line=22,
            fixed="from fastapi import APIRouter, Depends\nfrom sqlalchemy import create_engine\n"
            "from sqlalchemy.orm import sessionmaker\n\nfrom app.models import User\n\n"
            'engine = create_engine("sqlite:///app.db")\nSessionLocal = sessionmaker(bind=engine)\n'
            "router = APIRouter()\n\n\ndef get_db():\n    db = SessionLocal()\n    try:\n"
            "        yield db\n    finally:\n        db.close()\n\n\n"
            '@router.get("/users/{user_id}")\ndef read_user(user_id: int, db=Depends(get_db)):\n'
            "    return db.get(User, user_id)\n",
            fix_kind="make-def",
            note="the session comes from a dependency that yields `SessionLocal()`",
        ),
        Invalid(
            "from fastapi import Depends\nfrom sqlalchemy import select\n"
            "from sqlalchemy.orm import Session\n\n"
            "from app.database import get_db\nfrom app.models import User\n\n\n"
            "async def list_users(db: Session = Depends(get_db)):\n"
            "    users = db.scalars(select(User)).all()\n    db.add(User())\n    db.commit()\n"
            "    return users\n",
            line=10,
            count=2,
            note="`add` only stages the object and is not reported",
        ),
        Invalid(
            "from typing import Annotated\n\nfrom fastapi import Depends\n"
            "from sqlmodel import Session\n\n"
            "from app.db import get_session\nfrom app.models import Hero\n\n"
            "SessionDep = Annotated[Session, Depends(get_session)]\n\n\n"
            "async def read_hero(hero_id: int, session: SessionDep):\n"
            "    return session.get(Hero, hero_id)\n",
            line=13,
            note="annotation through a type alias",
        ),
        Invalid(
            "from sqlalchemy.orm import Session\n\n\nasync def touch(db):\n    pass\n\n\n"
            "async def rename(db: Session, name: str):\n"
            '    label = "renommé ✓"; db.commit()\n    return label\n',
            line=9,
            fixed="from sqlalchemy.orm import Session\n\n\nasync def touch(db):\n    pass\n\n\n"
            "def rename(db: Session, name: str):\n"
            '    label = "renommé ✓"; db.commit()\n    return label\n',
            fix_kind="make-def",
            note="non-ASCII text before the call on the same line",
        ),
        Invalid(
            "from sqlalchemy import create_engine, text\nfrom sqlalchemy.orm import Session\n\n"
            'engine = create_engine("sqlite://")\n\n\nasync def health():\n'
            "    with Session(engine) as session:\n"
            '        return session.scalar(text("select 1"))\n',
            line=9,
        ),
        Invalid(
            "import sqlite3\n\n\nasync def count():\n"
            '    conn = sqlite3.connect("app.db")\n'
            '    return conn.execute("select count(*) from users").fetchone()\n',
            line=5,
            count=3,
            note="`connect`, `execute` on the connection and `fetchone` on its cursor",
        ),
        Invalid(
            'import psycopg2\n\nconn = psycopg2.connect("dbname=app")\n\n\n'
            "async def names():\n    with conn.cursor() as cur:\n"
            '        cur.execute("select name from users")\n        return cur.fetchall()\n',
            line=8,
            count=2,
        ),
        Invalid(
            "from pymongo import MongoClient\n\n"
            'client = MongoClient("mongodb://localhost")\nusers = client.app.users\n\n\n'
            "async def find_user(user_id: str):\n"
            '    return users.find_one({"_id": user_id})\n',
            line=8,
        ),
        Invalid(
            "from sqlalchemy.orm import scoped_session, sessionmaker\n\n"
            "db_session = scoped_session(sessionmaker())\n\n\n"
            "async def cleanup():\n    db_session.rollback()\n",
            line=7,
        ),
        Valid(
            "from fastapi import Depends\nfrom sqlalchemy import select\n"
            "from sqlalchemy.ext.asyncio import AsyncSession\n\n"
            "from app.database import get_db\nfrom app.models import User\n\n\n"
            "async def create(db: AsyncSession = Depends(get_db)):\n"
            "    db.add(User())\n    await db.commit()\n"
            "    return (await db.execute(select(User))).scalars().all()\n",
            note="AsyncSession is awaited",
        ),
        Valid(
            "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\n"
            'SessionLocal = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))\n\n\n'
            "async def count():\n    async with SessionLocal() as session:\n"
            '        return await session.scalar("select 1")\n',
        ),
        Valid(
            "from sqlalchemy import select\nfrom sqlalchemy.orm import Session\n\n\n"
            "async def rows(session: Session):\n"
            "    return (await session.execute(select(1))).all()\n",
            note="an awaited call returns an awaitable, whatever the annotation says",
        ),
        Valid(
            "from sqlalchemy.orm import Session\n\n\nasync def stage(db: Session, user: object):\n"
            "    db.add(user)\n",
            note="`add` does no I/O",
        ),
        Valid(
            "async def lookup(cache: dict, key: str):\n    return cache.get(key)\n",
            note="dict.get is not a database call",
        ),
        Valid(
            "from fastapi.concurrency import run_in_threadpool\n"
            "from sqlalchemy.orm import Session\n\n\n"
            "async def save(db: Session):\n    await run_in_threadpool(db.commit)\n",
            note="bound method handed to the threadpool",
        ),
        Valid(
            "from fastapi import APIRouter, Depends\nfrom sqlalchemy.orm import Session\n\n"
            "from app.database import get_db\n\nrouter = APIRouter()\n\n\n@router.post('/')\n"
            "def save(db: Session = Depends(get_db)):\n    db.commit()\n",
            note="plain def runs in the threadpool",
        ),
        Valid(
            "from motor.motor_asyncio import AsyncIOMotorClient\n\n"
            "client = AsyncIOMotorClient()\n\n\nasync def find_user(user_id: str):\n"
            '    return await client.app.users.find_one({"_id": user_id})\n',
            note="motor is async",
        ),
        Valid(
            "import aiosqlite\n\n\nasync def count():\n"
            '    async with aiosqlite.connect("app.db") as db:\n'
            '        cursor = await db.execute("select 1")\n'
            "        return await cursor.fetchone()\n",
        ),
        Valid(
            "from pymongo import MongoClient\n\nclient = MongoClient()\n\n\n"
            "async def users():\n"
            '    return client.get_database("app").get_collection("users")\n',
            note="choosing a database or collection sends nothing",
        ),
        Valid(
            "from sqlalchemy.orm import Session\n\n\nasync def save(db: Session):\n"
            "    def work():\n        db.commit()\n\n    return work\n",
            note="nested def",
        ),
    )

    def blocking_call(self, call: ast.Call, ctx: FileContext) -> str | None:
        name = ctx.qualname(call.func)
        if name in _CONNECT_FUNCTIONS:
            return f"`{name}()`"
        found = receiver(call)
        if found is None:
            return None
        value, method = found
        if not (method in _SESSION_METHODS or method in _DBAPI_METHODS or _is_mongo_method(method)):
            return None
        owner = ctx.instance_type(value)
        if owner is None:
            return None
        if (
            (owner in _SESSION_TYPES and method in _SESSION_METHODS)
            or (owner in _DBAPI_TYPES and method in _DBAPI_METHODS)
            or method in _MONGO_METHODS.get(owner, ())
        ):
            return display(owner, method, _LABELS)
        return None


def _is_mongo_method(method: str) -> bool:
    return any(method in methods for methods in _MONGO_METHODS.values())
