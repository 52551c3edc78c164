"""`new-domain`: every role module and the tests, ready to run, registered, never overwriting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi_practices.cli import main
from fastapi_practices.config import load_project
from fastapi_practices.snippets.scaffold import ScaffoldError, plan_new_domain, write_plan

from tests.snippets.project import (
    describe,
    findings_of_project,
    write_base_project,
    write_domain_project,
)

ROLE_FILES = {
    "__init__.py", "router.py", "schemas.py", "models.py", "service.py", "dependencies.py",
    "constants.py", "config.py", "exceptions.py", "utils.py",
}  # fmt: skip


def test_every_role_module_and_the_tests_are_created(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path)
    assert {p.name for p in (root / "src" / "posts").iterdir()} == ROLE_FILES
    tests = root / "tests"
    assert {p.name for p in (tests / "posts").iterdir()} == {"__init__.py", "test_router.py"}
    assert (tests / "__init__.py").is_file()
    assert "async def client(" in (tests / "conftest.py").read_text()
    for path in root.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_domain_is_lint_clean(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path)
    found = findings_of_project(root)
    assert not found, describe(found)


def test_a_domain_without_a_declarative_base_is_lint_clean_too(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path, "blog_posts", database=False)
    models = (root / "src" / "blog_posts" / "models.py").read_text()
    assert "class " not in models
    router = (root / "src" / "blog_posts" / "router.py").read_text()
    assert 'prefix="/blog-posts"' in router and "valid_blog_post_id" in router
    found = findings_of_project(root)
    assert not found, describe(found)


def test_the_router_and_handler_are_registered_on_the_app(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path)
    main_py = (root / "src" / "main.py").read_text()
    assert "from src.posts.router import router as posts_router\n" in main_py
    assert "from src.posts.exceptions import PostNotFound, post_not_found_handler\n" in main_py
    assert main_py.endswith(
        "app.include_router(posts_router)\n"
        "app.add_exception_handler(PostNotFound, post_not_found_handler)\n"
    )


def test_registration_follows_existing_include_router_calls(tmp_path: Path) -> None:
    root = write_base_project(tmp_path)
    api = root / "src" / "api.py"
    api.write_text(
        "from fastapi import APIRouter\n\nfrom src.users.router import router as users\n\n"
        "api_router = APIRouter()\napi_router.include_router(\n    users,\n)\n\n"
        "VERSION = 1\n",
        encoding="utf-8",
    )
    write_plan(plan_new_domain(root, "posts", load_project(root).settings))
    text = api.read_text()
    assert (
        "api_router.include_router(\n    users,\n)\napi_router.include_router(posts_router)\n"
        in (text)
    )
    assert "from src.posts.router import router as posts_router" in text
    assert "add_exception_handler" not in text
    assert "app.add_exception_handler(PostNotFound" in (root / "src" / "main.py").read_text()


def test_an_existing_domain_is_never_overwritten(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path)
    router = root / "src" / "posts" / "router.py"
    router.write_text("# mine\n", encoding="utf-8")
    main_before = (root / "src" / "main.py").read_text()
    with pytest.raises(ScaffoldError, match="already exist"):
        plan_new_domain(root, "posts", load_project(root).settings)
    assert router.read_text() == "# mine\n"
    assert (root / "src" / "main.py").read_text() == main_before


def test_existing_tests_folder_alone_blocks_too(tmp_path: Path) -> None:
    root = write_base_project(tmp_path)
    (root / "tests" / "orders").mkdir(parents=True)
    with pytest.raises(ScaffoldError, match="tests/orders already exists"):
        plan_new_domain(root, "orders", load_project(root).settings)
    assert not (root / "src" / "orders").exists()


def test_a_file_appearing_before_writing_stops_everything(tmp_path: Path) -> None:
    root = write_base_project(tmp_path)
    plan = plan_new_domain(root, "posts", load_project(root).settings)
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists"):
        write_plan(plan)
    assert not (root / "src" / "posts").exists()
    assert (root / "tests" / "__init__.py").read_text() == "# mine\n"


@pytest.mark.parametrize("name", ["Posts", "blog-posts", "1posts", "class", "tests", "router", ""])
def test_invalid_names_are_refused(tmp_path: Path, name: str) -> None:
    root = write_base_project(tmp_path)
    with pytest.raises(ScaffoldError):
        plan_new_domain(root, name, load_project(root).settings)
    assert [p.name for p in (root / "src").iterdir()] != []
    assert not (root / "tests").exists()


def test_cli_creates_then_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_base_project(tmp_path)
    monkeypatch.chdir(root)
    assert main(["new-domain", "orders"]) == 0
    out = capsys.readouterr().out
    assert "created src/orders/router.py" in out and "updated src/main.py" in out
    assert main(["new-domain", "orders"]) == 2
    err = capsys.readouterr().err
    assert "already exist" in err and "nothing was created" in err


def test_cli_takes_another_source_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_base_project(tmp_path)
    (root / "lib").mkdir()
    monkeypatch.chdir(root)
    assert main(["new-domain", "tags", "--src", "lib"]) == 0
    assert (root / "lib" / "tags" / "router.py").is_file()
    assert main(["new-domain", "x", "--src", "missing"]) == 2
    assert "no such directory" in capsys.readouterr().err
