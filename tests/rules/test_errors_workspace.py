"""FBP501-FBP503 across the modules of real projects on disk, with and without the index."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import load_project
from fastapi_practices.engine import analyze
from fastapi_practices.model import Finding
from fastapi_practices.workspace import FileSystemWorkspace, WorkspaceContext
from fastapi_practices.workspace.facts import extract_facts
from fastapi_practices.workspace.roots import index_roots

SEED_LIKE = Path(__file__).parent.parent / "fixtures" / "workspace" / "seed_like"

BASE = {
    "pyproject.toml": '[project]\nname = "shop"\n',
    "src/__init__.py": "",
    "src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "src/posts/__init__.py": "",
    "src/posts/router.py": "",
}
EXCEPTIONS = "class PostError(Exception):\n    pass\n\n\nclass PostNotFound(PostError):\n    pass\n"
SERVICE = (
    "from fastapi import HTTPException\n\n\ndef valid_post(post_id: int) -> int:\n"
    "    if post_id < 0:\n        raise HTTPException(404)\n    return post_id\n"
)
DEPENDENCY = (
    "from src.posts.exceptions import PostNotFound\n\n\ndef valid_post(post_id: int) -> int:\n"
    "    if post_id < 0:\n        raise PostNotFound(post_id)\n    return post_id\n"
)
ROUTER_USING_DEPENDENCY = (
    "from fastapi import APIRouter, Depends\n\nfrom src.posts.dependencies import valid_post\n\n"
    "router = APIRouter()\n\n\n@router.get('/posts/{post_id}')\n"
    "async def read(post_id: int = Depends(valid_post)) -> int:\n    return post_id\n"
)


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def check(
    root: Path, relative: str, code: str, *, indexed: bool = True, text: str | None = None
) -> list[Finding]:
    """Findings of `code` for one file of the project at `root`, as `check` would give them."""
    path = root / relative
    project = load_project(path)
    settings = replace(project.settings, select=(code,))
    workspace: WorkspaceContext = (
        ProjectIndexes({project.root: settings}).get(project.root)
        if indexed
        else FileSystemWorkspace(index_roots(project.root))
    )
    source = path.read_text(encoding="utf-8") if text is None else text
    return [f for f in analyze(source, path, settings, workspace) if f.code == code]


def lines_of(findings: list[Finding]) -> list[int]:
    return [f.range.start.line + 1 for f in findings]


# ----- FBP501 ---------------------------------------------------------------------------------
def test_fbp501_reports_the_raise_line_and_names_the_domain_exceptions_module(
    tmp_path: Path,
) -> None:
    write(tmp_path, {**BASE, "src/posts/service.py": SERVICE})
    (finding,) = check(tmp_path, "src/posts/service.py", "FBP501")
    assert finding.range.start.line == 5
    assert finding.range.start.column == 8
    assert "posts/exceptions.py" in finding.message


def test_fbp501_dependency_through_an_annotated_alias_in_another_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **BASE,
            "src/posts/service.py": SERVICE,
            "src/posts/dependencies.py": "from typing import Annotated\n\n"
            "from fastapi import Depends\n\nfrom src.posts import service\n\n"
            "ValidPost = Annotated[int, Depends(service.valid_post)]\n",
        },
    )
    assert check(tmp_path, "src/posts/service.py", "FBP501") == []


def test_fbp501_without_the_index_only_this_file_proves_a_dependency(tmp_path: Path) -> None:
    used_here = SERVICE + (
        "\n\nfrom fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n\n"
        "@router.get('/{post_id}')\nasync def read(post_id: int = Depends(valid_post)) -> int:\n"
        "    return post_id\n"
    )
    write(
        tmp_path,
        {
            **BASE,
            "src/posts/service.py": SERVICE,
            "src/posts/utils.py": used_here,
            "src/posts/router.py": ROUTER_USING_DEPENDENCY.replace(
                "src.posts.dependencies", "src.posts.service"
            ),
        },
    )
    assert lines_of(check(tmp_path, "src/posts/service.py", "FBP501", indexed=False)) == [6]
    assert check(tmp_path, "src/posts/service.py", "FBP501") == []
    assert check(tmp_path, "src/posts/utils.py", "FBP501", indexed=False) == []


def test_fbp501_handler_given_to_the_app_constructor(tmp_path: Path) -> None:
    handler = (
        "from fastapi import HTTPException, Request\n\n\n"
        "async def on_error(request: Request, exc: Exception):\n    raise HTTPException(503)\n"
    )
    write(
        tmp_path,
        {
            **BASE,
            "src/posts/service.py": handler,
            "src/main.py": "from fastapi import FastAPI\n\nfrom src.posts.service import on_error"
            "\n\napp = FastAPI(exception_handlers={KeyError: on_error})\n",
        },
    )
    assert check(tmp_path, "src/posts/service.py", "FBP501") == []
    write(tmp_path, {"src/main.py": BASE["src/main.py"]})
    assert lines_of(check(tmp_path, "src/posts/service.py", "FBP501")) == [5]


def test_fbp501_class_based_dependencies(tmp_path: Path) -> None:
    service = (
        "from fastapi import HTTPException\n\n\nclass Pagination:\n"
        "    def __init__(self, limit: int = 10) -> None:\n        if limit > 100:\n"
        "            raise HTTPException(400)\n        self.limit = limit\n\n"
        "    def page(self, rows: list[int]) -> list[int]:\n        if not rows:\n"
        "            raise HTTPException(404)\n        return rows[: self.limit]\n\n\n"
        "class RequireRole:\n    def __init__(self, role: str) -> None:\n"
        "        self.role = role\n\n    def __call__(self, role: str) -> None:\n"
        "        if role != self.role:\n            raise HTTPException(403)\n"
    )
    router = (
        "from fastapi import APIRouter, Depends\n\nfrom src.posts.utils import Pagination\n\n"
        "router = APIRouter()\n\n\n@router.get('/posts')\n"
        "async def posts(page: Pagination = Depends(Pagination)) -> int:\n"
        "    return page.limit\n"
    )
    write(tmp_path, {**BASE, "src/posts/utils.py": service, "src/posts/router.py": router})
    assert lines_of(check(tmp_path, "src/posts/utils.py", "FBP501")) == [12]


def test_fbp501_follows_renamed_role_modules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **BASE,
            "pyproject.toml": '[project]\nname = "shop"\n\n[tool.fastapi-practices]\n'
            'role-modules = { router = "routes.py", exceptions = "errors.py" }\n',
            "src/posts/routes.py": SERVICE,
            "src/posts/service.py": SERVICE.replace("valid_post", "load_post"),
        },
    )
    assert check(tmp_path, "src/posts/routes.py", "FBP501") == []
    (finding,) = check(tmp_path, "src/posts/service.py", "FBP501")
    assert "posts/errors.py" in finding.message


# ----- FBP502 ---------------------------------------------------------------------------------
def test_fbp502_in_a_domain_package_init_but_not_in_tests(tmp_path: Path) -> None:
    raising = "def fail() -> None:\n    raise RuntimeError('x')\n"
    write(
        tmp_path,
        {**BASE, "src/posts/__init__.py": raising, "tests/posts/test_service.py": raising},
    )
    assert lines_of(check(tmp_path, "src/posts/__init__.py", "FBP502")) == [2]
    assert check(tmp_path, "tests/posts/test_service.py", "FBP502") == []


# ----- FBP503 ---------------------------------------------------------------------------------
def test_fbp503_is_silent_without_the_index(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **BASE,
            "src/posts/exceptions.py": EXCEPTIONS,
            "src/posts/dependencies.py": DEPENDENCY,
            "src/posts/router.py": ROUTER_USING_DEPENDENCY,
        },
    )
    assert lines_of(check(tmp_path, "src/posts/dependencies.py", "FBP503")) == [6]
    assert check(tmp_path, "src/posts/dependencies.py", "FBP503", indexed=False) == []


def test_fbp503_base_classes_across_modules_and_re_exports(tmp_path: Path) -> None:
    files = {
        **BASE,
        "src/errors.py": "class AppError(Exception):\n    pass\n",
        "src/posts/exceptions.py": "from src.errors import AppError\n\n\n"
        "class PostError(AppError):\n    pass\n\n\nclass PostNotFound(PostError):\n    pass\n",
        "src/posts/__init__.py": "from src.posts.exceptions import PostNotFound\n",
        "src/posts/dependencies.py": DEPENDENCY.replace(
            "from src.posts.exceptions import", "from src.posts import"
        ),
        "src/posts/router.py": ROUTER_USING_DEPENDENCY,
    }
    write(tmp_path, files)
    (finding,) = check(tmp_path, "src/posts/dependencies.py", "FBP503")
    assert "`PostNotFound`" in finding.message
    assert "dependency" in finding.message
    write(
        tmp_path,
        {
            "src/main.py": "from fastapi import FastAPI\n\nimport src.errors\n\n\n"
            "async def on_app_error(request, exc):\n    return None\n\n\n"
            "app = FastAPI(exception_handlers={src.errors.AppError: on_app_error})\n"
        },
    )
    assert check(tmp_path, "src/posts/dependencies.py", "FBP503") == []


def test_fbp503_follows_dependencies_of_dependencies(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **BASE,
            "src/posts/exceptions.py": EXCEPTIONS,
            "src/auth/__init__.py": "",
            "src/auth/dependencies.py": "from src.posts.exceptions import PostError\n\n\n"
            "def current_user(token: str) -> str:\n    if not token:\n"
            "        raise PostError('no token')\n    return token\n\n\n"
            "def helper(token: str) -> str:\n    raise PostError(token)\n",
            "src/posts/dependencies.py": "from fastapi import Depends\n\n"
            "from src.auth.dependencies import current_user\n\n\n"
            "def valid_post(post_id: int, user: str = Depends(current_user)) -> int:\n"
            "    return post_id\n",
            "src/posts/router.py": ROUTER_USING_DEPENDENCY,
        },
    )
    # `helper` is never used in `Depends`: only the dependency's raise is judged.
    assert lines_of(check(tmp_path, "src/auth/dependencies.py", "FBP503")) == [6]


def test_fbp503_judges_the_editor_text_not_the_file_on_disk(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **BASE,
            "src/posts/exceptions.py": EXCEPTIONS,
            "src/posts/dependencies.py": "def valid_post(post_id: int) -> int:\n"
            "    return post_id\n",
            "src/posts/router.py": ROUTER_USING_DEPENDENCY,
        },
    )
    assert check(tmp_path, "src/posts/dependencies.py", "FBP503") == []
    findings = check(tmp_path, "src/posts/dependencies.py", "FBP503", text=DEPENDENCY)
    assert lines_of(findings) == [6]


def test_fbp503_caught_in_the_same_function(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter, HTTPException\n\n"
        "from src.posts.exceptions import PostNotFound\n\nrouter = APIRouter()\n\n\n"
        "@router.get('/a')\nasync def a() -> None:\n    try:\n        raise PostNotFound\n"
        "    except:\n        raise HTTPException(404) from None\n\n\n"
        "@router.get('/b')\nasync def b() -> None:\n    try:\n        pass\n"
        "    except ValueError:\n        pass\n    else:\n        raise PostNotFound\n\n\n"
        "@router.get('/c')\nasync def c() -> None:\n    try:\n        raise PostNotFound\n"
        "    except (KeyError, Exception):\n        pass\n"
    )
    write(tmp_path, {**BASE, "src/posts/exceptions.py": EXCEPTIONS, "src/posts/router.py": router})
    # Only `b` lets it out: its raise sits in the `else:` block, which no `except` guards.
    assert lines_of(check(tmp_path, "src/posts/router.py", "FBP503")) == [23]


def test_constructor_handlers_are_facts() -> None:
    facts = extract_facts(
        "from fastapi import FastAPI\n\nfrom app.errors import Gone, on_gone\n\n\n"
        "def create_app() -> FastAPI:\n"
        "    return FastAPI(exception_handlers={Gone: on_gone, 404: on_gone, **{}})\n",
        Path("app/main.py"),
        "app.main",
        False,
    )
    assert [(h.exception, h.handler) for h in facts.handlers] == [
        ("app.errors.Gone", "app.errors.on_gone"),
        ("404", "app.errors.on_gone"),
    ]


# ----- the bundled fixture --------------------------------------------------------------------
def test_seed_like_fixture() -> None:
    dependencies = "src/auth/dependencies.py"
    findings = check(SEED_LIKE, dependencies, "FBP503")
    assert [(f.range.start.line + 1, f.message.split("`")[1]) for f in findings] == [
        (22, "EmailTaken")
    ]
    for relative in ("src/auth/dependencies.py", "src/posts/dependencies.py", "src/main.py"):
        assert check(SEED_LIKE, relative, "FBP501") == []
        assert check(SEED_LIKE, relative, "FBP502") == []
