"""FBP602, FBP701, FBP702, FBP704 and FBP804 over multi-file projects, with the project index
the CLI builds (and without it)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import load_project
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix
from fastapi_practices.model import Finding
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext
from fastapi_practices.workspace.index import WorkspaceIndex

SEED_LIKE = Path(__file__).parent.parent / "fixtures" / "workspace" / "seed_like"
PACKAGES = {"pyproject.toml": '[project]\nname = "p"\n', "src/__init__.py": ""}


class Project:
    """A project on disk, analysed file by file as `check` would."""

    def __init__(self, root: Path, files: dict[str, str] | None = None) -> None:
        self.root = root
        for relative, text in {**PACKAGES, **(files or {})}.items():
            self.write(relative, text)

    def write(self, relative: str, text: str) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def workspace(self, code: str) -> WorkspaceContext:
        project = load_project(self.root / "pyproject.toml")
        settings = replace(project.settings, select=(code,))
        return ProjectIndexes({project.root: settings}).get(project.root)

    def findings(
        self,
        code: str,
        relative: str,
        workspace: WorkspaceContext | None = None,
        text: str | None = None,
        **settings: object,
    ) -> list[Finding]:
        path = self.root / relative
        project = load_project(path)
        chosen = replace(project.settings, select=(code,), **settings)  # type: ignore[arg-type]
        source = text if text is not None else path.read_text(encoding="utf-8")
        found = analyze(source, path, chosen, workspace or self.workspace(code))
        return [f for f in found if f.code == code]

    def fixed(self, finding: Finding, relative: str, workspace: WorkspaceContext) -> str:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        edits = build_fix(text, finding, path=path, workspace=workspace)
        assert edits
        return apply_edits(text, edits)


@pytest.fixture
def seed_like(tmp_path: Path) -> Project:
    shutil.copytree(SEED_LIKE, tmp_path / "seed_like")
    return Project(tmp_path / "seed_like", {})


POSTS_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
MAIN = "from fastapi import FastAPI\n\nfrom src.posts.router import router\n\napp = FastAPI()\n"


def _posts(tmp_path: Path, main_tail: str, router: str = POSTS_ROUTER) -> Project:
    return Project(
        tmp_path,
        {
            "src/posts/__init__.py": "",
            "src/posts/router.py": router,
            "src/main.py": MAIN + main_tail,
        },
    )


# ----- FBP701 / FBP702 --------------------------------------------------------------------------
def test_router_configured_where_another_module_includes_it(tmp_path: Path) -> None:
    project = _posts(tmp_path, "app.include_router(router, prefix='/posts', tags=['posts'])\n")
    assert project.findings("FBP701", "src/posts/router.py") == []
    assert project.findings("FBP702", "src/posts/router.py") == []


def test_without_an_index_the_router_is_judged_on_its_own_call(tmp_path: Path) -> None:
    project = _posts(tmp_path, "app.include_router(router, prefix='/posts', tags=['posts'])\n")
    for code in ("FBP701", "FBP702"):
        (finding,) = project.findings(code, "src/posts/router.py", EMPTY_WORKSPACE)
        assert finding.range.start.line == 2


def test_every_include_must_give_the_keyword(tmp_path: Path) -> None:
    project = _posts(
        tmp_path,
        "app.include_router(router, prefix='/posts', tags=['posts'])\n"
        "app.include_router(router, prefix='/v2/posts')\n",
    )
    assert project.findings("FBP701", "src/posts/router.py") == []
    (tags,) = project.findings("FBP702", "src/posts/router.py")
    assert "include_router" in tags.message
    assert tags.fixes  # tags add up harmlessly: still fixable


def test_prefix_fix_is_withheld_when_an_include_already_gives_a_prefix(tmp_path: Path) -> None:
    project = _posts(
        tmp_path,
        "app.include_router(router, prefix='/posts')\nadmin = FastAPI()\n"
        "admin.include_router(router)\n",
    )
    (finding,) = project.findings("FBP701", "src/posts/router.py")
    assert finding.fixes == ()


def test_prefix_fix_offered_when_no_include_gives_one(tmp_path: Path) -> None:
    project = _posts(tmp_path, "app.include_router(router, tags=['posts'])\n")
    workspace = project.workspace("FBP701")
    (finding,) = project.findings("FBP701", "src/posts/router.py", workspace)
    fixed = project.fixed(finding, "src/posts/router.py", workspace)
    assert fixed.endswith('router = APIRouter(prefix="/posts")\n')


def test_prefix_fix_is_withheld_when_paths_already_hold_the_domain(tmp_path: Path) -> None:
    router = POSTS_ROUTER + "\n\n@router.get(path='/posts')\nasync def list_posts() -> list[int]:\n"
    router += "    return []\n"
    project = _posts(tmp_path, "", router)
    (finding,) = project.findings("FBP701", "src/posts/router.py")
    assert finding.fixes == ()
    other = router.replace("path='/posts'", "path='/postsx'")
    (finding,) = project.findings("FBP701", "src/posts/router.py", text=other)
    assert finding.fixes


def test_unsaved_text_of_the_including_module_counts(tmp_path: Path) -> None:
    project = _posts(tmp_path, "app.include_router(router, prefix='/posts')\n")
    index = project.workspace("FBP701")
    assert isinstance(index, WorkspaceIndex)
    assert project.findings("FBP701", "src/posts/router.py", index) == []
    index.update(project.root / "src/main.py", MAIN + "app.include_router(router)\n")
    assert len(project.findings("FBP701", "src/posts/router.py", index)) == 1


def test_include_with_unpacked_options_or_a_named_tag_list_counts(tmp_path: Path) -> None:
    project = _posts(
        tmp_path, "app.include_router(router, **OPTIONS)\napp.include_router(router, tags=TAGS)\n"
    )
    assert project.findings("FBP702", "src/posts/router.py") == []
    assert len(project.findings("FBP701", "src/posts/router.py")) == 1


def test_router_created_in_a_function_uses_this_file_only(tmp_path: Path) -> None:
    text = (
        "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\n\n\ndef mount() -> None:\n"
        "    inner = APIRouter()\n    app.include_router(inner, prefix='/i')\n"
    )
    project = Project(tmp_path, {"src/app.py": text})
    assert project.findings("FBP701", "src/app.py") == []
    assert len(project.findings("FBP702", "src/app.py")) == 1


# ----- FBP704 ---------------------------------------------------------------------------------
def test_seed_like_statuses_come_from_dependencies_handlers_and_includes(
    seed_like: Project,
) -> None:
    (me,) = seed_like.findings("FBP704", "src/auth/router.py")
    # valid_user raises 403; InvalidCredentials (401 by its handler) is documented on the route.
    assert me.data["codes"] == [403]
    (read_post,) = seed_like.findings("FBP704", "src/posts/router.py")
    # 404 is documented where main.py includes the router; 401 comes from the handler.
    assert read_post.data["codes"] == [401, 403]
    assert "401, 403" in read_post.message


def test_seed_like_fix_documents_every_missing_code(seed_like: Project) -> None:
    workspace = seed_like.workspace("FBP704")
    (finding,) = seed_like.findings("FBP704", "src/posts/router.py", workspace)
    fixed = seed_like.fixed(finding, "src/posts/router.py", workspace)
    assert (
        '@router.get("/{post_id}", response_model=PostResponse, responses={401: '
        '{"description": "Unauthorized"}, 403: {"description": "Forbidden"}})'
    ) in fixed
    after = seed_like.findings("FBP704", "src/posts/router.py", workspace, text=fixed)
    assert after == []


def test_without_an_index_only_the_body_counts(seed_like: Project) -> None:
    assert seed_like.findings("FBP704", "src/posts/router.py", EMPTY_WORKSPACE) == []


ROUTE = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.dependencies import valid_post\n\n"
    "router = APIRouter()\n\n\n@router.get('/{post_id}')\n"
    "async def read(post: int = Depends(valid_post)) -> int:\n    return post\n"
)


def _statuses(tmp_path: Path, files: dict[str, str], route: str = ROUTE) -> list[int]:
    project = Project(
        tmp_path, {"src/posts/__init__.py": "", "src/posts/router.py": route, **files}
    )
    findings = project.findings("FBP704", "src/posts/router.py")
    assert len(findings) <= 1
    return list(findings[0].data["codes"]) if findings else []


def test_dependencies_are_followed_to_any_depth_but_not_their_calls(tmp_path: Path) -> None:
    dependencies = (
        "from typing import Annotated\n\nfrom fastapi import Depends, HTTPException\n\n"
        "from src.posts import service\n\n\n"
        "def token() -> str:\n    raise HTTPException(status_code=401)\n\n\n"
        "Token = Annotated[str, Depends(token)]\n\n\n"
        "def user(t: Token) -> str:\n    raise HTTPException(status_code=403)\n\n\n"
        "def valid_post(post_id: int, u: str = Depends(user)) -> int:\n"
        "    service.load(post_id)\n    return post_id\n"
    )
    service = (
        "from fastapi import HTTPException\n\n\n"
        "def load(post_id: int) -> None:\n    raise HTTPException(status_code=404)\n"
    )
    files = {"src/posts/dependencies.py": dependencies, "src/posts/service.py": service}
    assert _statuses(tmp_path, files) == [401, 403]


def test_router_level_dependencies_count(tmp_path: Path) -> None:
    dependencies = (
        "from fastapi import HTTPException\n\n\ndef valid_post(post_id: int) -> int:\n"
        "    return post_id\n\n\ndef auth() -> None:\n    raise HTTPException(401)\n"
    )
    route = ROUTE.replace(
        "router = APIRouter()", "router = APIRouter(dependencies=[Depends(auth)])"
    ).replace("import valid_post", "import auth, valid_post")
    assert _statuses(tmp_path, {"src/posts/dependencies.py": dependencies}, route) == [401]


def test_dependencies_of_the_including_router_count(tmp_path: Path) -> None:
    dependencies = (
        "from fastapi import HTTPException\n\n\ndef valid_post(post_id: int) -> int:\n"
        "    return post_id\n\n\ndef auth() -> None:\n    raise HTTPException(401)\n"
    )
    main = (
        "from fastapi import APIRouter, Depends, FastAPI\n\n"
        "from src.posts.dependencies import auth\nfrom src.posts.router import router\n\n"
        "api = APIRouter(dependencies=[Depends(auth)])\napi.include_router(router)\n"
        "app = FastAPI()\napp.include_router(api)\n"
    )
    files = {"src/posts/dependencies.py": dependencies, "src/main.py": main}
    assert _statuses(tmp_path, files) == [401]


EXCEPTIONS = (
    "class AppError(Exception):\n    pass\n\n\nclass PostMissing(AppError):\n    pass\n\n\n"
    "class Unknown(Exception):\n    pass\n"
)
HANDLERS = (
    "from fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse\n\n"
    "from src.posts.exceptions import AppError, Unknown\n\napp = FastAPI()\n\n\n"
    "@app.exception_handler(AppError)\n"
    "async def app_error(request: Request, exc: AppError) -> JSONResponse:\n"
    "    return JSONResponse(status_code=404, content={})\n\n\n"
    "async def anything(request: Request, exc: Exception) -> JSONResponse:\n"
    "    return JSONResponse(status_code=500, content={})\n\n\n"
    "app.add_exception_handler(Exception, anything)\napp.add_exception_handler(Unknown, make())\n"
)


@pytest.mark.parametrize(
    ("raised", "codes"),
    [
        ("PostMissing", [404]),  # handled through its base class
        ("Unknown", []),  # the handler's status is not known
        ("ValueError", []),  # not a workspace exception: the catch-all handler says nothing
    ],
)
def test_handler_statuses_of_raised_exceptions(
    tmp_path: Path, raised: str, codes: list[int]
) -> None:
    dependencies = (
        "from src.posts.exceptions import PostMissing, Unknown\n\n\n"
        f"def valid_post(post_id: int) -> int:\n    raise {raised}()\n"
    )
    files = {
        "src/posts/dependencies.py": dependencies,
        "src/posts/exceptions.py": EXCEPTIONS,
        "src/main.py": HANDLERS,
    }
    assert _statuses(tmp_path, files) == codes


def test_exception_raised_in_the_body_gives_its_handler_status(tmp_path: Path) -> None:
    route = (
        "from fastapi import APIRouter\n\nfrom src.posts.exceptions import PostMissing\n\n"
        "router = APIRouter()\n\n\n@router.get('/{post_id}')\n"
        "async def read(post_id: int) -> int:\n    raise PostMissing\n"
    )
    files = {"src/posts/exceptions.py": EXCEPTIONS, "src/main.py": HANDLERS}
    assert _statuses(tmp_path, files, route) == [404]


DEPENDENCY_404 = (
    "from fastapi import HTTPException\n\n\ndef valid_post(post_id: int) -> int:\n"
    "    raise HTTPException(404)\n"
)


@pytest.mark.parametrize(
    ("main", "codes"),
    [
        ("app.include_router(router, responses={404: {}})\n", []),
        ("app.include_router(router, responses={'4XX': {}})\n", []),
        # documented by the router that includes it, which the app includes in turn
        (
            "from fastapi import APIRouter\n\nv1 = APIRouter(responses={404: {}})\n"
            "v1.include_router(router)\napp.include_router(v1)\n",
            [],
        ),
        (
            "from fastapi import APIRouter\n\nv1 = APIRouter()\nv1.include_router(router)\n"
            "app.include_router(v1, responses={404: {}})\n",
            [],
        ),
        # every include must document it
        (
            "app.include_router(router, responses={404: {}})\n"
            "app.include_router(router, prefix='/v2')\n",
            [404],
        ),
        ("app.include_router(router, responses={**COMMON})\n", []),
        ("app.include_router(router)\n", [404]),
    ],
)
def test_responses_where_the_router_is_included(
    tmp_path: Path, main: str, codes: list[int]
) -> None:
    files = {"src/posts/dependencies.py": DEPENDENCY_404, "src/main.py": MAIN + main}
    assert _statuses(tmp_path, files) == codes


def test_router_created_in_another_module_documents_too(tmp_path: Path) -> None:
    route = ROUTE.replace("router = APIRouter()\n", "").replace(
        "from src.posts.dependencies", "from src.api import router\nfrom src.posts.dependencies"
    )
    api = "from fastapi import APIRouter\n\nrouter = APIRouter(responses={404: {}})\n"
    files = {"src/posts/dependencies.py": DEPENDENCY_404, "src/api.py": api}
    assert _statuses(tmp_path, files, route) == []
    api = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    assert _statuses(tmp_path / "bare", {**files, "src/api.py": api}, route) == [404]


# ----- FBP602 ---------------------------------------------------------------------------------
ENGINE = "from sqlalchemy import create_engine\n\nengine = create_engine('sqlite://')\n"
ASYNC_ROUTE = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\n"
    "async def root() -> int:\n    return 1\n"
)


def test_sync_engine_reported_on_the_call(tmp_path: Path) -> None:
    project = Project(tmp_path, {"src/main.py": ASYNC_ROUTE, "src/database.py": ENGINE})
    (finding,) = project.findings("FBP602", "src/database.py")
    assert (finding.range.start.line, finding.range.start.column) == (2, 9)
    assert project.findings("FBP602", "src/database.py", EMPTY_WORKSPACE) == []


def test_one_sync_route_anywhere_silences_the_engine(tmp_path: Path) -> None:
    other = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/x')\n"
        "def sync_route() -> int:\n    return 1\n"
    )
    project = Project(
        tmp_path,
        {"src/main.py": ASYNC_ROUTE, "src/database.py": ENGINE, "src/other/router.py": other},
    )
    assert project.findings("FBP602", "src/database.py") == []


@pytest.mark.parametrize("relative", ["tests/conftest.py", "alembic/env.py", "scripts/seed.py"])
def test_engines_outside_the_app_are_fine(tmp_path: Path, relative: str) -> None:
    project = Project(tmp_path, {"src/main.py": ASYNC_ROUTE, relative: ENGINE})
    assert project.findings("FBP602", relative) == []


def test_sessionmaker_with_unpacked_options_is_not_judged(tmp_path: Path) -> None:
    text = "from sqlalchemy.orm import sessionmaker\n\nSession = sessionmaker(**OPTIONS)\n"
    project = Project(tmp_path, {"src/main.py": ASYNC_ROUTE, "src/database.py": text})
    assert project.findings("FBP602", "src/database.py") == []


# ----- FBP804 ---------------------------------------------------------------------------------
def _domains(tmp_path: Path, files: dict[str, str]) -> Project:
    router = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    return Project(
        tmp_path,
        {
            "src/posts/__init__.py": "",
            "src/posts/router.py": router,
            "src/users/__init__.py": "",
            "src/users/router.py": "# fastapi-practices: domain users\n" + router,
            "src/billing/__init__.py": "",
            "src/billing/service.py": "def charge() -> None:\n    pass\n",
            **files,
        },
    )


def test_file_level_finding_on_line_one_of_each_unmirrored_router(tmp_path: Path) -> None:
    project = _domains(
        tmp_path, {"tests/posts/test_router.py": "def test_x() -> None:\n    pass\n"}
    )
    assert project.findings("FBP804", "src/posts/router.py") == []
    (finding,) = project.findings("FBP804", "src/users/router.py")
    assert finding.range.start.line == 0 and finding.range.start.column == 0
    assert finding.range.end.column == len("# fastapi-practices: domain users")
    assert finding.data == {"domain": "users"}
    # billing has no router.py: exempt, and nothing to report on
    assert project.findings("FBP804", "src/billing/service.py") == []


def test_noqa_on_line_one_silences_it(tmp_path: Path) -> None:
    project = _domains(tmp_path, {})
    text = "# noqa: FBP804\n" + (tmp_path / "src/posts/router.py").read_text()
    assert project.findings("FBP804", "src/posts/router.py", text=text) == []


def test_tests_folder_inside_the_source_root_counts(tmp_path: Path) -> None:
    project = _domains(tmp_path, {"src/tests/users/__init__.py": ""})
    assert project.findings("FBP804", "src/users/router.py") == []


def test_configured_router_module_name(tmp_path: Path) -> None:
    router = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    project = Project(tmp_path, {"src/posts/__init__.py": "", "src/posts/routes.py": router})
    found = project.findings(
        "FBP804", "src/posts/routes.py", EMPTY_WORKSPACE, role_modules={"router": "routes.py"}
    )
    assert len(found) == 1
    assert project.findings("FBP804", "src/posts/routes.py", EMPTY_WORKSPACE) == []


def test_a_project_without_domains_is_not_judged(tmp_path: Path) -> None:
    router = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    project = Project(tmp_path, {"src/router.py": router})
    assert project.findings("FBP804", "src/router.py") == []


# ----- the index query behind FBP704 -----------------------------------------------------------
def test_dependency_raises_can_leave_plain_calls_out(seed_like: Project) -> None:
    index = seed_like.workspace("FBP704")
    assert isinstance(index, WorkspaceIndex)
    # register <- valid_new_email (EmailTaken, 422), which also calls a service
    assert index.function_dependencies("src.auth.router.register") == (
        index.canonical("src.auth.dependencies.valid_new_email"),
    )
    deps_only = index.dependency_raises("src.posts.router.read_post", follow_calls=False)
    assert deps_only.statuses == {403, 404}
    assert deps_only.exceptions == {index.canonical("src.auth.exceptions.InvalidCredentials")}


def test_dependency_raises_without_calls_leaves_services_out(tmp_path: Path) -> None:
    dependency = (
        "from fastapi import HTTPException\n\nfrom src import service\n\n\n"
        "def valid(x: int) -> int:\n    service.check(x)\n    raise HTTPException(400)\n"
    )
    service = (
        "from fastapi import HTTPException\n\n\n"
        "def check(x: int) -> None:\n    raise HTTPException(404)\n"
    )
    project = Project(tmp_path, {"src/deps.py": dependency, "src/service.py": service})
    index = project.workspace("FBP704")
    assert isinstance(index, WorkspaceIndex)
    assert index.dependency_raises("src.deps.valid").statuses == {400, 404}
    assert index.dependency_raises("src.deps.valid", follow_calls=False).statuses == {400}
    # cached separately: asking again with calls still follows them
    assert index.dependency_raises("src.deps.valid").statuses == {400, 404}
