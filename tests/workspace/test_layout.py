"""The project layout: source root, domains and module roles, read from directory listings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi_practices.config import Settings, load_project
from fastapi_practices.workspace import layout
from fastapi_practices.workspace.layout import compute_layout, layout_for

FIXTURES = Path(__file__).parent.parent / "fixtures" / "structure"
DOMAINS = FIXTURES / "domains"
FLAT = FIXTURES / "flat"
APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def _touch_directory(directory: Path) -> None:
    """Move a directory's mtime forward, as a later change on a coarse clock would."""
    stat = directory.stat()
    os.utime(directory, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_src_project_has_its_domains() -> None:
    found = compute_layout(DOMAINS, Settings(root=DOMAINS))
    assert found.source_root == DOMAINS.resolve() / "src"
    assert sorted(found.domains) == ["comments", "posts"]
    assert found.domains["posts"] == DOMAINS.resolve() / "src" / "posts"


def test_roles_of_modules() -> None:
    found = compute_layout(DOMAINS, Settings(root=DOMAINS))
    src = DOMAINS / "src"
    assert found.role_of(src / "posts" / "service.py") == ("posts", "service")
    assert found.role_of(src / "comments" / "dependencies.py") == ("comments", "dependencies")
    assert found.role_of(src / "posts" / "__init__.py") == ("posts", None)
    assert found.role_of(src / "main.py") == (None, None)
    assert found.role_of(src / "shared" / "pagination.py") == (None, None)
    assert found.role_of(Path("/elsewhere/posts/router.py")) == (None, None)


def test_flat_project_has_no_domains() -> None:
    found = compute_layout(FLAT, Settings(root=FLAT))
    assert found.source_root == FLAT.resolve()
    assert dict(found.domains) == {}


def test_source_root_is_the_package_creating_the_app(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/main.py": APP,
            "app/users/router.py": "",
            "app/users/helpers.py": "",
            "tests/utils.py": "",
            ".venv/lib/router.py": "",
            "scripts/seed.py": "",
        },
    )
    found = compute_layout(tmp_path, Settings(root=tmp_path))
    assert found.source_root == tmp_path.resolve() / "app"
    assert sorted(found.domains) == ["users"]


def test_apps_built_by_tests_do_not_choose_the_source_root(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "conftest.py": APP,
            "test_api.py": APP,
            "tests/posts/utils.py": "",
            "tests/conftest.py": APP,
            "web/main.py": APP,
            "web/posts/router.py": "",
        },
    )
    found = compute_layout(tmp_path, Settings(root=tmp_path))
    assert found.source_root == tmp_path.resolve() / "web"
    assert sorted(found.domains) == ["posts"]


def test_without_an_app_or_src_there_are_no_domains(tmp_path: Path) -> None:
    _write(tmp_path, {"users/router.py": "", "users/schemas.py": ""})
    found = compute_layout(tmp_path, Settings(root=tmp_path))
    assert found.source_roots == ()
    assert dict(found.domains) == {}


def test_excluded_directories_are_never_domains(tmp_path: Path) -> None:
    _write(tmp_path, {"main.py": APP, "node_modules/router.py": "", "tests/schemas.py": ""})
    _write(tmp_path, {"build/models.py": "", "orders/router.py": ""})
    found = compute_layout(tmp_path, Settings(root=tmp_path))
    assert sorted(found.domains) == ["orders"]


def test_configured_src_and_role_names(tmp_path: Path) -> None:
    _write(tmp_path, {"src/ignored/router.py": "", "backend/billing/routes.py": ""})
    settings = Settings(root=tmp_path, src=("backend",), role_modules={"router": "routes.py"})
    found = compute_layout(tmp_path, settings)
    assert found.source_root == tmp_path.resolve() / "backend"
    assert sorted(found.domains) == ["billing"]
    billing = tmp_path / "backend" / "billing"
    assert found.role_of(billing / "routes.py") == ("billing", "router")
    assert found.role_of(billing / "router.py") == ("billing", None)


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    _write(tmp_path, {"src/orders/router.py": ""})
    (tmp_path / "src" / "loop").symlink_to(tmp_path / "src", target_is_directory=True)
    (tmp_path / "src" / "alias").symlink_to(tmp_path / "src" / "orders")
    found = compute_layout(tmp_path, Settings(root=tmp_path))
    assert sorted(found.domains) == ["orders"]


def test_layout_is_cached_until_the_listing_changes(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": "", "src/orders/router.py": "", "src/shared/x.py": ""})
    settings = Settings(root=tmp_path)
    first = layout_for(settings, max_age=0)
    assert first is not None
    assert layout_for(settings, max_age=0) is first

    _write(tmp_path, {"src/shared/utils.py": ""})
    _touch_directory(tmp_path / "src" / "shared")
    assert layout_for(settings, max_age=3600) is first
    second = layout_for(settings, max_age=0)
    assert second is not first
    assert second is not None and sorted(second.domains) == ["orders", "shared"]

    _write(tmp_path, {"src/users/schemas.py": ""})
    _touch_directory(tmp_path / "src")
    third = layout_for(settings, max_age=0)
    assert third is not None and sorted(third.domains) == ["orders", "shared", "users"]


def test_invalidate_forgets_the_cached_layout(tmp_path: Path) -> None:
    _write(tmp_path, {"main.py": APP, "orders/router.py": ""})
    settings = Settings(root=tmp_path)
    first = layout_for(settings)
    assert first is not None and first.source_root == tmp_path.resolve()
    _write(tmp_path, {"main.py": "", "api/main.py": APP, "api/carts/router.py": ""})
    layout.invalidate(tmp_path)
    second = layout_for(settings)
    assert second is not None and second.source_root == tmp_path.resolve() / "api"
    assert sorted(second.domains) == ["carts"]
    layout.invalidate()
    assert layout_for(settings) is not second


def test_no_root_no_layout() -> None:
    assert layout_for(Settings()) is None


@pytest.mark.parametrize("project", [DOMAINS, FLAT], ids=["domains", "flat"])
def test_loaded_project_settings_lead_to_the_layout(project: Path) -> None:
    settings = load_project(project / "pyproject.toml").settings
    found = layout_for(settings)
    assert found is not None
    assert found.root == project.resolve()
