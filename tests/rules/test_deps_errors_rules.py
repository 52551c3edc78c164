"""FBP402, FBP404, FBP505 beyond their examples: workspace facts, ranges and per-function state."""

from __future__ import annotations

from pathlib import Path

from tests.rules.helpers import findings_of, workspace_with

# ----- FBP402 ---------------------------------------------------------------------------------
ROUTER = (
    "from app.posts.exceptions import PostNotFound\nfrom app.posts import service\n"
    "from app.routing import router\n\n\n@router.get('/posts/{post_id}')\n"
    "async def read_post(post_id: int):\n    post = await service.get(post_id)\n"
    "    if post is None:\n        raise PostNotFound()\n    return post\n"
)


def test_inline_validation_router_and_exception_from_the_workspace(tmp_path: Path) -> None:
    workspace = workspace_with(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/routing.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
            "app/posts/__init__.py": "",
            "app/posts/exceptions.py": "from fastapi import HTTPException\n\n\n"
            "class PostNotFound(HTTPException):\n    pass\n",
        },
    )
    path = str(tmp_path / "app" / "posts" / "router.py")
    (finding,) = findings_of("FBP402", ROUTER, path, workspace=workspace)
    assert finding.range.start.line + 1 == 7
    assert finding.data == {"parameter": "post_id", "variable": "post"}
    assert findings_of("FBP402", ROUTER, path) == [], "an unknown router is not proof of a route"


def test_inline_validation_one_finding_per_operation() -> None:
    text = (
        "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n\n\n"
        "@app.get('/a/{a_id}/b/{b_id}')\nasync def pair(a_id: int, b_id: int):\n"
        "    a = await load(a_id)\n    if a is None:\n        raise HTTPException(404)\n"
        "    b = await load(b_id)\n    if not b:\n        raise HTTPException(404)\n"
        "    return a, b\n"
    )
    (finding,) = findings_of("FBP402", text)
    assert finding.data["parameter"] == "a_id"


def test_inline_validation_needs_the_load_before_the_check() -> None:
    text = (
        "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n\n\n"
        "@app.get('/items/{item_id}')\nasync def item(item_id: int):\n    found = None\n"
        "    if found is None:\n        raise HTTPException(404)\n"
        "    found = await load(item_id)\n    return found\n"
    )
    assert findings_of("FBP402", text) == []


def test_inline_validation_ignores_routes_added_by_call() -> None:
    text = (
        "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n\n\n"
        "async def item(item_id: int):\n    found = await load(item_id)\n"
        "    if found is None:\n        raise HTTPException(404)\n    return found\n\n\n"
        "app.add_api_route('/items/{item_id}', item)\n"
    )
    assert findings_of("FBP402", text) == []


# ----- FBP404 ---------------------------------------------------------------------------------
def test_auth_in_route_aliases_and_ranges() -> None:
    text = (
        "from fastapi import FastAPI, Header\nfrom starlette.requests import Request as Req\n"
        "import jwt as pyjwt\n\napp = FastAPI()\n\n\n@app.get('/me')\n"
        "async def me(r: Req, token: str | None = Header(default=None, alias='Authorization')):\n"
        "    raw = r.headers.get('AUTHORIZATION', '')\n"
        "    claims = pyjwt.decode(token or raw, 'k', algorithms=['HS256'])\n"
        "    return {'sub': claims['sub'], 'token': token}\n"
    )
    found = findings_of("FBP404", text)
    spans = [(f.range.start.line + 1, f.range.start.column, f.range.end.column) for f in found]
    assert spans == [(10, 10, 44), (11, 13, 66), (11, 26, 31)]


def test_auth_in_route_request_from_a_dependency_is_fine_in_the_dependency(
    tmp_path: Path,
) -> None:
    workspace = workspace_with(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/auth.py": "from fastapi import Request\nfrom jose import jwt\n\n\n"
            "def current_user(request: Request):\n"
            "    return jwt.decode(request.headers['authorization'], 'k')\n",
        },
    )
    route = (
        "from fastapi import Depends, FastAPI\n\nfrom app.auth import current_user\n\n"
        "app = FastAPI()\n\n\n@app.get('/me')\nasync def me(user=Depends(current_user)):\n"
        "    return user\n"
    )
    assert (
        findings_of("FBP404", route, str(tmp_path / "app" / "main.py"), workspace=workspace) == []
    )
    auth = (tmp_path / "app" / "auth.py").read_text()
    assert findings_of("FBP404", auth, str(tmp_path / "app" / "auth.py"), workspace=workspace) == []


# ----- FBP505 ---------------------------------------------------------------------------------
def test_broad_except_range_and_nesting() -> None:
    text = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\nasync def index():\n"
        "    try:\n        try:\n            return 1\n        except Exception as exc:\n"
        "            raise\n    except:  # noqa: E722\n        return 0\n"
    )
    found = findings_of("FBP505", text)
    assert [(f.range.start.line + 1, f.range.start.column, f.range.end.column) for f in found] == [
        (11, 8, 24),
        (13, 4, 10),
    ]
    assert "catches `HTTPException`" in found[0].message


def test_broad_except_noqa_on_the_except_line() -> None:
    text = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef index():\n"
        "    try:\n        return 1\n    except Exception:  # noqa: FBP505\n        return 0\n"
    )
    assert findings_of("FBP505", text) == []
