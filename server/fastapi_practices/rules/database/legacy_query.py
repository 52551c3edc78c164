"""FBP605: `session.query(...)`, the SQLAlchemy 1.x query API."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.database.orm import ASYNC_SESSION, session_type
from fastapi_practices.rules.registry import register

_SESSION = "from sqlalchemy.orm import Session\n\nfrom app.models import User\n\n\n"


@register
class LegacyQueryApi(Rule):
    code = "FBP605"
    name = "legacy-query-api"
    severity = Severity.INFO
    call_names = frozenset({"query"})
    summary = "`session.query(...)` uses SQLAlchemy's legacy query API."
    why = (
        "SQLAlchemy 2.0 marks `Session.query()` as legacy: it still works on a sync `Session`, "
        "but new features land only in `select()`, and `AsyncSession` has no `query()` at all. "
        "Code written with `select()` runs unchanged on both sessions, so moving a project to "
        "async drivers later does not mean rewriting every query."
    )
    recommended = (
        "from sqlalchemy import select\n" + _SESSION + "def active_users(db: Session):\n"
        "    return db.scalars(select(User).where(User.active)).all()\n"
    )
    examples = (
        Invalid(
            _SESSION + "def active_users(db: Session):\n"
            "    return db.query(User).filter(User.active).all()\n",
            line=7,
        ),
        Invalid(
            "from fastapi import Depends\nfrom sqlalchemy.orm import sessionmaker\n\n"
            "from app.models import User\n\nSessionLocal = sessionmaker()\n\n\ndef get_db():\n"
            "    db = SessionLocal()\n    try:\n        yield db\n    finally:\n"
            "        db.close()\n\n\ndef count_users(db=Depends(get_db)):\n"
            "    return db.query(User).count()\n",
            line=18,
            note="the session comes from a dependency yielding `SessionLocal()`",
        ),
        Invalid(
            "from sqlalchemy.orm import scoped_session, sessionmaker\n\n"
            "from app.models import User\n\ndb_session = scoped_session(sessionmaker())\n"
            "first = db_session.query(User).first()\n",
            line=6,
        ),
        Invalid(
            "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\n\n"
            "from app.models import User\n\nengine = create_engine('sqlite://')\n\n\n"
            "def names():\n    with Session(engine) as session:\n"
            "        return [u.name for u in session.query(User)]\n",
            line=11,
        ),
        Valid(
            "from sqlalchemy import select\n" + _SESSION + "def active_users(db: Session):\n"
            "    return db.scalars(select(User)).all()\n"
        ),
        Valid(
            "from app.search import Index\n\n\ndef find(index: Index, text: str):\n"
            "    return index.query(text)\n",
            note="`query()` of another library",
        ),
        Valid(
            "def find(db, text):\n    return db.query(text)\n",
            note="an unannotated parameter proves nothing",
        ),
        Valid(
            "from elasticsearch import Elasticsearch\n\nes = Elasticsearch()\n\n\n"
            "def search():\n    return es.query(index='users')\n",
        ),
        Valid(
            "from sqlalchemy.orm import Session\n\n\ndef build(db: Session):\n"
            "    return db.query\n",
            note="the method is not called here",
        ),
        Valid(
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
            "def users(User):\n    return User.query.all()\n",
            note="a model's `query` attribute",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "query":
            return
        found = session_type(func.value, ctx)
        if found is None:
            return
        if found == ASYNC_SESSION:
            message = "`AsyncSession` has no `query()`; use `await session.scalars(select(...))`"
        else:
            message = "`session.query()` is SQLAlchemy's legacy API; use `select()` with "
            message += "`session.scalars()` or `session.execute()`"
        ctx.report(self, node, message)
