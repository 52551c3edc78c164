"""Seed §1 through a real server: a misplaced schema in a domain module is reported on its
class line and goes away once the model has moved out; a cross-domain import is rewritten by
its quick fix."""

from __future__ import annotations

import ast
from pathlib import Path

from lsprotocol import types

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import codes, open_document, replace_document, wait_for_diagnostics
from tests.lsp.test_code_actions import apply, request_actions

SERVICE = (
    "# service du café ☕\n"
    "from pydantic import BaseModel\n\n\n"
    "class PostSummary(BaseModel):\n"
    "    title: str  # titre 😀\n\n\n"
    "async def summaries() -> list[PostSummary]:\n"
    "    return []\n"
)
MOVED = (
    "from src.posts.schemas import PostSummary\n\n\nasync def summaries() -> list[PostSummary]:\n"
)
MOVED += "    return []\n"


def _domain_project(project: Path) -> None:
    files = {
        "src/__init__.py": "",
        "src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "src/posts/__init__.py": "",
        "src/posts/router.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
    }
    for relative, text in files.items():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


async def test_misplaced_schema_is_reported(client: RecordingClient, project: Path) -> None:
    _domain_project(project)
    uri = open_document(client, project / "src" / "posts" / "service.py", SERVICE)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    assert codes(diagnostics) == ["FBP102"]
    (schema,) = diagnostics
    assert schema.range == types.Range(
        start=types.Position(line=4, character=0), end=types.Position(line=4, character=17)
    )
    assert schema.severity == types.DiagnosticSeverity.Information
    assert "posts/schemas.py" in schema.message

    replace_document(client, uri, 2, MOVED)
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []


async def test_source_root_module_is_not_judged(client: RecordingClient, project: Path) -> None:
    _domain_project(project)
    uri = open_document(client, project / "src" / "schemas.py", SERVICE)
    assert codes(await wait_for_diagnostics(client, uri, version=1)) == []


CROSS = (
    "# ☕ auteur\nfrom src.auth.service import get_user\n\n\n"
    "async def author(user_id: int) -> str:\n"
    '    return f"{await get_user(user_id)} 😀"\n'
)
CROSS_FIXED = (
    "# ☕ auteur\nfrom src.auth import service as auth_service\n\n\n"
    "async def author(user_id: int) -> str:\n"
    '    return f"{await auth_service.get_user(user_id)} 😀"\n'
)


async def test_cross_domain_import_fix(client: RecordingClient, project: Path) -> None:
    _domain_project(project)
    (project / "src" / "auth").mkdir()
    (project / "src" / "auth" / "service.py").write_text(
        "async def get_user(user_id: int) -> str:\n    return ''\n", encoding="utf-8"
    )
    uri = open_document(client, project / "src" / "posts" / "service.py", CROSS)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    assert codes(diagnostics) == ["FBP106"]
    assert diagnostics[0].range.start == types.Position(line=1, character=0)
    actions = await request_actions(client, uri, diagnostics, only=["quickfix"])
    assert actions[0].title == "Import the module and qualify its names"
    fixed = await apply(client, uri, CROSS, actions[0], 2)
    assert fixed == CROSS_FIXED
    ast.parse(fixed)
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []
