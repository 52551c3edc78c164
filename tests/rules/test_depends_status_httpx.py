"""FBP401, FBP504, FBP802 beyond their examples: workspace callees, fix-all, the status table."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.rules.errors.status_codes import STATUS_CONSTANTS, status_constant

from tests.rules.helpers import findings_of, workspace_with

# ----- FBP401 ---------------------------------------------------------------------------------
ROUTE_USING_DEPS = (
    "from fastapi import Depends, FastAPI\n\nfrom app.deps import get_db, require_role\n\n"
    "app = FastAPI()\n\n\n@app.get('/')\n"
    "def index(db=Depends(get_db()), role=Depends(require_role('admin'))):\n    return db\n"
)
DEPS_MODULE = (
    "def get_db():\n    db = {}\n    yield db\n\n\n"
    "def require_role(role):\n    def check():\n        return role\n    return check\n"
)


def test_depends_called_on_a_workspace_function(tmp_path: Path) -> None:
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/deps.py": DEPS_MODULE})
    main = str(tmp_path / "app" / "main.py")
    (finding,) = findings_of("FBP401", ROUTE_USING_DEPS, main, workspace=workspace)
    assert "get_db" in finding.message
    edits = build_fix(ROUTE_USING_DEPS, finding, path=Path(main), workspace=workspace)
    assert edits is not None
    fixed = apply_edits(ROUTE_USING_DEPS, edits)
    assert "db=Depends(get_db)," in fixed
    assert "require_role('admin')" in fixed


def test_depends_called_unknown_callee_without_workspace_is_silent() -> None:
    assert findings_of("FBP401", ROUTE_USING_DEPS) == []


def test_depends_called_inherited_call_and_settings_factories() -> None:
    text = (
        "from functools import lru_cache\nfrom fastapi import Depends\n"
        "from pydantic_settings import BaseSettings\n\n\nclass Base:\n"
        "    def __call__(self):\n        return 1\n\n\nclass Checker(Base):\n    pass\n\n\n"
        "class Settings(BaseSettings):\n    debug: bool = False\n\n\n"
        "def checker():\n    return Checker()\n\n\n@lru_cache\ndef get_settings():\n"
        "    return Settings()\n\n\n"
        "def handler(c=Depends(checker()), s=Depends(get_settings())):\n    return c, s\n"
    )
    (finding,) = findings_of("FBP401", text)
    assert "get_settings" in finding.message
    assert finding.range.start.line + 1 == 28


def test_depends_called_returning_another_function_is_a_factory() -> None:
    text = (
        "from fastapi import Depends\n\n\ndef real():\n    return 1\n\n\n"
        "def pick():\n    return real\n\n\ndef handler(v=Depends(pick())):\n    return v\n"
    )
    assert findings_of("FBP401", text) == []


def test_depends_called_fix_all_clears_every_argumentless_call() -> None:
    text = (
        "from fastapi import Depends, Security\n\n\nasync def user():\n    return 1\n\n\n"
        "def db():\n    yield 1\n\n\n"
        "def handler(u=Security(user()), d=Depends(db()), e=Depends(db(1))):\n    return u\n"
    )
    result = fix_all(text, Path("app/main.py"), Settings(select=("FBP401",)))
    assert "u=Security(user), d=Depends(db), e=Depends(db(1))" in result.text
    assert result.applied == 2
    assert [f.fixes for f in result.remaining] == [()]


# ----- FBP504 ---------------------------------------------------------------------------------
def test_status_table_names() -> None:
    assert status_constant(422) == "HTTP_422_UNPROCESSABLE_ENTITY"
    assert status_constant(201) == "HTTP_201_CREATED"
    assert status_constant(418) == "HTTP_418_IM_A_TEAPOT"
    assert status_constant(299) is None
    assert all(name.startswith(f"HTTP_{code}_") for code, name in STATUS_CONSTANTS.items())
    assert len(STATUS_CONSTANTS) == 63


def test_bare_status_fix_all_adds_one_import() -> None:
    text = (
        "from fastapi import APIRouter, HTTPException\nfrom fastapi.responses import JSONResponse"
        "\n\nrouter = APIRouter()\n\n\n@router.post('/', status_code=201)\nasync def create(x):\n"
        "    if not x:\n        raise HTTPException(status_code=422)\n"
        "    return JSONResponse({}, 202)\n"
    )
    result = fix_all(text, Path("app/main.py"), Settings(select=("FBP504",)))
    assert result.applied == 3
    assert result.text.count("from fastapi import status") == 1
    assert "status_code=status.HTTP_201_CREATED" in result.text
    assert "HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY)" in result.text
    assert "JSONResponse({}, status.HTTP_202_ACCEPTED)" in result.text
    assert result.remaining == []


def test_bare_status_no_fix_when_status_is_taken() -> None:
    local = (
        "from fastapi import HTTPException\n\n\ndef f():\n    status = 'x'\n"
        "    raise HTTPException(404, status)\n"
    )
    imported = "from fastapi import HTTPException\nfrom app import status\n\nHTTPException(404)\n"
    star = "from fastapi import HTTPException\nfrom app.consts import *\n\nHTTPException(404)\n"
    for text in (local, imported, star):
        (finding,) = findings_of("FBP504", text)
        assert finding.fixes == ()


def test_bare_status_workspace_subclass_and_router(tmp_path: Path) -> None:
    workspace = workspace_with(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/errors.py": "from fastapi import HTTPException\n\n\n"
            "class NotFound(HTTPException):\n    pass\n",
            "app/routing.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
        },
    )
    text = (
        "from app.errors import NotFound\nfrom app.routing import router\n\n\n"
        "@router.delete('/', status_code=204)\ndef remove():\n    raise NotFound(404)\n"
    )
    main = str(tmp_path / "app" / "main.py")
    found = findings_of("FBP504", text, main, workspace=workspace)
    assert [f.range.start.line + 1 for f in found] == [5, 7]
    assert findings_of("FBP504", text, main) == []


def test_bare_status_ignores_other_integers() -> None:
    text = (
        "from fastapi import HTTPException\nfrom fastapi.responses import JSONResponse\n\n"
        "HTTPException(status_code=True)\nJSONResponse(404)\nHTTPException(detail=404, "
        "status_code=-1)\n"
    )
    assert findings_of("FBP504", text) == []


# ----- FBP802 ---------------------------------------------------------------------------------
def test_httpx_alias_module_spelling_and_existing_transport() -> None:
    text = (
        "import httpx as hx\n\nfrom app.main import app\n\n"
        "a = hx.AsyncClient(app=app)\nb = hx.AsyncClient(app=app, transport=None)\n"
    )
    result = fix_all(text, Path("tests/test_x.py"), Settings(select=("FBP802",)))
    assert "a = hx.AsyncClient(transport=hx.ASGITransport(app=app))\n" in result.text
    assert "import httpx as hx\n\nfrom app.main import app\n\n" in result.text
    assert result.applied == 1
    assert [f.range.start.line + 1 for f in result.remaining] == [6]


def test_httpx_fix_keeps_crlf_line_endings() -> None:
    text = "from httpx import AsyncClient\r\n\r\nc = AsyncClient(app=object())\r\n"
    result = fix_all(text, Path("tests/test_x.py"), Settings(select=("FBP802",)))
    assert result.text == (
        "from httpx import AsyncClient\r\nfrom httpx import ASGITransport\r\n\r\n"
        "c = AsyncClient(transport=ASGITransport(app=object()))\r\n"
    )


def test_httpx_star_import_is_not_proof() -> None:
    assert findings_of("FBP802", "from httpx import *\n\nc = AsyncClient(app=1)\n") == []
