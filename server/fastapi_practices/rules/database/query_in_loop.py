"""FBP608: a database query inside a loop (the N+1 query pattern)."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.database.orm import ASYNC_SESSION, session_type
from fastapi_practices.rules.registry import register

_QUERY_METHODS = frozenset({"execute", "get", "scalar", "scalars"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)

_ASYNC = (
    "from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n"
    "from app.models import Order, User\n\n\n"
)


@register
class QueryInLoop(Rule):
    code = "FBP608"
    name = "query-in-loop"
    severity = Severity.INFO
    call_names = _QUERY_METHODS
    summary = "A session query runs once per loop iteration (N+1 queries)."
    why = (
        "Each `execute`/`get`/`scalar`/`scalars` call is a round trip to the database. Inside a "
        "loop, loading 100 rows costs 100 round trips where one query would do, and the "
        "latency grows with the data. Load everything the loop needs up front, with `IN (...)`, "
        "a join, or `selectinload()` for relationships."
    )
    recommended = (
        _ASYNC + "async def owners(session: AsyncSession, user_ids: list[int]):\n"
        "    result = await session.scalars(select(User).where(User.id.in_(user_ids)))\n"
        "    return result.all()\n"
    )
    examples = (
        Invalid(
            _ASYNC + "async def owners(session: AsyncSession, user_ids: list[int]):\n"
            "    users = []\n    for user_id in user_ids:\n"
            "        users.append(await session.get(User, user_id))\n    return users\n",
            line=10,
        ),
        Invalid(
            _ASYNC + "async def totals(session: AsyncSession, orders: list[Order]):\n"
            "    async for order in stream(orders):\n"
            "        query = select(User).where(User.id == order.user_id)\n"
            "        result = await session.execute(query)\n"
            "        yield result.scalar_one()\n",
            line=10,
            note="`async for`",
        ),
        Invalid(
            "from sqlalchemy import select\nfrom sqlalchemy.orm import Session\n\n"
            "from app.models import Job\n\n\ndef drain(db: Session):\n    while True:\n"
            "        job = db.scalar(select(Job).limit(1))\n        if job is None:\n"
            "            break\n        db.delete(job)\n",
            line=9,
            note="a sync `Session` in a `while` loop",
        ),
        Invalid(
            _ASYNC + "async def owners(session: AsyncSession, ids: list[int]):\n"
            "    return [await session.get(User, i) for i in ids]\n",
            line=8,
            note="a comprehension is a loop too",
        ),
        Valid(
            _ASYNC + "async def owners(session: AsyncSession, user_ids: list[int]):\n"
            "    result = await session.scalars(select(User).where(User.id.in_(user_ids)))\n"
            "    return result.all()\n"
        ),
        Valid(
            _ASYNC + "async def names(session: AsyncSession):\n"
            "    for user in await session.scalars(select(User)):\n"
            "        print(user.name)\n",
            note="the query is the loop's iterable, run once",
        ),
        Valid(
            _ASYNC + "async def load(cache: dict, ids: list[int]):\n"
            "    return [cache.get(i) for i in ids]\n",
            note="`dict.get` is not a query",
        ),
        Valid(
            _ASYNC + "async def save(session: AsyncSession, users: list[User]):\n"
            "    for user in users:\n        session.add(user)\n    await session.commit()\n",
            note="staging objects sends nothing",
        ),
        Valid(
            _ASYNC + "async def jobs(session: AsyncSession, ids: list[int]):\n"
            "    for i in ids:\n        async def one(i=i):\n"
            "            return await session.get(User, i)\n        yield one\n",
            note="a nested function runs when it is called, not per iteration here",
        ),
        Valid(
            "async def fetch(client, ids):\n    for i in ids:\n"
            "        await client.get(f'/users/{i}')\n",
            note="an unknown receiver",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _QUERY_METHODS:
            return
        if not _inside_loop(ctx.parents):
            return
        found = session_type(func.value, ctx)
        if found is None:
            return
        if found == ASYNC_SESSION and not isinstance(ctx.parent, ast.Await):
            return
        ctx.report(
            self,
            node,
            f"`{func.attr}()` queries the database on every loop iteration (N+1); load what "
            "the loop needs with one query before it",
        )


def _inside_loop(parents: list[ast.AST]) -> bool:
    """True when the last node runs once per iteration of a loop of its own function."""
    for index in range(len(parents) - 2, -1, -1):
        node, child = parents[index], parents[index + 1]
        if isinstance(node, _SCOPES):
            return False
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            if any(statement is child for statement in node.body):
                return True
        elif isinstance(node, _COMPREHENSIONS):
            if child is not node.generators[0]:
                return True
        elif isinstance(node, ast.comprehension) and child is not node.iter:
            return True
    return False
