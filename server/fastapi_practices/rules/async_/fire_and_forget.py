"""FBP208: a task created in a path operation and immediately forgotten."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.async_.loop_run import loop_method_call
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

_ROUTER = "from fastapi import APIRouter\nimport asyncio\n\nrouter = APIRouter()\n\n\n"


@register
class FireAndForgetTask(Rule):
    code = "FBP208"
    name = "fire-and-forget-task"
    severity = Severity.INFO
    summary = "`asyncio.create_task()` in a path operation whose task is not kept."
    why = (
        "The event loop keeps only a weak reference to a task. A task nobody holds can be "
        "garbage-collected before it finishes, and an exception it raises is never seen. "
        "FastAPI's `BackgroundTasks` runs work after the response is sent and reports its "
        "errors; if a task is really needed, keep a reference until it is done."
    )
    recommended = (
        "from fastapi import APIRouter, BackgroundTasks\n\nrouter = APIRouter()\n\n\n"
        "async def send_welcome_email(user_id: int) -> None:\n    ...\n\n\n"
        "@router.post('/users/{user_id}/welcome')\n"
        "async def welcome(user_id: int, background_tasks: BackgroundTasks) -> dict:\n"
        "    background_tasks.add_task(send_welcome_email, user_id)\n"
        "    return {'queued': True}\n"
    )
    examples = (
        Invalid(
            _ROUTER + "async def notify():\n    ...\n\n\n@router.post('/orders')\n"
            "async def create_order():\n    asyncio.create_task(notify())\n"
            "    return {'ok': True}\n",
            line=13,
        ),
        Invalid(
            "from asyncio import create_task\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/ping')\nasync def ping(job):\n    if job:\n        create_task(job())\n"
            "    return 'pong'\n",
            line=10,
        ),
        Invalid(
            _ROUTER + "@router.get('/')\nasync def index(job):\n"
            "    asyncio.get_running_loop().create_task(job())\n",
            line=9,
            note="create_task on a proven event loop",
        ),
        Invalid(
            _ROUTER + "@router.get('/')\nasync def index(job):\n"
            "    loop = asyncio.get_event_loop()\n    loop.create_task(job())\n    return {}\n",
            line=10,
        ),
        Valid(
            _ROUTER + "background = set()\n\n\n@router.post('/')\nasync def index(job):\n"
            "    task = asyncio.create_task(job())\n    background.add(task)\n"
            "    task.add_done_callback(background.discard)\n",
            note="the task is kept",
        ),
        Valid(
            _ROUTER + "@router.get('/')\nasync def index(job):\n"
            "    return await asyncio.create_task(job())\n",
            note="awaited",
        ),
        Valid(
            _ROUTER + "@router.get('/')\nasync def index(job):\n"
            "    async with asyncio.TaskGroup() as group:\n        group.create_task(job())\n",
            note="a TaskGroup keeps its tasks",
        ),
        Valid(
            "import asyncio\n\n\nasync def helper(job):\n    asyncio.create_task(job())\n",
            note="not a path operation",
        ),
        Valid(
            _ROUTER + "@router.get('/')\nasync def index(job):\n"
            "    def later():\n        asyncio.create_task(job())\n    return later\n",
            note="nested def",
        ),
        Valid(
            _ROUTER
            + "class Scheduler:\n    def create_task(self, coro):\n        return coro\n\n\n"
            "@router.get('/')\nasync def index(job):\n    loop = Scheduler()\n"
            "    loop.create_task(job())\n",
            note="`create_task` of something that is not an event loop",
        ),
        Valid(
            _ROUTER + "@router.get('/')\nasync def index(job):\n"
            "    return asyncio.create_task(job())\n",
            note="returned to the caller",
        ),
    )

    def visit_Expr(self, node: ast.Expr, ctx: FileContext) -> None:
        call = node.value
        if not isinstance(call, ast.Call) or not ctx.in_path_operation:
            return
        if self._creates_task(call, ctx):
            ctx.report(
                self,
                call,
                "The task from `create_task()` is not kept, so it can be garbage-collected "
                "before it finishes and its errors are lost; use `BackgroundTasks` or keep "
                "a reference",
            )

    @staticmethod
    def _creates_task(call: ast.Call, ctx: FileContext) -> bool:
        func = call.func
        if loop_method_call(call, "create_task", ctx):
            return True
        if isinstance(func, (ast.Name, ast.Attribute)):
            return ctx.qualname(func) == "asyncio.create_task"
        return False
