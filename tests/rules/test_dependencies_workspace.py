"""FBP403, FBP405 and FBP406 across the modules of projects on disk, and the facts they read."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import load_project
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix
from fastapi_practices.model import Finding, Position, Range
from fastapi_practices.workspace import WorkspaceContext
from fastapi_practices.workspace.facts import extract_facts
from fastapi_practices.workspace.index import WorkspaceIndex

SEED_LIKE = Path(__file__).parent.parent / "fixtures" / "workspace" / "seed_like"
CODES = ("FBP403", "FBP405", "FBP406")

POSTS_ROUTER = (
    "from fastapi import APIRouter, HTTPException\n\nfrom src.posts import service\n\n"
    "router = APIRouter()\n\n\n@router.get('/posts/{post_id}')\n"
    "async def read_post(post_id: int):\n"
    "    post = await service.get_by_id(post_id)\n    if post is None:\n"
    "        raise HTTPException(status_code=404)\n    return post\n"
)
ADMIN_ROUTER = (
    "from fastapi import APIRouter, HTTPException\n\nimport src.posts.service\n\n"
    "admin = APIRouter()\n\n\n@admin.delete('/admin/posts/{post_id}', status_code=204)\n"
    "async def purge_post(post_id: int) -> None:\n"
    "    if not (post := await src.posts.service.get_by_id(post_id)):\n"
    "        raise HTTPException(404, detail='gone')\n"
    "    await src.posts.service.purge(post)\n"
)
PAGINATION = (
    "def pagination(limit: int = 20, offset: int = 0) -> dict[str, int]:\n"
    "    return {'limit': min(limit, 100), 'offset': offset}\n"
)
USES_PAGINATION = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.dependencies import pagination\n\n"
    "router = APIRouter()\n\n\n@router.get('/posts')\n"
    "async def list_posts(page: dict = Depends(pagination)):\n    return page\n"
)


def write(root: Path, files: dict[str, str]) -> None:
    files = {"pyproject.toml": '[project]\nname = "blog"\n', **files}
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def workspace_of(root: Path) -> WorkspaceContext:
    project = load_project(root / "pyproject.toml")
    settings = replace(project.settings, select=CODES)
    return ProjectIndexes({project.root: settings}).get(project.root)


def check(
    root: Path, relative: str, workspace: WorkspaceContext | None = None, text: str | None = None
) -> list[Finding]:
    path = root / relative
    project = load_project(path)
    settings = replace(project.settings, select=CODES)
    workspace = workspace or workspace_of(root)
    source = text if text is not None else path.read_text(encoding="utf-8")
    return analyze(source, path, settings, workspace)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# ----- FBP403 ----------------------------------------------------------------------------------
def test_duplicated_validation_points_at_the_other_module(tmp_path: Path) -> None:
    write(tmp_path, {"src/posts/router.py": POSTS_ROUTER, "src/posts/admin.py": ADMIN_ROUTER})
    [finding] = check(tmp_path, "src/posts/router.py")
    assert finding.code == "FBP403"
    assert finding.range == Range(Position(8, 0), Position(8, 19))
    [related] = finding.related
    assert Path(related.path) == (tmp_path / "src/posts/admin.py").resolve()
    assert related.range == Range(Position(8, 0), Position(8, 20))
    assert "purge_post" in related.message and "purge_post" in finding.message
    [other] = check(tmp_path, "src/posts/admin.py")
    assert other.code == "FBP403"
    assert Path(other.related[0].path) == (tmp_path / "src/posts/router.py").resolve()


def test_every_repeating_operation_lists_all_the_others(tmp_path: Path) -> None:
    third = ADMIN_ROUTER.replace("purge_post", "archive_post").replace("admin/posts", "archive")
    write(
        tmp_path,
        {
            "src/posts/router.py": POSTS_ROUTER,
            "src/posts/admin.py": ADMIN_ROUTER,
            "src/posts/archive.py": third,
        },
    )
    [finding] = check(tmp_path, "src/posts/router.py")
    assert sorted(Path(r.path).name for r in finding.related) == ["admin.py", "archive.py"]
    assert "`purge_post`, `archive_post` also do" in finding.message


def test_the_module_being_edited_is_judged_by_its_current_text(tmp_path: Path) -> None:
    write(tmp_path, {"src/posts/router.py": POSTS_ROUTER, "src/posts/admin.py": ADMIN_ROUTER})
    workspace = workspace_of(tmp_path)
    assert codes(check(tmp_path, "src/posts/admin.py", workspace)) == ["FBP403"]
    edited = ADMIN_ROUTER.replace("HTTPException(404", "HTTPException(410")
    assert check(tmp_path, "src/posts/admin.py", workspace, text=edited) == []


def test_an_edit_elsewhere_reaches_the_other_copy(tmp_path: Path) -> None:
    write(tmp_path, {"src/posts/router.py": POSTS_ROUTER, "src/posts/admin.py": ADMIN_ROUTER})
    workspace = workspace_of(tmp_path)
    assert isinstance(workspace, WorkspaceIndex)
    changed = workspace.update(
        tmp_path / "src/posts/router.py", POSTS_ROUTER.replace("status_code=404", "status_code=403")
    )
    assert "posts.admin" in changed
    assert check(tmp_path, "src/posts/admin.py", workspace) == []


def test_without_an_index_only_this_module_counts(tmp_path: Path) -> None:
    write(tmp_path, {"src/posts/router.py": POSTS_ROUTER, "src/posts/admin.py": ADMIN_ROUTER})
    project = load_project(tmp_path / "pyproject.toml")
    alone = analyze(
        POSTS_ROUTER, tmp_path / "src/posts/router.py", replace(project.settings, select=CODES)
    )
    assert alone == []


def test_facts_hold_the_normalized_load_and_raise() -> None:
    facts = extract_facts(ADMIN_ROUTER, Path("admin.py"), "src.posts.admin", False)
    [route] = facts.routes
    assert route.validations == (
        ("post_id", "src.posts.service.get_by_id(post_id) -> fastapi.HTTPException(404)"),
    )
    assert route.def_span == (9, 0, 20)
    plain = extract_facts(POSTS_ROUTER, Path("router.py"), "src.posts.router", False)
    assert plain.routes[0].validations == route.validations


# ----- FBP405 ----------------------------------------------------------------------------------
def test_sync_dependency_is_flagged_and_fixed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"src/posts/dependencies.py": PAGINATION, "src/posts/router.py": USES_PAGINATION},
    )
    workspace = workspace_of(tmp_path)
    [finding] = check(tmp_path, "src/posts/dependencies.py", workspace)
    assert finding.code == "FBP405"
    assert finding.range == Range(Position(0, 0), Position(0, 14))
    path = tmp_path / "src/posts/dependencies.py"
    edits = build_fix(PAGINATION, finding, "add-async", path, workspace)
    assert edits is not None
    fixed = apply_edits(PAGINATION, edits)
    assert fixed == "async " + PAGINATION
    assert check(tmp_path, "src/posts/dependencies.py", workspace, text=fixed) == []


def test_the_fix_refuses_text_that_moved(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"src/posts/dependencies.py": PAGINATION, "src/posts/router.py": USES_PAGINATION},
    )
    workspace = workspace_of(tmp_path)
    [finding] = check(tmp_path, "src/posts/dependencies.py", workspace)
    moved = "\n" + PAGINATION
    assert not build_fix(moved, finding, "add-async", tmp_path / "x.py", workspace)


def test_any_other_use_in_the_project_keeps_it_sync(tmp_path: Path) -> None:
    uses = {
        "a module-level call": "from src.posts.dependencies import pagination\n\n"
        "DEFAULT = pagination()\n",
        "a callback": "from fastapi.concurrency import run_in_threadpool\n\n"
        "from src.posts import dependencies\n\n\nasync def page():\n"
        "    return await run_in_threadpool(dependencies.pagination)\n",
        "a local import in a test": "def test_page():\n"
        "    from src.posts.dependencies import pagination as page\n\n"
        "    assert page(1, 0)\n",
        "a dotted module path": "import src.posts.dependencies\n\n\ndef test_page():\n"
        "    assert src.posts.dependencies.pagination(1, 0)\n",
    }
    for index, (what, text) in enumerate(uses.items()):
        root = tmp_path / str(index)
        write(
            root,
            {
                "src/posts/dependencies.py": PAGINATION,
                "src/posts/router.py": USES_PAGINATION,
                "tests/test_other.py": text,
            },
        )
        assert check(root, "src/posts/dependencies.py") == [], what


def test_a_new_call_elsewhere_reaches_the_dependency_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"src/posts/dependencies.py": PAGINATION, "src/posts/router.py": USES_PAGINATION},
    )
    workspace = workspace_of(tmp_path)
    assert isinstance(workspace, WorkspaceIndex)
    assert codes(check(tmp_path, "src/posts/dependencies.py", workspace)) == ["FBP405"]
    changed = workspace.update(
        tmp_path / "src/posts/router.py", USES_PAGINATION + "\n\nFIRST = pagination(1, 0)\n"
    )
    assert "posts.dependencies" in changed
    assert check(tmp_path, "src/posts/dependencies.py", workspace) == []


def test_only_proven_harmless_bodies_count(tmp_path: Path) -> None:
    bodies = {
        "def pagination(limit: int = 20):\n    return sorted([limit, 1], key=abs)\n": False,
        "def pagination(limit: int = 20):\n    with LOCK:\n        return {'a': limit}\n": False,
        "def pagination(limit: int = 20):\n    import json\n    return {'limit': limit}\n": False,
        "def pagination(limit: int = 20):\n    return open('x').read()\n": False,
        "def pagination(q: str = ''):\n    return [c for c in q.split(',') if c]\n": True,
        "def pagination(q: str = ''):\n    if not q.isdigit():\n"
        "        raise ValueError(q)\n    return int(q)\n": True,
    }
    for index, (body, flagged) in enumerate(bodies.items()):
        root = tmp_path / str(index)
        write(
            root,
            {
                "src/posts/dependencies.py": "import threading\n\nLOCK = threading.Lock()\n\n\n"
                + body,
                "src/posts/router.py": USES_PAGINATION,
            },
        )
        assert codes(check(root, "src/posts/dependencies.py")) == (["FBP405"] if flagged else []), (
            body
        )


def test_methods_and_nested_functions_are_not_plain_defs(tmp_path: Path) -> None:
    text = (
        "class Paginator:\n    def __call__(self, limit: int = 20) -> int:\n"
        "        return limit\n\n\ndef outer():\n    def pagination(limit: int = 20) -> int:\n"
        "        return limit\n\n    return pagination\n\n\npaginator = Paginator()\n"
    )
    router = USES_PAGINATION.replace("import pagination", "import paginator as pagination").replace(
        "dict = Depends", "int = Depends"
    )
    write(tmp_path, {"src/posts/dependencies.py": text, "src/posts/router.py": router})
    assert check(tmp_path, "src/posts/dependencies.py") == []


def test_facts_record_references_but_not_dependency_uses() -> None:
    text = (
        "from fastapi import Depends, status\n\nfrom src.posts import deps\n"
        "from src.posts.deps import pagination, helper\nfrom src.main import app\n\n\n"
        "def route(page=Depends(pagination), other=Depends(deps.sort_order)):\n"
        "    helper(status.HTTP_200_OK)\n\n\n"
        "app.dependency_overrides[pagination] = deps.fake\n"
    )
    facts = extract_facts(text, Path("m.py"), "src.posts.m", False)
    assert facts.references == (
        "src.main.app.dependency_overrides",
        "src.posts.deps.fake",
        "src.posts.deps.helper",
    )
    assert set(facts.dependencies) == {"src.posts.deps.pagination", "src.posts.deps.sort_order"}


# ----- FBP406 ----------------------------------------------------------------------------------
VALID_POST = (
    "from fastapi import Depends\n\n\ndef valid_user_id(user_id: int) -> int:\n"
    "    return user_id\n\n\n"
    "def valid_post_id(post_id: int, user: int = Depends(valid_user_id)) -> int:\n"
    "    return post_id\n"
)
COMMENTS = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.dependencies import valid_post_id\n"
    "\nrouter = APIRouter()\n\n\n@router.get('/comments/{comment_id}')\n"
    "async def read_comment(comment_id: int, post: int = Depends(valid_post_id)):\n"
    "    return {}\n"
)


def test_mismatch_names_every_missing_parameter(tmp_path: Path) -> None:
    write(tmp_path, {"src/posts/dependencies.py": VALID_POST, "src/comments/router.py": COMMENTS})
    [finding] = check(tmp_path, "src/comments/router.py")
    assert finding.code == "FBP406"
    assert finding.range == Range(Position(8, 0), Position(8, 22))
    assert finding.message == (
        "dependencies of `read_comment` take `post_id` (valid_post_id), `user_id` "
        "(valid_user_id), but the path has none of them (only `{comment_id}`): FastAPI reads "
        "them from the query string instead"
    )
    assert finding.data["parameters"] == ["post_id", "user_id"]


def test_placeholders_of_every_include_above_count(tmp_path: Path) -> None:
    api = (
        "from fastapi import APIRouter\n\nfrom src.comments.router import router as comments\n"
        "\napi = APIRouter(prefix='/users/{user_id}')\n"
        "api.include_router(comments, prefix='/posts/{post_id}')\n"
    )
    main = (
        "from fastapi import FastAPI\n\nfrom src.api import api\n\napp = FastAPI()\n"
        "app.include_router(api, prefix='/v1')\n"
    )
    files = {
        "src/posts/dependencies.py": VALID_POST,
        "src/comments/router.py": COMMENTS,
        "src/api.py": api,
        "src/main.py": main,
    }
    write(tmp_path, files)
    assert check(tmp_path, "src/comments/router.py") == []
    other = tmp_path / "other"
    write(other, {**files, "src/api.py": api.replace("{user_id}", "{account_id}")})
    [finding] = check(other, "src/comments/router.py")
    assert finding.data["parameters"] == ["user_id"]
    assert finding.data["placeholders"] == ["account_id", "comment_id", "post_id"]


def test_facts_keep_only_parameters_read_by_name() -> None:
    text = (
        "from typing import Annotated, Optional\nfrom uuid import UUID\n\n"
        "from fastapi import Depends, Path, Query, Request\n\nfrom src.models import Post\n"
        "from src.deps import PostDep, get_db\n\n\n"
        "def dependency(\n    request: Request,\n    a_id: int,\n    b_id: Optional[UUID] = None,\n"
        "    c_id: Annotated[int, Path()] = 1,\n    d_id: int = Query(1),\n"
        "    e_id: int = Path(alias='e'),\n    f_id: int = Depends(get_db),\n"
        "    g_id: PostDep = None,\n    h_id: Post = None,\n    i_id=None,\n"
        "    *,\n    j_id: str | None = None,\n) -> None: ...\n"
    )
    [function] = extract_facts(text, Path("d.py"), "src.d", False).functions
    assert function.parameters == ("a_id", "b_id", "c_id", "i_id", "j_id")


# ----- the seed-like fixture -------------------------------------------------------------------
def test_the_seed_like_fixture_is_clean(tmp_path: Path) -> None:
    root = tmp_path / "seed_like"
    shutil.copytree(SEED_LIKE, root)
    for module in root.rglob("*.py"):
        found = check(root, str(module.relative_to(root)))
        assert found == [], module


def test_an_alias_dependency_of_the_seed_like_fixture_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "seed_like"
    shutil.copytree(SEED_LIKE, root)
    router = root / "src/posts/router.py"
    router.write_text(
        router.read_text()
        .replace("'/{post_id}'", "'/{item_id}'")
        .replace('"/{post_id}"', '"/{item_id}"')
    )
    [finding] = check(root, "src/posts/router.py")
    assert finding.code == "FBP406"
    assert finding.data["parameters"] == ["post_id"]
