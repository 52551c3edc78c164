"""FBP207: known CPU-heavy calls inside an async path operation or dependency."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

CPU_BOUND_FUNCTIONS = frozenset(
    {
        "bcrypt.hashpw",
        "bcrypt.checkpw",
        "bcrypt.kdf",
        "hashlib.pbkdf2_hmac",
        "hashlib.scrypt",
        "PIL.Image.open",
        "PIL.Image.new",
        "pandas.read_csv",
        "pandas.read_excel",
        "pandas.read_json",
        "pandas.read_parquet",
    }
)
# Receiver type -> CPU-heavy methods.
CPU_BOUND_METHODS: dict[str, frozenset[str]] = {
    "passlib.context.CryptContext": frozenset({"hash", "verify"}),
    "PIL.Image.Image": frozenset({"resize", "thumbnail", "rotate", "convert", "filter", "save"}),
}
_METHOD_NAMES = frozenset().union(*CPU_BOUND_METHODS.values())
_PASSLIB_HANDLERS = "passlib.hash."
_PASSLIB_METHODS = frozenset({"hash", "verify"})


@dataclass(frozen=True)
class _Candidate:
    call: ast.Call
    function: FunctionNode
    is_path_operation: bool
    label: str


@dataclass
class _FileState:
    candidates: list[_Candidate]
    dependencies: set[int]
    covered: set[int]


_ROUTER = "from fastapi import APIRouter\nimport bcrypt\n\nrouter = APIRouter()\n\n\n"


@register
class CpuBoundInAsync(Rule):
    code = "FBP207"
    name = "cpu-bound-in-async"
    severity = Severity.INFO
    summary = "A known CPU-heavy call runs directly in an async path operation or dependency."
    why = (
        "Password hashing, image processing and parsing whole data files keep the CPU busy for "
        "tens or hundreds of milliseconds. In an `async def` that time is taken from the event "
        "loop, so every other request on the worker waits. Moving the work to a thread "
        "(`run_in_threadpool`) frees the loop; for heavy or frequent work a process pool or "
        "a task queue scales better."
    )
    recommended = (
        "import bcrypt\nfrom fastapi import APIRouter\n"
        "from fastapi.concurrency import run_in_threadpool\n\nrouter = APIRouter()\n\n\n"
        "@router.post('/users')\nasync def create_user(password: str) -> dict:\n"
        "    hashed = await run_in_threadpool(bcrypt.hashpw, password.encode(), bcrypt.gensalt())\n"
        "    return {'hash': hashed.decode()}\n"
    )
    examples = (
        Invalid(
            _ROUTER + "@router.post('/users')\nasync def create_user(password: str):\n"
            "    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())\n"
            "    return {'hash': hashed}\n",
            line=9,
        ),
        Invalid(
            "from fastapi import Depends, FastAPI\nfrom passlib.context import CryptContext\n\n"
            "app = FastAPI()\npwd_context = CryptContext(schemes=['bcrypt'])\n\n\n"
            "async def check_password(password: str):\n"
            "    if not pwd_context.verify(password, 'stored'):\n        raise ValueError()\n\n\n"
            "@app.get('/me', dependencies=[Depends(check_password)])\nasync def me():\n"
            "    return {}\n",
            line=9,
            note="dependency defined before its use",
        ),
        Invalid(
            "from fastapi import APIRouter, Depends, UploadFile\nfrom PIL import Image\n\n"
            "router = APIRouter()\n\n\n@router.post('/avatar')\n"
            "async def upload(file: UploadFile, user=Depends(lambda: None)):\n"
            "    image = Image.open(file.file)\n    image.thumbnail((128, 128))\n"
            "    image.convert('RGB').resize((64, 64)).save('out.png')\n",
            line=9,
            count=3,
            note="a chain of image operations is one finding",
        ),
        Invalid(
            "import pandas as pd\nfrom typing import Annotated\n"
            "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/report')\n"
            "async def report(frame: Annotated[object, Depends(load_frame)]):\n    return {}\n\n\n"
            "async def load_frame():\n    return pd.read_csv('data.csv')\n",
            line=14,
            note="dependency defined after its use",
        ),
        Invalid(
            "import hashlib\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "async def derive(password: bytes):\n"
            "    return hashlib.pbkdf2_hmac('sha256', password, b'salt', 600_000)\n\n\n"
            "app.add_api_route('/derive', derive)\n",
            line=8,
            note="registered with add_api_route",
        ),
        Invalid(
            "from fastapi import APIRouter\nfrom passlib.hash import bcrypt\n\n"
            "router = APIRouter()\n\n\n@router.post('/login')\nasync def login(password: str):\n"
            "    return bcrypt.verify(password, 'stored')\n",
            line=9,
        ),
        Valid(
            _ROUTER + "@router.post('/users')\ndef create_user(password: str):\n"
            "    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())\n",
            note="plain def runs in the threadpool",
        ),
        Valid(
            _ROUTER + "from fastapi.concurrency import run_in_threadpool\n\n\n"
            "@router.post('/users')\nasync def create_user(password: str):\n"
            "    return await run_in_threadpool(bcrypt.hashpw, password.encode(), b'salt')\n",
            note="handed to the threadpool",
        ),
        Valid(
            "import bcrypt\n\n\nasync def hash_password(password: bytes):\n"
            "    return bcrypt.hashpw(password, bcrypt.gensalt())\n",
            note="neither a path operation nor a dependency",
        ),
        Valid(
            _ROUTER + "@router.post('/users')\nasync def create_user(password: str):\n"
            "    def work():\n        return bcrypt.hashpw(password.encode(), b'salt')\n"
            "    return work\n",
            note="nested def",
        ),
        Valid(
            "import hashlib\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/etag')\nasync def etag(body: bytes):\n"
            "    return hashlib.sha256(body).hexdigest()\n",
            note="a fast hash",
        ),
        Valid(
            "import polars as pd\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            "@router.get('/report')\nasync def report():\n    return pd.read_csv('data.csv')\n",
            note="`pd` is not pandas",
        ),
        Valid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\nclass Thumbnail:\n"
            "    def resize(self, size):\n        return self\n\n\n@router.get('/img')\n"
            "async def img():\n    image = Thumbnail()\n    return image.resize((1, 1))\n",
            note="a `resize` on something that is not a PIL image",
        ),
        Valid(
            _ROUTER + "@router.post('/users')\nasync def create_user(bcrypt, password: str):\n"
            "    return bcrypt.hashpw(password.encode(), b'salt')\n",
            note="parameter shadows the module",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        state = self._state(ctx)
        self._collect_dependency(node, ctx, state)
        frame = ctx.function
        if frame is None or not ctx.in_async_def or id(node) in state.covered:
            return
        label = self._cpu_bound_label(node, ctx)
        if label is None:
            return
        self._cover_receivers(node, ctx, state)
        state.candidates.append(_Candidate(node, frame.node, frame.is_path_operation, label))

    def finish(self, ctx: FileContext) -> None:
        state = self._state(ctx)
        for candidate in state.candidates:
            if candidate.is_path_operation:
                where = "path operation"
            elif id(candidate.function) in state.dependencies:
                where = "dependency"
            else:
                continue
            ctx.report(
                self,
                candidate.call,
                f"`{candidate.label}` is CPU-heavy and blocks the event loop in this async "
                f"{where}; run it with `await run_in_threadpool(...)` or in a worker process",
            )

    def _state(self, ctx: FileContext) -> _FileState:
        store = ctx.rule_state(self)
        state = store.get("state")
        if not isinstance(state, _FileState):
            state = store["state"] = _FileState([], set(), set())
        return state

    @staticmethod
    def _collect_dependency(node: ast.Call, ctx: FileContext, state: _FileState) -> None:
        if not isinstance(node.func, (ast.Name, ast.Attribute)) or not (node.args or node.keywords):
            return
        target = ctx.dependency_target(node)
        if target is None:
            return
        if isinstance(target, ast.Call):
            # `Depends(Checker(...))`: the instance's `__call__` is the dependency.
            target = target.func
            name = ctx.qualname(target)
            cls = ctx.resolver.local_definition(name) if name else None
            if isinstance(cls, ast.ClassDef):
                for item in cls.body:
                    if isinstance(item, ast.AsyncFunctionDef) and item.name == "__call__":
                        state.dependencies.add(id(item))
            return
        name = ctx.qualname(target)
        definition = ctx.resolver.local_definition(name) if name else None
        if isinstance(definition, ast.AsyncFunctionDef):
            state.dependencies.add(id(definition))

    @staticmethod
    def _cpu_bound_label(node: ast.Call, ctx: FileContext) -> str | None:
        func = node.func
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        name = ctx.qualname(func)
        if name is not None:
            if name in CPU_BOUND_FUNCTIONS:
                return f"{name}()"
            head, _, method = name.rpartition(".")
            if head.startswith(_PASSLIB_HANDLERS) and method in _PASSLIB_METHODS:
                return f"{name}()"
        if isinstance(func, ast.Attribute) and func.attr in _METHOD_NAMES:
            receiver = ctx.instance_type(func.value)
            if receiver is not None and func.attr in CPU_BOUND_METHODS.get(receiver, ()):
                return f"{receiver.rpartition('.')[2]}.{func.attr}()"
        return None

    def _cover_receivers(self, node: ast.Call, ctx: FileContext, state: _FileState) -> None:
        """Receivers in `a().b().c()` that are flagged themselves are covered by the outer call."""
        func = node.func
        while isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            inner = func.value
            if self._cpu_bound_label(inner, ctx) is None:
                return
            state.covered.add(id(inner))
            func = inner.func
