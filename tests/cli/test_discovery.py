"""Which files `check` reads: excludes, .gitignore files, symbolic links, explicit files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi_practices.cli_support.indexes import build_index
from fastapi_practices.config import Settings

from tests.cli.helpers import SLEEPY_ROUTE, project, run, write

CaptureFixture = pytest.CaptureFixture[str]


def checked(capsys: CaptureFixture, root: Path, *paths: str) -> list[str]:
    """Relative paths of the files reported (each test file holds one FBP201)."""
    result = run(capsys, "check", "--format", "json", *(paths or (str(root),)))
    assert "Traceback" not in result.err
    names = [Path(entry["filename"]) for entry in json.loads(result.out)]
    return [name.relative_to(root).as_posix() for name in names]


def test_default_excludes(tmp_path: Path, capsys: CaptureFixture) -> None:
    files = {
        f"{directory}/x.py": SLEEPY_ROUTE
        for directory in (".venv/lib", "venv", "node_modules/pkg", "build", "dist", ".tox", "app")
    }
    project(tmp_path, files)
    assert checked(capsys, tmp_path) == ["app/x.py"]


def test_configured_exclude_and_extend_exclude(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = (
        "[tool.fastapi-practices]\n"
        'select = ["FBP201"]\n'
        'extend-exclude = ["legacy/", "scripts/*.py", "/top_only.py"]\n'
    )
    files = {
        name: SLEEPY_ROUTE
        for name in (
            "app/main.py",
            "legacy/old.py",
            "app/legacy/old.py",
            "scripts/run.py",
            "scripts/deep/run.py",
            "top_only.py",
            "app/top_only.py",
            ".venv/x.py",
        )
    }
    project(tmp_path, files, config=config)
    assert checked(capsys, tmp_path) == [
        "app/main.py",
        "app/top_only.py",
        "scripts/deep/run.py",
    ]


def test_exclude_replaces_the_defaults(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = '[tool.fastapi-practices]\nselect = ["FBP201"]\nexclude = ["generated"]\n'
    project(tmp_path, {"build/x.py": SLEEPY_ROUTE, "generated/y.py": SLEEPY_ROUTE}, config=config)
    assert checked(capsys, tmp_path) == ["build/x.py"]


def test_exclude_is_relative_to_the_project_root(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = '[tool.fastapi-practices]\nselect = ["FBP201"]\nexclude = ["/app/skip.py"]\n'
    project(tmp_path, {"app/skip.py": SLEEPY_ROUTE, "app/keep.py": SLEEPY_ROUTE}, config=config)
    assert checked(capsys, tmp_path, str(tmp_path / "app")) == ["app/keep.py"]


def test_gitignore_files_are_honoured(tmp_path: Path, capsys: CaptureFixture) -> None:
    files = {
        name: SLEEPY_ROUTE
        for name in (
            "app/main.py",
            "app/local_settings.py",
            "generated/api.py",
            "app/pkg/a.gen.py",
            "app/pkg/keep.gen.py",
            "app/pkg/scratch.py",
            "other/scratch.py",
        )
    }
    project(tmp_path, files)
    write(tmp_path, ".gitignore", "generated/\n*.gen.py\nlocal_settings.py\n")
    write(tmp_path, "app/pkg/.gitignore", "!keep.gen.py\nscratch.py\n")
    assert checked(capsys, tmp_path) == [
        "app/main.py",
        "app/pkg/keep.gen.py",
        "other/scratch.py",
    ]


def test_gitignore_above_the_checked_directory(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE, "app/gen/out.py": SLEEPY_ROUTE})
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", "gen/\n")
    assert checked(capsys, tmp_path, str(tmp_path / "app")) == ["app/main.py"]


def test_a_directory_named_explicitly_is_checked_even_if_ignored_above(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE, "vendor/lib/out.py": SLEEPY_ROUTE})
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", "vendor/\n")
    assert checked(capsys, tmp_path) == ["app/main.py"]
    assert checked(capsys, tmp_path, str(tmp_path / "vendor" / "lib")) == ["vendor/lib/out.py"]


def test_a_nested_repository_ignores_the_outer_gitignore(
    tmp_path: Path, capsys: CaptureFixture
) -> None:
    project(tmp_path, {"inner/app/gen/out.py": SLEEPY_ROUTE})
    (tmp_path / ".git").mkdir()
    (tmp_path / "inner" / ".git").mkdir()
    write(tmp_path, ".gitignore", "gen/\n")
    assert checked(capsys, tmp_path, str(tmp_path / "inner")) == ["inner/app/gen/out.py"]


def test_explicit_files_are_taken_as_given(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"build/x.py": SLEEPY_ROUTE, "notes.txt": SLEEPY_ROUTE})
    write(tmp_path, ".gitignore", "*.txt\n")
    paths = (str(tmp_path / "build" / "x.py"), str(tmp_path / "notes.txt"))
    assert checked(capsys, tmp_path, *paths) == ["build/x.py", "notes.txt"]


def test_a_file_given_twice_is_checked_once(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    paths = (str(tmp_path), str(tmp_path / "app"), str(tmp_path / "app" / "main.py"))
    assert checked(capsys, tmp_path, *paths) == ["app/main.py"]


def test_symlink_loops_and_links_out_of_the_roots(tmp_path: Path, capsys: CaptureFixture) -> None:
    root = project(tmp_path / "proj", {"pkg/main.py": SLEEPY_ROUTE})
    outside = tmp_path / "outside"
    write(outside, "secret.py", SLEEPY_ROUTE)
    (root / "pkg" / "loop").symlink_to(root / "pkg", target_is_directory=True)
    (root / "up").symlink_to(root, target_is_directory=True)
    (root / "out").symlink_to(outside, target_is_directory=True)
    (root / "pkg" / "linked.py").symlink_to(outside / "secret.py")
    (root / "pkg" / "alias.py").symlink_to(root / "pkg" / "main.py")
    (root / "dangling.py").symlink_to(root / "missing.py")
    assert checked(capsys, root) == ["pkg/main.py"]


def test_nested_project_excludes_apply_below_it(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    nested = '[tool.fastapi-practices]\nselect = ["FBP201"]\nextend-exclude = ["skip"]\n'
    project(tmp_path / "service", {"skip/x.py": SLEEPY_ROUTE, "ok.py": SLEEPY_ROUTE}, nested)
    write(tmp_path, "skip/y.py", SLEEPY_ROUTE)
    assert checked(capsys, tmp_path) == ["app/main.py", "service/ok.py", "skip/y.py"]


def test_imports_resolve_across_files_of_a_project(tmp_path: Path, capsys: CaptureFixture) -> None:
    """The router comes from another module: only the workspace proves it is an APIRouter."""
    files = {
        "src/app/__init__.py": "",
        "src/app/routing.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
        "src/app/main.py": (
            "import bcrypt\nfrom app.routing import router\n\n\n@router.post('/hash')\n"
            "async def hash_password(pw: bytes) -> bytes:\n"
            "    return bcrypt.hashpw(pw, bcrypt.gensalt())\n"
        ),
    }
    project(tmp_path, files, config='[tool.fastapi-practices]\nselect = ["FBP207"]\n')
    assert checked(capsys, tmp_path) == ["src/app/main.py"]
    assert checked(capsys, tmp_path, str(tmp_path / "src" / "app" / "main.py")) == [
        "src/app/main.py"
    ]


def test_workspace_roots_are_the_project_and_its_src(tmp_path: Path) -> None:
    write(tmp_path, "src/app/main.py", "")
    write(tmp_path, "tools/run.py", "")
    workspace = build_index(tmp_path, Settings(root=tmp_path))
    assert workspace.module_name_for(tmp_path / "src" / "app" / "main.py") == ("app.main", False)
    assert workspace.module_name_for(tmp_path / "tools" / "run.py") == ("tools.run", False)
    plain = tmp_path / "plain"
    write(plain, "app/__init__.py", "")
    plain_index = build_index(plain, Settings(root=plain))
    assert plain_index.module_name_for(plain / "app" / "__init__.py") == ("app", True)
