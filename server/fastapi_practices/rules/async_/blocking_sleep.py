"""FBP201: `time.sleep()` inside `async def` stops every request the worker is serving."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.expressions import (
    awaited,
    needs_parentheses_for_await,
    rewrite_expression,
)
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

USE_ASYNCIO_SLEEP = FixOption(
    "asyncio-sleep",
    "Replace with `await asyncio.sleep(...)`",
    Applicability.SAFE,
    is_preferred=True,
)


@register
class BlockingSleep(Rule):
    code = "FBP201"
    name = "blocking-sleep-in-async"
    severity = Severity.WARNING
    call_names = frozenset({"sleep"})
    summary = "`time.sleep()` called directly inside an `async def`."
    why = (
        "An `async def` runs on the event loop. `time.sleep()` does not yield to it, so every "
        "other request handled by that worker waits until the sleep ends. `asyncio.sleep()` "
        "pauses only the current task."
    )
    recommended = "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"
    fix_summary = (
        "Replace the call with `await asyncio.sleep(...)` and add `import asyncio` if missing."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "import time\n\n\nasync def poll():\n    time.sleep(1)\n",
            line=5,
            fixed="import time\nimport asyncio\n\n\nasync def poll():\n"
            "    await asyncio.sleep(1)\n",
        ),
        Invalid(
            "import time as t\n\n\nasync def poll():\n    t.sleep(0.5)\n",
            line=5,
            fixed="import time as t\nimport asyncio\n\n\nasync def poll():\n"
            "    await asyncio.sleep(0.5)\n",
        ),
        Invalid(
            "import asyncio\nfrom time import sleep as zz\n\n\n"
            "async def poll(delay: float):\n    result = zz(delay)\n    return result\n",
            line=6,
            fixed="import asyncio\nfrom time import sleep as zz\n\n\n"
            "async def poll(delay: float):\n    result = await asyncio.sleep(delay)\n"
            "    return result\n",
        ),
        Invalid(
            "from fastapi import APIRouter\nimport time\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/slow')\nasync def slow():\n    time.sleep(2)  # wait for the cache\n"
            "    return {'ok': True}\n",
            line=9,
            fixed="from fastapi import APIRouter\nimport time\nimport asyncio\n\n"
            "router = APIRouter()\n\n\n@router.get('/slow')\nasync def slow():\n"
            "    await asyncio.sleep(2)  # wait for the cache\n"
            "    return {'ok': True}\n",
        ),
        Invalid(
            '"""Polling."""\nimport time\n\n\nasync def poll():\n    x = "é😀"; time.sleep(1)\n',
            line=6,
            fixed='"""Polling."""\nimport time\nimport asyncio\n\n\nasync def poll():\n'
            '    x = "é😀"; await asyncio.sleep(1)\n',
            note="non-ASCII text before the call on the same line",
        ),
        Valid(
            "import time\n\n\ndef poll():\n    time.sleep(1)\n",
            note="plain def runs in the threadpool",
        ),
        Valid(
            "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n",
        ),
        Valid(
            "import time\n\n\nasync def poll():\n    def later():\n        time.sleep(1)\n"
            "    return later\n",
            note="nested def",
        ),
        Valid(
            "import time\nimport asyncio\n\n\nasync def poll():\n"
            "    await asyncio.to_thread(lambda: time.sleep(1))\n",
            note="lambda handed to a thread",
        ),
        Valid(
            "import time\nfrom fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def poll():\n    await run_in_threadpool(time.sleep, 1)\n",
            note="function reference, not a call",
        ),
        Valid(
            "import time\n\n\nasync def poll(time):\n    time.sleep(1)\n",
            note="parameter shadows the module",
        ),
        Valid(
            "class Clock:\n    def sleep(self, s):\n        pass\n\n\nasync def poll():\n"
            "    time = Clock()\n    time.sleep(1)\n",
            note="local variable named time",
        ),
        Valid(
            "from fastapi import BackgroundTasks\nimport time\n\n\n"
            "async def poll(tasks: BackgroundTasks):\n    tasks.add_task(time.sleep, 5)\n",
            note="handed to BackgroundTasks",
        ),
        Valid(
            "import time\n\n\nasync def poll():\n    class Job:\n        def run(self):\n"
            "            time.sleep(1)\n    return Job\n",
            note="method of a nested class",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not ctx.in_async_def:
            return
        if ctx.qualname(node.func) != "time.sleep":
            return
        ctx.report(
            self,
            node,
            "`time.sleep()` blocks the event loop inside `async def`; use `await asyncio.sleep()`",
            fixes=(USE_ASYNCIO_SLEEP,),
        )

    def fix_asyncio_sleep(self, request: FixRequest) -> list[TextEdit] | None:
        call = request.finding_node(ast.Call)
        if not isinstance(call, ast.Call):
            return None
        import_edit = ensure_import(request, "asyncio")
        parent = request.ancestors(call)[0] if request.ancestors(call) else None
        new_func = cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("sleep"))
        already_awaited = isinstance(parent, ast.Await)
        parenthesise = needs_parentheses_for_await(request, call)

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            replaced = expression.with_changes(func=new_func)
            return replaced if already_awaited else awaited(replaced, parenthesise)

        edit = rewrite_expression(request, call, transform)
        if edit is None:
            return None
        return [edit, *([import_edit] if import_edit else [])]
