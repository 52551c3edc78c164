"""Building, caching and incremental updates of the index, and its use by the engine."""

from __future__ import annotations

import pickle
from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.workspace.index import WorkspaceIndex


def test_facts_pickle(seed_like: Path) -> None:
    index = WorkspaceIndex.build([seed_like])
    facts = index.facts_for("src.auth.dependencies")
    assert facts is not None
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_progress_is_reported(seed_like: Path) -> None:
    calls: list[tuple[int, int]] = []
    index = WorkspaceIndex.build(
        [seed_like], progress=lambda done, total: calls.append((done, total))
    )
    total = len(index.modules)
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)


def test_parallel_build_matches_serial(tmp_path: Path) -> None:
    for number in range(70):
        (tmp_path / f"m{number}.py").write_text(
            "from fastapi import HTTPException\n\n\n"
            f"def check_{number}():\n    raise HTTPException({400 + number})\n"
        )
    serial = WorkspaceIndex.build([tmp_path], workers=1)
    parallel = WorkspaceIndex.build([tmp_path], workers=2)
    assert list(parallel.all_facts()) == list(serial.all_facts())
    assert parallel.dependency_raises("m69.check_69").statuses == {469}


def test_unchanged_content_is_not_extracted_again(seed_like: Path) -> None:
    index = WorkspaceIndex.build([seed_like])
    before = index.stats.extractions
    path = seed_like / "src" / "auth" / "service.py"
    assert index.update(path, path.read_text()) == frozenset()
    assert index.refresh_from_disk([seed_like / "src" / "auth" / "schemas.py"]) == frozenset()
    assert index.stats.extractions == before
    assert index.stats.cache_hits == 2


def test_update_returns_the_module_and_its_dependents(seed_like: Path) -> None:
    index = WorkspaceIndex.build([seed_like])
    path = seed_like / "src" / "auth" / "dependencies.py"
    text = path.read_text().replace("status.HTTP_403_FORBIDDEN", "status.HTTP_401_UNAUTHORIZED")
    changed = index.update(path, text)
    assert changed == {
        "src.auth.dependencies",
        "src.auth.router",
        "src.posts.dependencies",
        "src.posts.router",
        "src.main",
    }
    assert index.dependency_raises("src.posts.router.read_post").statuses == {401, 404}
    # A leaf module changes only itself.
    schemas = seed_like / "src" / "posts" / "schemas.py"
    assert index.update(schemas, schemas.read_text() + "\nX = 1\n") == {
        "src.posts.schemas",
        "src.posts.router",
        "src.main",
    }


def test_refresh_from_disk_and_remove(seed_like: Path) -> None:
    index = WorkspaceIndex.build([seed_like])
    new = seed_like / "src" / "posts" / "service.py"
    new.write_text("from src.posts.dependencies import valid_post_id\n")
    every_module = set(index.modules) | {"src.posts.service"}
    # A module more or fewer can change the layout, so every module is answered for.
    assert index.refresh_from_disk([new]) == every_module
    assert "src.posts.service" in index.dependents_of("src.auth.dependencies")
    new.unlink()
    assert index.refresh_from_disk([new]) == every_module
    assert index.facts_for("src.posts.service") is None
    removed = index.remove(seed_like / "src" / "auth" / "exceptions.py")
    assert "src.auth.dependencies" in removed and "src.main" in removed
    assert index.facts_for("src.auth.exceptions") is None


def test_refresh_ignores_excluded_and_foreign_files(seed_like: Path) -> None:
    index = WorkspaceIndex.build([seed_like])
    venv = seed_like / ".venv" / "lib" / "fastapi.py"
    venv.parent.mkdir(parents=True)
    venv.write_text("x = 1\n")
    notes = seed_like / "notes.txt"
    notes.write_text("x = 1\n")
    assert index.refresh_from_disk([venv, notes]) == frozenset()
    assert index.update(seed_like / "pyproject.toml", "[project]\n") == frozenset()
    assert not any(facts.path.endswith("fastapi.py") for facts in index.all_facts())


def test_editor_text_wins_over_disk(seed_like: Path) -> None:
    index = WorkspaceIndex.build([seed_like])
    path = seed_like / "src" / "auth" / "service.py"
    index.update(path, "X = 1\n")
    assert index.refresh_from_disk([path]) == frozenset()
    source = index.module_source("src.auth.service")
    assert source is not None and source.text == "X = 1\n"


ROUTES = (
    "import bcrypt\n"
    "from src.auth.router import router\n"
    "\n"
    "\n"
    '@router.post("/hash")\n'
    "async def hash_password(password: str):\n"
    "    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())\n"
)


def test_analyze_resolves_a_router_imported_from_another_module(seed_like: Path) -> None:
    path = seed_like / "src" / "auth" / "extra.py"
    path.write_text(ROUTES)
    index = WorkspaceIndex.build([seed_like])
    # FBP207 needs proof that `router` is an APIRouter, and it lives in another module.
    settings = Settings(select=("FBP207",), root=seed_like)
    assert analyze(ROUTES, path, settings) == []
    [finding] = analyze(ROUTES, path, settings, workspace=index)
    assert finding.code == "FBP207"


def test_src_without_init_is_an_import_root(tmp_path: Path) -> None:
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text("")
    (tmp_path / "src" / "shop" / "router.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    )
    (tmp_path / "src" / "main.py").write_text(
        "from fastapi import FastAPI\nfrom shop import router as shop\n\n"
        "app = FastAPI()\napp.include_router(shop.router)\n"
    )
    index = WorkspaceIndex.build([tmp_path])
    assert index.module_name_for(tmp_path / "src" / "shop" / "router.py") == ("shop.router", False)
    [include] = index.routers_included()
    assert include.router == "shop.router.router"
    assert include.has_prefix is False
    # The `src.`-rooted spelling reaches the same module.
    assert index.canonical("src.shop.router.router") == "shop.router.router"
