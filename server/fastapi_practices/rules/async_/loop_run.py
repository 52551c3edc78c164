"""FBP206: `asyncio.run()` / `loop.run_until_complete()` inside `async def`."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

EVENT_LOOP_TYPES = frozenset(
    {"asyncio.AbstractEventLoop", "asyncio.BaseEventLoop", "asyncio.base_events.BaseEventLoop"}
)


def is_event_loop(expr: ast.expr, ctx: FileContext) -> bool:
    """The value is proven to be an asyncio event loop (by origin or annotation)."""
    return ctx.instance_type(expr) in EVENT_LOOP_TYPES


def loop_method_call(node: ast.Call, method: str, ctx: FileContext) -> bool:
    """`node` is `<loop>.<method>(...)` on a proven event loop."""
    func = node.func
    return (
        isinstance(func, ast.Attribute) and func.attr == method and is_event_loop(func.value, ctx)
    )


@register
class LoopBlockingRun(Rule):
    code = "FBP206"
    name = "loop-blocking-run"
    severity = Severity.ERROR
    call_names = frozenset({"run", "run_until_complete"})
    summary = "`asyncio.run()` or `loop.run_until_complete()` called inside an `async def`."
    why = (
        "Code in an `async def` already runs on an event loop. `asyncio.run()` refuses to start "
        "while a loop is running and raises `RuntimeError`; `run_until_complete()` on the "
        "running loop raises too, and on another loop it freezes the current one until the "
        "work is done. Await the coroutine instead."
    )
    recommended = (
        "async def fetch_user(user_id: int) -> dict:\n    ...\n\n\n"
        "async def handler(user_id: int) -> dict:\n    return await fetch_user(user_id)\n"
    )
    examples = (
        Invalid(
            "import asyncio\n\n\nasync def fetch():\n    return 1\n\n\n"
            "async def handler():\n    return asyncio.run(fetch())\n",
            line=9,
        ),
        Invalid(
            "from asyncio import run as run_async\n\n\nasync def handler(job):\n"
            "    run_async(job())\n",
            line=5,
        ),
        Invalid(
            "import asyncio\n\n\nasync def handler(job):\n"
            "    loop = asyncio.get_event_loop()\n    return loop.run_until_complete(job())\n",
            line=6,
        ),
        Invalid(
            "import asyncio\n\n\nasync def handler(job):\n"
            "    asyncio.get_event_loop().run_until_complete(job())\n",
            line=5,
            note="chained on the loop factory",
        ),
        Invalid(
            "import asyncio\n\n\nasync def handler(loop: asyncio.AbstractEventLoop, job):\n"
            "    loop.run_until_complete(job())\n",
            line=5,
            note="loop proven by annotation",
        ),
        Invalid(
            "import asyncio\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/')\nasync def index():\n    loop = asyncio.new_event_loop()\n"
            "    return loop.run_until_complete(asyncio.sleep(0, 'x'))\n",
            line=10,
        ),
        Valid(
            "import asyncio\n\n\nasync def main():\n    ...\n\n\nif __name__ == '__main__':\n"
            "    asyncio.run(main())\n",
            note="module level entry point",
        ),
        Valid(
            "import asyncio\n\n\ndef sync_entry(job):\n    return asyncio.run(job())\n",
            note="plain def",
        ),
        Valid(
            "import asyncio\n\n\nasync def handler(job):\n    def worker():\n"
            "        return asyncio.run(job())\n    return await asyncio.to_thread(worker)\n",
            note="nested def run in a thread",
        ),
        Valid(
            "class Runner:\n    def run_until_complete(self, job):\n        return job\n\n\n"
            "async def handler(job):\n    loop = Runner()\n"
            "    return loop.run_until_complete(job)\n",
            note="a `loop` that is not an event loop",
        ),
        Valid(
            "import asyncio\n\n\nasync def handler(asyncio, job):\n    return asyncio.run(job())\n",
            note="parameter shadows the module",
        ),
        Valid(
            "import asyncio\n\n\nasync def handler(job):\n    return await job()\n",
        ),
        Valid(
            "import asyncio\n\n\nasync def handler(loop, job):\n"
            "    return loop.run_until_complete(job())\n",
            note="unannotated parameter: nothing proves it is a loop",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not ctx.in_async_def:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "run_until_complete":
            if is_event_loop(func.value, ctx):
                ctx.report(
                    self,
                    node,
                    "`run_until_complete()` inside `async def` fails on the running loop "
                    "and blocks it on any other; `await` the coroutine instead",
                )
            return
        if isinstance(func, (ast.Name, ast.Attribute)) and ctx.qualname(func) == "asyncio.run":
            ctx.report(
                self,
                node,
                "`asyncio.run()` inside `async def` raises `RuntimeError` because an event "
                "loop is already running; `await` the coroutine instead",
            )
