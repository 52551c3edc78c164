"""FBP703, FBP704, FBP705 beyond their examples: workspace models, fixes, fix-all, edge cases."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.model import Applicability
from fastapi_practices.workspace.filesystem import FileSystemWorkspace

from tests.rules.helpers import findings_of


def _fixed(code: str, text: str, path: str = "app/main.py", **kwargs: object) -> str | None:
    (finding,) = findings_of(code, text, path, **kwargs)
    edits = build_fix(text, finding, path=Path(path), **kwargs)  # type: ignore[arg-type]
    return apply_edits(text, edits) if edits else None


ROUTER = "from fastapi import APIRouter, HTTPException, status\n\nrouter = APIRouter()\n\n\n"


# ----- FBP703 ---------------------------------------------------------------------------------
def test_response_model_fix_with_a_workspace_model(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "schemas.py").write_text(
        "from pydantic import BaseModel\n\n\nclass Base(BaseModel):\n    pass\n\n\n"
        "class Post(Base):\n    id: int\n"
    )
    text = (
        "from fastapi import APIRouter\n\nfrom app import schemas\n\nrouter = APIRouter()\n\n\n"
        "@router.get('/posts/{post_id}')\nasync def get_post(post_id: int):\n"
        "    return schemas.Post(id=post_id)\n"
    )
    workspace = FileSystemWorkspace([tmp_path])
    path = str(tmp_path / "app" / "router.py")
    assert _fixed("FBP703", text, path, workspace=workspace) == text.replace(
        "(post_id: int):", "(post_id: int) -> schemas.Post:"
    )
    # Without the workspace the class is unknown: still reported, but nothing to suggest.
    (finding,) = findings_of("FBP703", text, path)
    assert finding.fixes == ()


def test_response_model_fix_is_unsafe_and_skipped_by_fix_all() -> None:
    text = (
        "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n"
        "class Out(BaseModel):\n    ok: bool\n\n\n@app.get('/')\ndef index():\n"
        "    return Out(ok=True)\n"
    )
    (finding,) = findings_of("FBP703", text)
    assert finding.fixes[0].applicability is Applicability.UNSAFE
    assert fix_all(text, Path("app/main.py"), Settings(select=("FBP703",))).text == text
    unsafe = fix_all(text, Path("app/main.py"), Settings(select=("FBP703",)), unsafe=True)
    assert "def index() -> Out:" in unsafe.text and unsafe.remaining == []


def test_response_model_no_fix_when_returns_differ() -> None:
    text = (
        "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n"
        "class A(BaseModel):\n    pass\n\n\nclass B(BaseModel):\n    pass\n\n\n"
        "@app.get('/')\ndef index(flag: bool):\n    if flag:\n        return A()\n    return B()\n"
    )
    (finding,) = findings_of("FBP703", text)
    assert finding.fixes == ()


def test_response_model_no_fix_when_the_model_is_only_visible_inside() -> None:
    text = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef index():\n"
        "    from pydantic import BaseModel\n\n    class Local(BaseModel):\n        pass\n\n"
        "    return Local()\n"
    )
    (finding,) = findings_of("FBP703", text)
    assert finding.fixes == ()


def test_response_model_exemptions() -> None:
    text = (
        "from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n"
        "from fastapi.templating import Jinja2Templates\n\napp = FastAPI()\n"
        "templates = Jinja2Templates(directory='t')\n\n\n"
        "@app.get('/a')\ndef a(request):\n"
        "    return templates.TemplateResponse(request, 'a.html')\n\n\n"
        "@app.get('/b')\ndef b():\n    response = JSONResponse({'b': 1})\n    return response\n\n\n"
        "@app.get('/c', **OPTIONS)\ndef c():\n    return {}\n\n\n"
        "@app.get('/d')\n@app.get('/e', response_model=None)\ndef d():\n    return {}\n"
    )
    assert findings_of("FBP703", text) == []


def test_response_model_mixed_response_and_dict_is_reported() -> None:
    text = (
        "from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n\n"
        "app = FastAPI()\n\n\n@app.get('/a')\nasync def a(flag: bool):\n    if flag:\n"
        "        return JSONResponse({})\n    return {'a': 1}\n"
    )
    (finding,) = findings_of("FBP703", text)
    assert finding.range.start.line == 7
    assert text.splitlines()[7][finding.range.start.column :].startswith("async def a")


def test_response_model_add_api_route_is_not_guessed() -> None:
    text = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef ping():\n    return {}\n\n\n"
        "app.add_api_route('/ping', ping, response_model=dict)\n"
    )
    assert findings_of("FBP703", text) == []


# ----- FBP704 ---------------------------------------------------------------------------------
def test_undocumented_status_message_lists_every_code_once() -> None:
    text = ROUTER + (
        "@router.get('/p')\nasync def read(pid: int) -> dict:\n    if pid == 1:\n"
        "        raise HTTPException(409)\n    if pid == 2:\n        raise HTTPException(404)\n"
        "    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
    )
    (finding,) = findings_of("FBP704", text)
    assert "404, 409" in finding.message
    assert finding.data["codes"] == [404, 409]


def test_undocumented_status_respects_own_status_and_string_keys() -> None:
    text = ROUTER + (
        "@router.post('/p', status_code=409, responses={'404': {'description': 'x'}})\n"
        "async def create(pid: int) -> dict:\n    if pid:\n        raise HTTPException(404)\n"
        "    raise HTTPException(409)\n"
    )
    assert findings_of("FBP704", text) == []


def test_undocumented_status_router_level_literal_and_default() -> None:
    documented = (
        "from fastapi import APIRouter, HTTPException\n\n"
        "router = APIRouter(responses={404: {'description': 'Missing'}})\n\n\n"
        "@router.get('/p')\nasync def read() -> dict:\n    raise HTTPException(404)\n"
    )
    assert findings_of("FBP704", documented) == []
    dynamic = documented.replace("responses={404: {'description': 'Missing'}}", "responses=R")
    assert findings_of("FBP704", dynamic) == []
    default = ROUTER + (
        "@router.get('/p', responses={'default': {'description': 'Error'}})\n"
        "async def read() -> dict:\n    raise HTTPException(418)\n"
    )
    assert findings_of("FBP704", default) == []


def test_undocumented_status_fix_escapes_a_phrase_with_the_quote() -> None:
    text = ROUTER + "@router.get('/tea')\nasync def tea() -> dict:\n    raise HTTPException(418)\n"
    fixed = _fixed("FBP704", text)
    assert fixed is not None
    assert "responses={418: {'description': \"I'm a Teapot\"}}" in fixed


def test_undocumented_status_fix_all_documents_every_operation() -> None:
    text = ROUTER + (
        "@router.get('/a')\nasync def a() -> dict:\n    raise HTTPException(404)\n\n\n"
        "@router.get('/b', responses={})\nasync def b() -> dict:\n    raise HTTPException(400)\n"
    )
    result = fix_all(text, Path("app/main.py"), Settings(select=("FBP704",)))
    assert result.remaining == []
    assert "@router.get('/a', responses={404: {'description': 'Not Found'}})" in result.text
    assert "@router.get('/b', responses={400: {'description': 'Bad Request'}})" in result.text


def test_undocumented_status_fix_refuses_a_non_literal_responses() -> None:
    text = ROUTER + "@router.get('/a')\nasync def a() -> dict:\n    raise HTTPException(404)\n"
    (finding,) = findings_of("FBP704", text)
    changed = text.replace("@router.get('/a')", "@router.get('/a', responses=R)")
    assert build_fix(changed, finding) is None


def test_undocumented_status_ignores_other_exceptions_and_websockets() -> None:
    text = ROUTER + (
        "@router.get('/a')\nasync def a() -> dict:\n    raise ValueError(404)\n\n\n"
        "@router.websocket('/ws')\nasync def ws(socket) -> None:\n    raise HTTPException(403)\n"
    )
    assert findings_of("FBP704", text) == []


# ----- FBP705 ---------------------------------------------------------------------------------
def test_create_without_201_is_unsafe_and_left_by_fix_all() -> None:
    text = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.post('/p')\n"
        "async def create_post() -> dict:\n    return {}\n"
    )
    (finding,) = findings_of("FBP705", text)
    assert finding.fixes[0].applicability is Applicability.UNSAFE
    result = fix_all(text, Path("app/main.py"), Settings(select=("FBP705",)))
    assert result.text == text and len(result.remaining) == 1


def test_create_without_201_ignores_api_route_and_other_methods() -> None:
    text = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        "@router.api_route('/p', methods=['POST'])\nasync def create_a() -> dict:\n"
        "    return {}\n\n\n@router.put('/p')\nasync def create_b() -> dict:\n    return {}\n"
    )
    assert findings_of("FBP705", text) == []


def test_create_without_201_fix_refuses_when_status_was_added() -> None:
    text = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.post('/p')\n"
        "async def create_post() -> dict:\n    return {}\n"
    )
    (finding,) = findings_of("FBP705", text)
    changed = text.replace("('/p')", "('/p', status_code=202)")
    assert build_fix(changed, finding) is None
