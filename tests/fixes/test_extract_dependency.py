"""FBP402's cross-file fix: the route's load-and-raise moves into `valid_<param>` in the domain's
`dependencies.py`, created or appended to, and the route receives the entity through `Depends`."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi_practices.cli_support.indexes import build_index
from fastapi_practices.config import Settings, load_project
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import (
    WorkspaceFix,
    apply_edits,
    build_fix,
    build_workspace_fix,
    fix_all,
)
from fastapi_practices.model import Finding
from fastapi_practices.workspace import EMPTY_WORKSPACE, FileSystemWorkspace, WorkspaceContext

PROJECT = {
    "pyproject.toml": '[project]\nname = "blog"\n',
    "src/__init__.py": "",
    "src/database.py": (
        "from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy.orm import Session\n\n\n"
        "async def get_session() -> AsyncSession:\n    ...\n\n\n"
        "def get_db() -> Session:\n    ...\n"
    ),
    "src/posts/__init__.py": "",
    "src/posts/models.py": "class Post:\n    title: str | None = None\n",
    "src/posts/exceptions.py": "class PostNotFound(Exception):\n    pass\n",
    "src/posts/service.py": (
        "from src.posts.models import Post\n\n\n"
        "async def get_by_id(post_id: int) -> Post | None:\n    ...\n"
    ),
}

ROUTER = (
    "from fastapi import APIRouter, Depends, HTTPException\n"
    "from sqlalchemy.ext.asyncio import AsyncSession\n"
    "\n"
    "from src.database import get_session\n"
    "from src.posts.models import Post\n"
    "\n"
    "router = APIRouter()\n"
    "\n"
    "\n"
    '@router.get("/posts/{post_id}")\n'
    "async def read_post(post_id: int, session: AsyncSession = Depends(get_session)) -> Post:\n"
    "    post = await session.get(Post, post_id)\n"
    "    if post is None:\n"
    '        raise HTTPException(status_code=404, detail="Post not found")\n'
    "    return post\n"
)

ROUTER_FIXED = (
    "from fastapi import APIRouter, Depends, HTTPException\n"
    "from sqlalchemy.ext.asyncio import AsyncSession\n"
    "\n"
    "from src.database import get_session\n"
    "from src.posts.models import Post\n"
    "from src.posts.dependencies import valid_post_id\n"
    "\n"
    "router = APIRouter()\n"
    "\n"
    "\n"
    '@router.get("/posts/{post_id}")\n'
    "async def read_post(post: Post = Depends(valid_post_id)) -> Post:\n"
    "    return post\n"
)

VALID_POST_ID = (
    "async def valid_post_id(post_id: int, session: AsyncSession = Depends(get_session)) -> Post:\n"
    "    post = await session.get(Post, post_id)\n"
    "    if post is None:\n"
    '        raise HTTPException(status_code=404, detail="Post not found")\n'
    "    return post\n"
)


def _project(root: Path, files: dict[str, str]) -> None:
    for relative, text in {**PROJECT, **files}.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _settings(path: Path, *codes: str) -> Settings:
    return replace(load_project(path).settings, select=codes or ("FBP402",))


def _finding(text: str, path: Path, workspace: WorkspaceContext) -> Finding:
    (finding,) = [f for f in analyze(text, path, _settings(path), workspace) if f.code == "FBP402"]
    return finding


def _fix(
    tmp_path: Path, router: str, files: dict[str, str] | None = None, workspace: str = "disk"
) -> tuple[Path, WorkspaceContext, WorkspaceFix | None]:
    _project(tmp_path, {"src/posts/router.py": router, **(files or {})})
    path = tmp_path / "src" / "posts" / "router.py"
    context: WorkspaceContext = (
        build_index(tmp_path, _settings(path))
        if workspace == "index"
        else FileSystemWorkspace([tmp_path])
    )
    finding = _finding(router, path, context)
    return path, context, build_workspace_fix(router, finding, "extract-dependency", path, context)


def _applied(path: Path, router: str, fix: WorkspaceFix) -> tuple[str, str]:
    """The route module and the dependencies module after the fix, both written to disk."""
    fixed_router = apply_edits(router, fix.edits)
    (change,) = fix.files
    deps = Path(change.path)
    before = "" if change.create else deps.read_text(encoding="utf-8")
    fixed_deps = apply_edits(before, list(change.edits))
    ast.parse(fixed_router)
    ast.parse(fixed_deps)
    path.write_text(fixed_router, encoding="utf-8")
    deps.write_text(fixed_deps, encoding="utf-8")
    return fixed_router, fixed_deps


@pytest.mark.parametrize("workspace", ["disk", "index"])
def test_creates_the_dependencies_module(tmp_path: Path, workspace: str) -> None:
    path, _, fix = _fix(tmp_path, ROUTER, workspace=workspace)
    assert fix is not None and fix.creates_files
    (change,) = fix.files
    assert Path(change.path) == (tmp_path / "src" / "posts" / "dependencies.py").resolve()
    assert len(change.edits) == 1 and change.edits[0].range.start == change.edits[0].range.end
    router, deps = _applied(path, ROUTER, fix)
    assert router == ROUTER_FIXED
    assert deps == (
        "from fastapi import Depends, HTTPException\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "\n"
        "from src.database import get_session\n"
        "from src.posts.models import Post\n"
        "\n"
        "\n" + VALID_POST_ID
    )
    fresh = FileSystemWorkspace([tmp_path])
    assert [f for f in analyze(router, path, _settings(path), fresh) if f.code == "FBP402"] == []


def test_the_fix_brings_no_new_finding_of_any_rule(tmp_path: Path) -> None:
    path, _, fix = _fix(tmp_path, ROUTER)
    assert fix is not None
    every = _settings(path, "ALL")
    before = Counter(f.code for f in analyze(ROUTER, path, every, FileSystemWorkspace([tmp_path])))
    router, deps = _applied(path, ROUTER, fix)
    workspace = FileSystemWorkspace([tmp_path])
    after = Counter(f.code for f in analyze(router, path, every, workspace))
    expected = before.copy()
    expected["FBP402"] -= 1
    assert not after - expected
    deps_path = path.parent / "dependencies.py"
    assert "FBP402" not in {f.code for f in analyze(deps, deps_path, every, workspace)}


def test_appends_to_an_existing_module_and_merges_imports(tmp_path: Path) -> None:
    existing = (
        '"""Dependencies of posts."""\n'
        "from fastapi import Depends\n"
        "\n"
        "from src.database import get_session\n"
        "\n"
        "\n"
        "async def valid_author(author_id: int) -> int:\n"
        "    return author_id\n"
        "\n"
    )
    path, _, fix = _fix(tmp_path, ROUTER, {"src/posts/dependencies.py": existing})
    assert fix is not None and not fix.creates_files
    router, deps = _applied(path, ROUTER, fix)
    assert router == ROUTER_FIXED
    assert deps == (
        '"""Dependencies of posts."""\n'
        "from fastapi import Depends, HTTPException\n"
        "\n"
        "from src.database import get_session\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "\n"
        "from src.posts.models import Post\n"
        "\n"
        "\n"
        "async def valid_author(author_id: int) -> int:\n"
        "    return author_id\n"
        "\n"
        "\n" + VALID_POST_ID
    )


def test_a_module_of_only_imports_without_a_final_newline(tmp_path: Path) -> None:
    existing = "from fastapi import HTTPException"
    path, _, fix = _fix(tmp_path, ROUTER, {"src/posts/dependencies.py": existing})
    assert fix is not None
    _, deps = _applied(path, ROUTER, fix)
    assert deps == (
        "from fastapi import HTTPException, Depends\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "\n"
        "from src.database import get_session\n"
        "from src.posts.models import Post\n"
        "\n"
        "\n" + VALID_POST_ID
    )


def test_the_editor_text_of_an_open_dependencies_module_wins(tmp_path: Path) -> None:
    on_disk = "from fastapi import Depends\n"
    in_editor = "from fastapi import Depends\n\n\ndef unsaved() -> None:\n    pass\n"
    _project(tmp_path, {"src/posts/router.py": ROUTER, "src/posts/dependencies.py": on_disk})
    path = tmp_path / "src" / "posts" / "router.py"
    index = build_index(tmp_path, _settings(path))
    index.update(path.parent / "dependencies.py", in_editor)
    finding = _finding(ROUTER, path, index)
    fix = build_workspace_fix(ROUTER, finding, "extract-dependency", path, index)
    assert fix is not None
    (change,) = fix.files
    fixed = apply_edits(in_editor, list(change.edits))
    assert "def unsaved() -> None:\n    pass\n\n\nasync def valid_post_id(" in fixed
    ast.parse(fixed)


def test_per_file_callers_never_apply_half_of_it(tmp_path: Path) -> None:
    path, context, fix = _fix(tmp_path, ROUTER)
    assert fix is not None
    finding = _finding(ROUTER, path, context)
    assert build_fix(ROUTER, finding, "extract-dependency", path, context) is None
    result = fix_all(ROUTER, path, _settings(path), context, unsafe=True)
    assert result.text == ROUTER and result.applied == 0


def test_the_entity_type_from_a_select_in_a_sync_route(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter, Depends, HTTPException\n"
        "from sqlalchemy import select\n"
        "from sqlalchemy.orm import Session\n"
        "\n"
        "from src.database import get_db\n"
        "from src.posts.models import Post\n"
        "\n"
        "router = APIRouter()\n"
        "\n"
        "\n"
        "@router.get('/posts/{post_id}/title')\n"
        "def title(post_id: int, db: Session = Depends(get_db)):\n"
        "    result = db.execute(select(Post).where(Post.id == post_id))\n"
        "    post = result.scalar_one_or_none()\n"
        "    if post is None or post.title is None:\n"
        "        raise HTTPException(404)\n"
        "    return post.title\n"
    )
    path, _, fix = _fix(tmp_path, router)
    assert fix is not None
    fixed, deps = _applied(path, router, fix)
    assert "def title(post: Post = Depends(valid_post_id)):\n    return post.title\n" in fixed
    assert deps.endswith(
        "def valid_post_id(post_id: int, db: Session = Depends(get_db)) -> Post:\n"
        "    result = db.execute(select(Post).where(Post.id == post_id))\n"
        "    post = result.scalar_one_or_none()\n"
        "    if post is None or post.title is None:\n"
        "        raise HTTPException(404)\n"
        "    return post\n"
    )
    assert "from sqlalchemy import select\n" in deps


def test_annotated_style_and_a_path_parameter_still_in_use(tmp_path: Path) -> None:
    router = (
        "from typing import Annotated\n"
        "\n"
        "from fastapi import APIRouter, Depends, Path\n"
        "\n"
        "from src.posts import service\n"
        "from src.posts.exceptions import PostNotFound\n"
        "from src.posts.models import Post\n"
        "\n"
        "router = APIRouter()\n"
        "\n"
        "\n"
        "@router.get('/posts/{post_id}')\n"
        "async def read_post(\n"
        "    post_id: Annotated[int, Path(ge=1)],\n"
        "    q: str,\n"
        "):\n"
        "    post = await service.get_by_id(post_id)\n"
        "    if not post:\n"
        "        raise PostNotFound()\n"
        "    return {'id': post_id, 'post': post, 'q': q}\n"
    )
    path, _, fix = _fix(tmp_path, router)
    assert fix is not None
    fixed, deps = _applied(path, router, fix)
    assert (
        "async def read_post(\n"
        "    post_id: Annotated[int, Path(ge=1)],\n"
        "    post: Annotated[Post, Depends(valid_post_id)],\n"
        "    q: str,\n"
        "):\n"
        "    return {'id': post_id, 'post': post, 'q': q}\n"
    ) in fixed
    assert "async def valid_post_id(post_id: Annotated[int, Path(ge=1)]) -> Post:\n" in deps
    assert "from typing import Annotated\n\nfrom fastapi import Path\n" in deps


def test_a_default_never_lands_before_a_parameter_without_one(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter, HTTPException\n"
        "\n"
        "from src.posts import service\n"
        "\n"
        "router = APIRouter()\n"
        "\n"
        "\n"
        "@router.get('/posts/{post_id}')\n"
        "async def read_post(post_id: int, q: str, limit: int = 10):\n"
        "    if (post := await service.get_by_id(post_id)) is None:\n"
        "        raise HTTPException(status_code=404)\n"
        "    return post, q, limit\n"
    )
    path, _, fix = _fix(tmp_path, router)
    assert fix is not None
    fixed, deps = _applied(path, router, fix)
    # `service.get_by_id` promises a `Post`, which this module does not import: no annotation.
    assert "async def read_post(q: str, post=Depends(valid_post_id), limit: int = 10):\n" in fixed
    assert "from fastapi import APIRouter, HTTPException, Depends\n" in fixed
    assert "    if (post := await service.get_by_id(post_id)) is None:\n" in deps


def test_no_fix_outside_a_domain(tmp_path: Path) -> None:
    _project(tmp_path, {"src/main.py": ROUTER})
    path = tmp_path / "src" / "main.py"
    finding = _finding(ROUTER, path, FileSystemWorkspace([tmp_path]))
    assert finding.fixes == ()
    assert dict(finding.data) == {"parameter": "post_id", "variable": "post"}
    single = _finding(ROUTER, Path("app/posts/router.py"), EMPTY_WORKSPACE)
    assert single.fixes == ()


@pytest.mark.parametrize(
    ("router", "files"),
    [
        pytest.param(
            ROUTER.replace(
                "router = APIRouter()\n",
                "router = APIRouter()\n\n\nclass Missing(Exception):\n    pass\n",
            ).replace('HTTPException(status_code=404, detail="Post not found")', "Missing()"),
            {},
            id="exception-defined-in-the-route-module",
        ),
        pytest.param(
            ROUTER.replace(
                "    post = await session.get(Post, post_id)\n",
                "    key = post_id * 2\n    post = await session.get(Post, post_id + key)\n",
            ),
            {},
            id="a-local-computed-before",
        ),
        pytest.param(
            ROUTER,
            {"src/posts/dependencies.py": "async def valid_post_id() -> None:\n    pass\n"},
            id="name-taken-in-dependencies",
        ),
        pytest.param(
            ROUTER,
            {"src/posts/dependencies.py": "HTTPException = None\n"},
            id="a-name-meaning-something-else-there",
        ),
        pytest.param(
            ROUTER.replace("    return post\n", ""),
            {},
            id="nothing-left-in-the-route",
        ),
        pytest.param(
            ROUTER.replace("    post = await", "    log = 1; post = await"),
            {},
            id="a-statement-sharing-the-line",
        ),
    ],
)
def test_no_fix_when_the_code_cannot_be_carried_over(
    tmp_path: Path, router: str, files: dict[str, str]
) -> None:
    assert _fix(tmp_path, router, files)[2] is None


def test_no_fix_when_the_dependencies_module_text_is_unknown(tmp_path: Path) -> None:
    _project(tmp_path, {"src/posts/router.py": ROUTER, "src/posts/dependencies.py": ""})
    path = tmp_path / "src" / "posts" / "router.py"
    finding = _finding(ROUTER, path, FileSystemWorkspace([tmp_path]))
    assert build_workspace_fix(ROUTER, finding, None, path, EMPTY_WORKSPACE) is None


def test_keyword_only_parameters_and_crlf_newlines(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter\n"
        "\n"
        "from src.posts import service\n"
        "from src.posts.exceptions import PostNotFound\n"
        "from src.posts.models import Post\n"
        "\n"
        "router = APIRouter()\n"
        "\n"
        "\n"
        "@router.get('/posts/{post_id}')\n"
        "async def read_post(*, post_id: int, q: str = ''):\n"
        "    post: Post | None = await service.get_by_id(post_id)\n"
        "    if not post:\n"
        "        raise PostNotFound()\n"
        "    return post, q\n"
    ).replace("\n", "\r\n")
    path, _, fix = _fix(tmp_path, router)
    assert fix is not None
    fixed, deps = _applied(path, router, fix)
    assert (
        "async def read_post(*, post: Post = Depends(valid_post_id), q: str = ''):\r\n"
        "    return post, q\r\n"
    ) in fixed
    assert deps.endswith(
        "async def valid_post_id(*, post_id: int) -> Post:\r\n"
        "    post: Post | None = await service.get_by_id(post_id)\r\n"
        "    if not post:\r\n"
        "        raise PostNotFound()\r\n"
        "    return post\r\n"
    )
    assert "\n" not in fixed.replace("\r\n", "") and "\n" not in deps.replace("\r\n", "")
