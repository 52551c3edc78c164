"""Role-aware offers: the module's own snippets first, names from the domain, offered once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.config import load_project
from fastapi_practices.snippets import offers, place_for
from fastapi_practices.snippets.context import ELSEWHERE, OTHER, OWN, Offer

from tests.snippets.project import write_base_project, write_domain_project

ROUTES = {"fbp-router", "fbp-get", "fbp-list", "fbp-post", "fbp-put", "fbp-delete"}
ROLE_FIRST = {
    "src/posts/router.py": ROUTES,
    "src/posts/schemas.py": {"fbp-schema", "fbp-base-model"},
    "src/posts/config.py": {"fbp-settings"},
    "src/posts/dependencies.py": {"fbp-dep-valid", "fbp-dep-chain"},
    "src/posts/exceptions.py": {"fbp-exception", "fbp-handler"},
    "src/posts/service.py": {"fbp-service-query"},
    "src/posts/models.py": {"fbp-naming-convention", "fbp-table"},
    "src/posts/constants.py": {"fbp-error-code"},
    "tests/posts/test_more.py": {"fbp-async-client", "fbp-test"},
    "src/main.py": {"fbp-lifespan", "fbp-app"},
}  # fmt: skip


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_base_project(tmp_path_factory.mktemp("context"))
    for role in ("router", "schemas", "config", "dependencies", "exceptions", "service",
                 "models", "constants"):  # fmt: skip
        path = root / "src" / "posts" / f"{role}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text("", encoding="utf-8")
    return root


def offered(root: Path, relative: str, text: str | None = None) -> list[Offer]:
    path = (root / relative).resolve()
    if text is None:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    return offers(place_for(path, text, load_project(root).settings), text)


@pytest.mark.parametrize("relative", sorted(ROLE_FIRST))
def test_the_role_modules_own_snippets_come_first(project: Path, relative: str) -> None:
    expected = ROLE_FIRST[relative] - _present(relative)
    text = "" if relative != "src/main.py" else None
    found = offered(project, relative, text)
    labels = [offer.label for offer in found]
    first = labels[: len(expected)]
    assert set(first) == expected, labels
    assert all(offer.tier == OWN for offer in found[: len(first)])
    assert all(offer.tier == OTHER for offer in found[len(first) :])
    assert [offer.sort_text for offer in found] == sorted(offer.sort_text for offer in found)


def _present(relative: str) -> set[str]:
    return {"fbp-app"} if relative == "src/main.py" else set()


def test_outside_role_modules_every_snippet_comes_later(project: Path) -> None:
    found = offered(project, "src/helpers.py", "x = 1\n")
    assert found and all(offer.tier == ELSEWHERE for offer in found)
    assert min(offer.sort_text for offer in found) > max(
        offer.sort_text for offer in offered(project, "src/posts/router.py", "")
    )


def test_names_and_imports_come_from_the_domain(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path)
    found = {o.label: o for o in offered(root, "src/posts/router.py", "")}
    get = found["fbp-get"]
    assert "PostResponse" in get.plain and "valid_post_id" in get.plain
    assert ("src.posts.schemas", "PostResponse") in get.imports
    assert ("src.posts.dependencies", "valid_post_id") in get.imports
    assert 'prefix="/posts"' in found["fbp-router"].plain
    assert "```python" in get.documentation and "PostResponse" in get.documentation


def test_names_missing_from_the_domain_are_not_imported(project: Path) -> None:
    (get,) = [o for o in offered(project, "src/posts/router.py", "") if o.label == "fbp-get"]
    assert "PostResponse" in get.plain
    assert all(module != "src.posts.schemas" for module, _ in get.imports)


def test_tests_get_the_app_and_the_async_fixture(tmp_path: Path) -> None:
    root = write_domain_project(tmp_path)
    found = {o.label: o for o in offered(root, "tests/posts/test_more.py", "")}
    client = found["fbp-async-client"]
    assert ("src.main", "app") in client.imports
    assert "ASGITransport(app=app)" in client.plain and "@pytest_asyncio.fixture" in client.plain
    assert '"/posts/1"' in found["fbp-test"].plain


def test_a_unique_construct_is_offered_once(project: Path) -> None:
    router = 'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/posts")\n'
    labels = {o.label for o in offered(project, "src/posts/router.py", router)}
    assert "fbp-router" not in labels
    assert "fbp-get" in labels
    annotated = 'router: APIRouter = APIRouter(prefix="/posts")\n'
    assert "fbp-router" not in {o.label for o in offered(project, "src/posts/router.py", annotated)}
    other = "other_router = APIRouter()\n"
    assert "fbp-router" in {o.label for o in offered(project, "src/posts/router.py", other)}


def test_the_project_base_model_replaces_basemodel(project: Path) -> None:
    path = (project / "src/posts/schemas.py").resolve()
    settings = load_project(project).settings
    place = place_for(path, "", settings, base_model=("src.schemas", "AppBaseModel"))
    (schema,) = [o for o in offers(place, "") if o.label == "fbp-schema"]
    assert "(AppBaseModel):" in schema.plain
    assert ("src.schemas", "AppBaseModel") in schema.imports
    assert ("pydantic", "BaseModel") not in schema.imports


def test_an_unsaved_buffer_gets_generic_names() -> None:
    from fastapi_practices.config import Settings

    found = {o.label: o for o in offers(place_for(None, "", Settings()), "")}
    assert "ItemResponse" in found["fbp-get"].plain
