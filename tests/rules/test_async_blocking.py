"""FBP202 to FBP205 beyond their examples: which fixes are offered, and facts from other files."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.model import Applicability, Finding, Severity
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext

from tests.rules.helpers import workspace_with

BLOCKING_CODES = ("FBP202", "FBP203", "FBP204", "FBP205")


def _findings(
    code: str,
    text: str,
    path: Path = Path("app/main.py"),
    workspace: WorkspaceContext = EMPTY_WORKSPACE,
) -> list[Finding]:
    found = analyze(text, path, Settings(select=(code,)), workspace)
    return [f for f in found if f.code == code]


def _kinds(finding: Finding) -> list[str]:
    return [option.kind for option in finding.fixes]


def test_both_fixes_offered_when_function_awaits_nothing() -> None:
    [finding] = _findings("FBP204", "import os\n\n\nasync def run():\n    os.system('ls')\n")
    assert _kinds(finding) == ["make-def", "wrap-threadpool"]
    assert all(option.applicability is Applicability.UNSAFE for option in finding.fixes)
    assert [option.is_preferred for option in finding.fixes] == [True, False]
    assert finding.severity is Severity.WARNING


def test_make_def_not_offered_when_function_awaits() -> None:
    text = (
        "import asyncio\nimport requests\n\n\nasync def run(url: str):\n"
        "    await asyncio.sleep(0)\n    requests.get(url)\n"
    )
    [finding] = _findings("FBP202", text)
    assert _kinds(finding) == ["wrap-threadpool"]


def test_make_def_not_offered_for_async_generator_or_async_with() -> None:
    text = (
        "import shutil\n\n\nasync def stream(folder: str, lock):\n"
        "    async with lock:\n        shutil.rmtree(folder)\n"
    )
    [finding] = _findings("FBP203", text)
    assert _kinds(finding) == ["wrap-threadpool"]


def test_wrap_not_offered_inside_a_larger_expression() -> None:
    text = "import subprocess\n\n\nasync def run():\n    return subprocess.run(['ls']).stdout\n"
    [finding] = _findings("FBP204", text)
    assert _kinds(finding) == ["make-def"]


def test_no_fix_at_all_when_neither_applies() -> None:
    text = (
        "import asyncio\nimport requests\n\n\nasync def run(url: str):\n"
        "    await asyncio.sleep(0)\n    return requests.get(url).json()\n"
    )
    [finding] = _findings("FBP202", text)
    assert finding.fixes == ()


def test_sync_db_never_offers_the_threadpool_wrap() -> None:
    text = "from sqlalchemy.orm import Session\n\n\nasync def save(db: Session):\n    db.commit()\n"
    [finding] = _findings("FBP205", text)
    assert _kinds(finding) == ["make-def"]


def test_awaited_call_is_not_blocking_whatever_the_annotation() -> None:
    text = "import httpx\n\n\nasync def run(client: httpx.Client):\n    await client.get('/x')\n"
    assert _findings("FBP202", text) == []


def test_messages_name_the_call() -> None:
    text = "import httpx\n\n\nasync def run(client: httpx.Client):\n    client.post('/x')\n"
    [finding] = _findings("FBP202", text)
    assert "`httpx.Client.post()`" in finding.message


def test_every_call_in_the_body_is_reported_once() -> None:
    text = (
        "import os\nimport subprocess\n\n\nasync def run():\n"
        "    os.system('a')\n    subprocess.call(['b'])\n    subprocess.check_call(['c'])\n"
    )
    assert [f.range.start.line for f in _findings("FBP204", text)] == [5, 6, 7]


def test_noqa_silences_one_code() -> None:
    text = "import os\n\n\nasync def run():\n    os.system('ls')  # noqa: FBP204\n"
    assert _findings("FBP204", text) == []


def test_session_from_a_dependency_in_another_module(tmp_path: Path) -> None:
    database = (
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
        "SessionLocal = sessionmaker(bind=create_engine('sqlite://'))\n\n\n"
        "def get_db():\n    db = SessionLocal()\n    try:\n        yield db\n"
        "    finally:\n        db.close()\n"
    )
    main = (
        "from fastapi import Depends\n\nfrom app.database import get_db\n\n\n"
        "async def read(db=Depends(get_db)):\n    return db.execute('select 1')\n"
    )
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/database.py": database})
    found = _findings("FBP205", main, tmp_path / "app" / "main.py", workspace=workspace)
    assert [f.range.start.line for f in found] == [6]


def test_async_session_dependency_in_another_module_is_silent(tmp_path: Path) -> None:
    database = (
        "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\n"
        "SessionLocal = async_sessionmaker(create_async_engine('sqlite+aiosqlite://'))\n\n\n"
        "async def get_db():\n    async with SessionLocal() as session:\n        yield session\n"
    )
    main = (
        "from fastapi import Depends\n\nfrom app.database import get_db\n\n\n"
        "async def read(db=Depends(get_db)):\n    return await db.execute('select 1')\n"
        "\n\nasync def read_one(key: int, db=Depends(get_db)):\n"
        "    return await db.get(dict, key)\n"
    )
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/database.py": database})
    assert _findings("FBP205", main, tmp_path / "app" / "main.py", workspace=workspace) == []


def test_type_alias_imported_from_another_module(tmp_path: Path) -> None:
    deps = (
        "from typing import Annotated\n\nfrom fastapi import Depends\n"
        "from sqlmodel import Session\n\n\ndef get_session():\n    ...\n\n\n"
        "SessionDep = Annotated[Session, Depends(get_session)]\n"
    )
    main = (
        "from app.deps import SessionDep\n\n\n"
        "async def read(session: SessionDep):\n    return session.get(dict, 1)\n"
    )
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/deps.py": deps})
    found = _findings("FBP205", main, tmp_path / "app" / "main.py", workspace=workspace)
    assert [f.range.start.line for f in found] == [4]


def test_client_built_in_another_module(tmp_path: Path) -> None:
    clients = "import boto3\nimport redis\n\ns3 = boto3.client('s3')\ncache = redis.Redis()\n"
    main = (
        "from app.clients import cache, s3\n\n\nasync def run(key: str):\n"
        "    s3.delete_object(Bucket='b', Key=key)\n    cache.delete(key)\n"
        "    return s3.get_paginator('list_objects_v2'), cache.pipeline()\n"
    )
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/clients.py": clients})
    found = _findings("FBP202", main, tmp_path / "app" / "main.py", workspace=workspace)
    assert [f.range.start.line for f in found] == [4, 5]


def test_workspace_subclass_of_a_sync_client(tmp_path: Path) -> None:
    clients = "import httpx\n\n\nclass ApiClient(httpx.Client):\n    pass\n"
    main = (
        "from app.clients import ApiClient\n\n\nasync def run():\n"
        "    client = ApiClient()\n    return client.get('/health')\n"
    )
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/clients.py": clients})
    found = _findings("FBP202", main, tmp_path / "app" / "main.py", workspace=workspace)
    assert [f.range.start.line for f in found] == [5]
    assert "`httpx.Client.get()`" in found[0].message


def test_subclass_of_test_client_is_not_network(tmp_path: Path) -> None:
    main = (
        "from fastapi.testclient import TestClient\n\n\nclass Client(TestClient):\n    pass\n\n\n"
        "async def test_home(app):\n    assert Client(app).get('/').status_code == 200\n"
    )
    assert _findings("FBP202", main) == []


def test_nothing_reported_outside_functions_or_in_sync_ones() -> None:
    for code, call in zip(
        BLOCKING_CODES,
        ("requests.get('x')", "open('x')", "subprocess.run(['x'])", "sqlite3.connect('x')"),
        strict=True,
    ):
        text = (
            "import requests, subprocess, sqlite3\n\n"
            f"{call}\n\n\ndef sync():\n    {call}\n\n\nclass C:\n    {call}\n"
        )
        assert _findings(code, text) == [], code
