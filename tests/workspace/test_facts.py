"""Per-file facts of the seed-like fixture project, as the index follows them across files."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.workspace.facts import HandlerFact, extract_facts
from fastapi_practices.workspace.index import Raised, WorkspaceIndex

from tests.workspace.conftest import SEED_LIKE


@pytest.fixture(scope="module")
def index() -> WorkspaceIndex:
    return WorkspaceIndex.build([SEED_LIKE])


def test_modules_are_named_from_the_project_root(index: WorkspaceIndex) -> None:
    assert "src.auth.router" in index.modules
    assert index.module_name_for(SEED_LIKE / "src" / "auth" / "__init__.py") == ("src.auth", True)


def test_routes_with_their_decorator_keywords(index: WorkspaceIndex) -> None:
    routes = {route.function: route for route in index.routes()}
    register = routes["src.auth.router.register"]
    assert (register.router, register.method, register.path) == (
        "src.auth.router.router",
        "post",
        "/users",
    )
    assert register.status_code == 201
    assert register.response_model == "UserResponse"
    assert routes["src.auth.router.me"].responses == (401,)
    assert routes["src.posts.router.read_post"].router == "src.posts.router.router"


def test_routers_and_include_router_calls(index: WorkspaceIndex) -> None:
    routers = {router.qualname: router for router in index.routers()}
    assert routers["src.main.app"].kind == "fastapi.FastAPI"
    assert routers["src.posts.router.router"].tags == ("posts",)
    includes = {include.router: include for include in index.routers_included()}
    auth = includes["src.auth.router.router"]
    assert (auth.owner, auth.prefix, auth.tags, auth.responses) == (
        "src.main.app",
        "/auth",
        ("auth",),
        None,
    )
    # `posts_router.router`, where `posts_router` is the imported module.
    posts = includes["src.posts.router.router"]
    assert (posts.prefix, posts.responses) == ("/posts", (404,))
    assert index.includes_of("src.posts.router.router") == (posts,)


def test_dependency_raises_follow_dependencies_across_modules(index: WorkspaceIndex) -> None:
    # read_post <- ValidPost (Annotated alias) <- valid_post_id (404) <- valid_user (403)
    #   <- parse_jwt_data (InvalidCredentials), across posts/ and auth/ modules.
    assert index.dependency_raises("src.posts.router.read_post") == Raised(
        frozenset({403, 404}), frozenset({"src.auth.exceptions.InvalidCredentials"})
    )
    assert index.dependency_raises("src.auth.router.register") == Raised(
        frozenset({422}), frozenset({"src.auth.exceptions.EmailTaken"})
    )


def test_dependency_raises_is_cycle_safe(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "from fastapi import Depends, HTTPException\nfrom b import second\n\n\n"
        "def first(x=Depends(second)):\n    raise HTTPException(400)\n"
    )
    (tmp_path / "b.py").write_text(
        "from fastapi import Depends, HTTPException\nimport a\n\n\n"
        "def second(x=Depends(a.first)):\n    raise HTTPException(status_code=409)\n"
    )
    index = WorkspaceIndex.build([tmp_path])
    assert index.dependency_raises("a.first").statuses == {400, 409}


def test_exception_handlers_with_literal_statuses(index: WorkspaceIndex) -> None:
    assert set(index.exception_handlers()) == {
        HandlerFact(
            "src.auth.exceptions.InvalidCredentials",
            "src.main.invalid_credentials_handler",
            401,
            20,
        ),
        HandlerFact("builtins.ValueError", "src.main.conflict_handler", 409, 29),
    }


def test_custom_base_model_candidates(index: WorkspaceIndex) -> None:
    assert index.custom_base_models() == {"src.models.CustomModel": 3}


def test_settings_fields(index: WorkspaceIndex) -> None:
    [settings] = index.settings_classes()
    assert settings.qualname == "src.config.Config"
    assert settings.fields == ("APP_NAME", "DATABASE_URL", "DEBUG")


def test_reverse_import_graph(index: WorkspaceIndex) -> None:
    assert index.dependents_of("src.auth.dependencies", transitive=False) == {
        "src.auth.router",
        "src.posts.dependencies",
    }
    assert index.dependents_of("src.auth.dependencies") == {
        "src.auth.router",
        "src.posts.dependencies",
        "src.posts.router",
        "src.main",
    }


def test_a_file_that_does_not_parse_gives_empty_facts() -> None:
    facts = extract_facts("def broken(:\n", Path("x.py"), "x", False)
    assert not facts.parsed
    assert facts.routes == () and facts.functions == ()


def test_look_alikes_are_not_routes_or_raises() -> None:
    text = (
        "import pytest\n"
        "class HTTPException(Exception): ...\n"
        "@pytest.mark.get('/x')\n"
        "def check():\n"
        "    raise HTTPException(404)\n"
    )
    facts = extract_facts(text, Path("t.py"), "t", False)
    assert facts.routes == ()
    [function] = facts.functions
    assert function.raises_status == ()
    assert function.raises == ("t.HTTPException",)


def test_status_constants_and_settings_base() -> None:
    text = (
        "from fastapi import HTTPException, status\n"
        "from pydantic import BaseModel\n"
        "from pydantic_settings import BaseSettings\n"
        "class AuthConfig(BaseSettings):\n"
        "    JWT_SECRET: str\n"
        "class Item(BaseModel):\n"
        "    name: str\n"
        "def guard():\n"
        "    raise HTTPException(status_code=status.HTTP_409_CONFLICT)\n"
    )
    facts = extract_facts(text, Path("m.py"), "m", False)
    assert facts.functions[0].raises_status == (409,)
    assert [s.fields for s in facts.settings] == [("JWT_SECRET",)]
    assert facts.base_model_candidates == ()
