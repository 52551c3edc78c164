"""FBP206, FBP207, FBP208 beyond their examples: per-file state, dependencies, workspace types."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.model import Finding
from fastapi_practices.workspace.filesystem import FileSystemWorkspace

from tests.rules.helpers import findings_of


def _lines(findings: list[Finding]) -> list[int]:
    return [f.range.start.line + 1 for f in findings]


DEPENDENCY_FILE = """\
import bcrypt
from fastapi import Depends, FastAPI

app = FastAPI()


async def check(password: str):
    return bcrypt.checkpw(password.encode(), b"stored")


@app.get("/", dependencies=[Depends(check)])
async def index():
    return {}
"""

HELPER_FILE = """\
import bcrypt


async def check(password: str):
    return bcrypt.checkpw(password.encode(), b"stored")
"""


def test_cpu_bound_state_does_not_leak_between_files() -> None:
    assert _lines(findings_of("FBP207", DEPENDENCY_FILE)) == [8]
    assert findings_of("FBP207", HELPER_FILE) == []
    assert _lines(findings_of("FBP207", DEPENDENCY_FILE)) == [8]


def test_cpu_bound_message_points_to_threadpool_and_processes() -> None:
    (finding,) = findings_of("FBP207", DEPENDENCY_FILE)
    assert "bcrypt.checkpw()" in finding.message
    assert "dependency" in finding.message
    assert "run_in_threadpool" in finding.message
    assert "worker process" in finding.message
    assert finding.fixes == ()


def test_cpu_bound_in_async_call_method_of_a_class_dependency() -> None:
    text = (
        "import hashlib\nfrom fastapi import Depends, FastAPI\n\napp = FastAPI()\n\n\n"
        "class Verifier:\n    async def __call__(self, token: str):\n"
        "        return hashlib.scrypt(token.encode(), salt=b's', n=2, r=8, p=1)\n\n\n"
        "@app.get('/', dependencies=[Depends(Verifier())])\nasync def index():\n"
        "    return {}\n"
    )
    assert _lines(findings_of("FBP207", text)) == [9]


def test_cpu_bound_ignores_a_sync_dependency() -> None:
    text = DEPENDENCY_FILE.replace("async def check", "def check")
    assert findings_of("FBP207", text) == []


def test_cpu_bound_crypt_context_imported_from_the_workspace(tmp_path: Path) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "security.py").write_text(
        "from passlib.context import CryptContext\n\n"
        "pwd_context = CryptContext(schemes=['bcrypt'])\n"
    )
    text = (
        "from fastapi import APIRouter\n\nfrom app.security import pwd_context\n\n"
        "router = APIRouter()\n\n\n@router.post('/login')\nasync def login(password: str):\n"
        "    return pwd_context.verify(password, 'stored')\n"
    )
    main = package / "main.py"
    workspace = FileSystemWorkspace([tmp_path])
    assert _lines(findings_of("FBP207", text, str(main), workspace=workspace)) == [10]
    assert findings_of("FBP207", text, str(main)) == []


def test_cpu_bound_image_chain_is_reported_once_on_the_outer_call() -> None:
    text = (
        "from PIL import Image\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.post('/')\nasync def upload(data):\n"
        "    Image.open(data).convert('L').rotate(90).save('x.png')\n"
    )
    (finding,) = findings_of("FBP207", text)
    assert finding.range.start.column == 4
    assert "save()" in finding.message


def test_cpu_bound_with_statement_image_and_annotation() -> None:
    text = (
        "from PIL import Image\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.post('/')\nasync def upload(data, other: Image.Image):\n"
        "    with Image.open(data) as img:\n        img.filter(None)\n"
        "    other.resize((1, 1))\n    other.crop((0, 0, 1, 1))\n"
    )
    assert _lines(findings_of("FBP207", text)) == [9, 10, 11]


def test_loop_run_message_and_no_fix() -> None:
    text = "import asyncio\n\n\nasync def handler(job):\n    asyncio.run(job())\n"
    (finding,) = findings_of("FBP206", text)
    assert "RuntimeError" in finding.message
    assert finding.fixes == ()


def test_loop_run_in_lambda_or_sync_helper_is_silent() -> None:
    text = (
        "import asyncio\n\n\nasync def handler(job):\n"
        "    await asyncio.to_thread(lambda: asyncio.run(job()))\n"
    )
    assert findings_of("FBP206", text) == []


def test_loop_run_with_loop_from_a_with_statement() -> None:
    text = (
        "import asyncio\n\n\nasync def handler(job):\n"
        "    with asyncio.new_event_loop() as loop:\n        loop.run_until_complete(job())\n"
    )
    assert _lines(findings_of("FBP206", text)) == [6]


def test_fire_and_forget_only_in_path_operations() -> None:
    route = (
        "import asyncio\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.post('/')\nasync def index(job):\n    asyncio.create_task(job())\n"
    )
    helper = "import asyncio\n\n\nasync def index(job):\n    asyncio.create_task(job())\n"
    (finding,) = findings_of("FBP208", route)
    assert "BackgroundTasks" in finding.message
    assert finding.range.start.line == 8
    assert findings_of("FBP208", helper) == []


def test_fire_and_forget_kept_in_a_list_or_gathered() -> None:
    text = (
        "import asyncio\nfrom fastapi import FastAPI\n\napp = FastAPI()\ntasks = []\n\n\n"
        "@app.post('/')\nasync def index(job):\n    tasks.append(asyncio.create_task(job()))\n"
        "    await asyncio.gather(asyncio.create_task(job()))\n"
    )
    assert findings_of("FBP208", text) == []
