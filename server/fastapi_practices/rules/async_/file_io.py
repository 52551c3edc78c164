"""FBP203: synchronous file I/O inside `async def` stalls every request on the worker."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Applicability, Severity
from fastapi_practices.rules.async_.blocking import (
    ThreadableBlockingCallRule,
    display,
    receiver,
    receiver_type,
)
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

_OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open"})
_PATH_METHODS = frozenset({"read_text", "write_text", "read_bytes", "write_bytes", "open"})
_PATH_TYPES = frozenset({"pathlib.Path"})
_UNBOUND_PATH_METHODS = frozenset(f"pathlib.Path.{method}" for method in _PATH_METHODS)
_UPLOAD_FILE_METHODS = frozenset({"read", "write", "readline", "readlines", "writelines"})
# `shutil` functions that only touch in-memory registries or the terminal size.
_SHUTIL_WITHOUT_FILES = frozenset(
    {
        "shutil.get_archive_formats",
        "shutil.get_unpack_formats",
        "shutil.register_archive_format",
        "shutil.unregister_archive_format",
        "shutil.register_unpack_format",
        "shutil.unregister_unpack_format",
        "shutil.get_terminal_size",
    }
)


@register
class BlockingFileIO(ThreadableBlockingCallRule):
    code = "FBP203"
    name = "blocking-file-io-in-async"
    severity = Severity.WARNING
    summary = "Synchronous file reads, writes or copies made directly inside an `async def`."
    why = (
        "Disk access in Python is synchronous: `open()`, `Path.read_text()`, "
        "`shutil.copyfileobj()` "
        "and `UploadFile.file.read()` keep the event loop's only thread busy until the operating "
        "system answers. On a slow or network-mounted disk, or with a large upload, every other "
        "request waits. `UploadFile` already has awaitable `read`/`write`, `aiofiles` and "
        "`anyio.Path` give async file access, and a plain `def` runs in the threadpool."
    )
    recommended = (
        "import aiofiles\nfrom fastapi import UploadFile\n\n\n"
        "async def save(file: UploadFile):\n"
        '    async with aiofiles.open(f"/srv/{file.filename}", "wb") as out:\n'
        "        await out.write(await file.read())\n"
    )
    fix_summary = (
        "Make the function a plain `def` when it awaits nothing, or wrap the call in "
        "`await run_in_threadpool(...)` (adding the import)."
    )
    fix_applicability = Applicability.UNSAFE
    advice = "use `aiofiles`/`anyio`, `await UploadFile.read()`, or run it in a thread"
    examples = (
        Invalid(
            "import shutil\nfrom fastapi import APIRouter, UploadFile\n\nrouter = APIRouter()\n\n\n"
            '@router.post("/upload")\nasync def upload(file: UploadFile):\n'
            '    with open(f"/srv/{file.filename}", "wb") as out:\n'
            "        shutil.copyfileobj(file.file, out)\n"
            '    return {"name": file.filename}\n',
            line=9,
            count=2,
            note="`open()` and `shutil.copyfileobj()`",
        ),
        Invalid(
            "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent\n\n\n"
            "async def load_template(name: str):\n"
            '    return (BASE_DIR / "templates" / name).read_text()\n',
            line=7,
            fixed="from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent\n\n\n"
            "def load_template(name: str):\n"
            '    return (BASE_DIR / "templates" / name).read_text()\n',
            fix_kind="make-def",
            note="a Path built with the `/` operator",
        ),
        Invalid(
            "from fastapi import UploadFile\n\n\nasync def checksum(upload: UploadFile):\n"
            "    await upload.seek(0)\n    data = upload.file.read()\n    return len(data)\n",
            line=6,
            fixed="from fastapi import UploadFile\n"
            "from fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def checksum(upload: UploadFile):\n"
            "    await upload.seek(0)\n    data = await run_in_threadpool(upload.file.read)\n"
            "    return len(data)\n",
            fix_kind="wrap-threadpool",
            note="the synchronous file object behind UploadFile",
        ),
        Invalid(
            "async def read_notes(path: str):\n"
            '    title = "Résumé 📄"; handle = open(path, encoding="utf-8")\n'
            "    return title, handle\n",
            line=2,
            fixed="def read_notes(path: str):\n"
            '    title = "Résumé 📄"; handle = open(path, encoding="utf-8")\n'
            "    return title, handle\n",
            fix_kind="make-def",
            note="non-ASCII text before the call on the same line",
        ),
        Invalid(
            "from pathlib import Path\n\n\nasync def store(target: Path, data: bytes):\n"
            "    target.write_bytes(data)\n",
            line=5,
            note="Path proven by the annotation",
        ),
        Invalid(
            "import io\nfrom pathlib import Path\n\n\nasync def config():\n"
            '    with io.open(Path.home() / ".apprc") as handle:\n        return handle.read()\n',
            line=6,
            count=1,
            note="reading the handle of an already-flagged `open` is not reported again",
        ),
        Invalid(
            "from shutil import rmtree\n\n\nasync def purge(folder: str):\n    rmtree(folder)\n",
            line=5,
        ),
        Valid(
            "from fastapi import UploadFile\n\n\nasync def size(file: UploadFile):\n"
            "    data = await file.read()\n    return len(data)\n",
            note="UploadFile's own async API",
        ),
        Valid(
            "import aiofiles\n\n\nasync def save(path: str, data: bytes):\n"
            '    async with aiofiles.open(path, "wb") as out:\n        await out.write(data)\n',
        ),
        Valid(
            "import anyio\n\n\nasync def load(path: str):\n"
            "    return await anyio.Path(path).read_text()\n",
        ),
        Valid(
            "import asyncio\nfrom pathlib import Path\n\n\nasync def load(path: Path):\n"
            "    return await asyncio.to_thread(path.read_text)\n",
            note="bound method handed to a thread, not called",
        ),
        Valid(
            "import shutil\nfrom fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def purge(folder: str):\n    await run_in_threadpool(shutil.rmtree, folder)\n",
        ),
        Valid(
            "async def save(path: str, data: bytes):\n    def write():\n"
            '        with open(path, "wb") as out:\n            out.write(data)\n\n'
            "    return write\n",
            note="nested def",
        ),
        Valid(
            "class Document:\n    def read_text(self) -> str:\n        return ''\n\n\n"
            "async def render(doc: Document):\n    return doc.read_text()\n",
            note="a method that happens to be called read_text",
        ),
        Valid(
            "async def render(open, path: str):\n    return open(path)\n",
            note="parameter shadows the builtin",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/')\n"
            "def readme():\n    with open('README.md') as handle:\n        return handle.read()\n",
            note="plain def runs in the threadpool",
        ),
    )

    def blocking_call(self, call: ast.Call, ctx: FileContext) -> str | None:
        name = ctx.qualname(call.func)
        if name in _OPEN_FUNCTIONS:
            return "`open()`"
        if name is not None and _is_shutil_file_function(name):
            return f"`{name}()`"
        if name in _UNBOUND_PATH_METHODS:
            return f"`{name}()`"
        found = receiver(call)
        if found is None:
            return None
        value, method = found
        if method in _PATH_METHODS and receiver_type(call, ctx, _PATH_TYPES) is not None:
            return display("pathlib.Path", method)
        if method in _UPLOAD_FILE_METHODS and _is_upload_file_handle(value, ctx):
            return f"`UploadFile.file.{method}()`"
        return None


def _is_shutil_file_function(name: str) -> bool:
    module, _, function = name.partition(".")
    # Capitalised names are exception classes (`shutil.Error`), not operations.
    return (
        module == "shutil"
        and function[:1].islower()
        and "." not in function
        and name not in _SHUTIL_WITHOUT_FILES
    )


def _is_upload_file_handle(value: ast.expr, ctx: FileContext) -> bool:
    """`upload.file` where `upload` is proven to be a FastAPI/Starlette `UploadFile`."""
    return (
        isinstance(value, ast.Attribute)
        and value.attr == "file"
        and ctx.instance_type(value.value) == "fastapi.UploadFile"
    )
