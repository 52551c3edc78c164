"""FBP204: starting and waiting for a process synchronously inside `async def`."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Applicability, Severity
from fastapi_practices.rules.async_.blocking import ThreadableBlockingCallRule
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

_BLOCKING_PROCESS_CALLS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "os.system",
        "os.popen",
    }
)


@register
class BlockingSubprocess(ThreadableBlockingCallRule):
    code = "FBP204"
    name = "blocking-subprocess-in-async"
    severity = Severity.WARNING
    summary = "A process started with `subprocess` or `os.system` directly inside an `async def`."
    why = (
        "`subprocess.run()`, `check_output()`, `os.system()` and friends wait for the child "
        "process on the calling thread. Inside an `async def` that thread is the event loop, "
        "so no other request makes progress until the command exits. Even `Popen()` forks "
        "and executes synchronously. `asyncio.create_subprocess_exec()` waits without blocking."
    )
    recommended = (
        "import asyncio\n\n\n"
        "async def convert(path: str):\n"
        '    process = await asyncio.create_subprocess_exec("convert", path, "out.png")\n'
        "    await process.wait()\n"
    )
    fix_summary = (
        "Make the function a plain `def` when it awaits nothing, or wrap the call in "
        "`await run_in_threadpool(...)` (adding the import)."
    )
    fix_applicability = Applicability.UNSAFE
    advice = "use `asyncio.create_subprocess_exec()`, or run it in a thread"
    examples = (
        Invalid(
            "import subprocess\n\n\nasync def thumbnail(path: str):\n"
            '    subprocess.run(["convert", path, "thumb.png"], check=True)\n',
            line=5,
            fixed="import subprocess\n\n\ndef thumbnail(path: str):\n"
            '    subprocess.run(["convert", path, "thumb.png"], check=True)\n',
            fix_kind="make-def",
        ),
        Invalid(
            "from subprocess import check_output\nfrom fastapi import Request\n\n\n"
            "async def version(request: Request):\n    await request.body()\n"
            '    out = check_output(["git", "rev-parse", "HEAD"])\n    return out\n',
            line=7,
            fixed="from subprocess import check_output\nfrom fastapi import Request\n"
            "from fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def version(request: Request):\n    await request.body()\n"
            '    out = await run_in_threadpool(check_output, ["git", "rev-parse", "HEAD"])\n'
            "    return out\n",
            fix_kind="wrap-threadpool",
        ),
        Invalid(
            "import os\n\n\nasync def backup():\n"
            '    note = "sauvegardé ✓"; os.system("pg_dump app > dump.sql")\n    return note\n',
            line=5,
            fixed="import os\nfrom fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def backup():\n"
            '    note = "sauvegardé ✓"; '
            'await run_in_threadpool(os.system, "pg_dump app > dump.sql")\n'
            "    return note\n",
            fix_kind="wrap-threadpool",
            note="non-ASCII text before the call on the same line",
        ),
        Invalid(
            "import subprocess as sp\n\n\nasync def tail(path: str):\n"
            '    process = sp.Popen(["tail", "-n", "10", path], stdout=sp.PIPE)\n'
            "    return process\n",
            line=5,
        ),
        Invalid(
            'import os\n\n\nasync def uptime():\n    return os.popen("uptime").read()\n',
            line=5,
        ),
        Valid(
            "import asyncio\n\n\nasync def thumbnail(path: str):\n"
            '    process = await asyncio.create_subprocess_exec("convert", path, "thumb.png")\n'
            "    await process.wait()\n",
        ),
        Valid(
            "import subprocess\nimport asyncio\n\n\nasync def thumbnail(path: str):\n"
            '    await asyncio.to_thread(subprocess.run, ["convert", path, "thumb.png"])\n',
            note="function reference handed to a thread",
        ),
        Valid(
            "import subprocess\nfrom fastapi import BackgroundTasks\n\n\n"
            "async def thumbnail(path: str, tasks: BackgroundTasks):\n"
            '    tasks.add_task(subprocess.run, ["convert", path, "thumb.png"])\n',
            note="handed to BackgroundTasks",
        ),
        Valid(
            "import subprocess\n\n\ndef thumbnail(path: str):\n"
            '    subprocess.run(["convert", path, "thumb.png"], check=True)\n',
            note="plain def",
        ),
        Valid(
            "import os\n\n\nasync def home():\n"
            '    return os.environ.get("HOME"), os.path.join("a", "b")\n',
            note="os functions that start no process",
        ),
        Valid(
            "import subprocess\n\n\nasync def thumbnail(path: str):\n"
            "    return lambda: subprocess.run(['convert', path])\n",
            note="lambda body",
        ),
        Valid(
            "class Runner:\n    def run(self, cmd):\n        return cmd\n\n\n"
            "async def go(subprocess: Runner):\n    return subprocess.run('ls')\n",
            note="parameter shadows the module",
        ),
    )

    def blocking_call(self, call: ast.Call, ctx: FileContext) -> str | None:
        name = ctx.qualname(call.func)
        return f"`{name}()`" if name in _BLOCKING_PROCESS_CALLS else None
