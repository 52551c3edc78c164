"""Which files the workspace walk returns: excludes, .gitignore, links, the size bound."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi_practices.config import Project, Settings
from fastapi_practices.workspace.discovery import discover


class OneProject:
    def __init__(self, root: Path, settings: Settings | None = None) -> None:
        self.project = Project(root, settings or Settings(root=root), None)

    def for_directory(self, directory: Path, fallback_root: Path) -> Project:
        return self.project


def write(root: Path, *names: str, text: str = "x = 1\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(root: Path, **kwargs: object) -> list[str]:
    result = discover([root], OneProject(root.resolve()), **kwargs)  # type: ignore[arg-type]
    return sorted(f.path.relative_to(root).as_posix() for f in result.files)


def test_default_excludes(tmp_path: Path) -> None:
    excluded = (".venv", "venv", "node_modules", ".git", "build", "dist", "__pycache__")
    write(tmp_path, "app/main.py", *(f"{d}/x.py" for d in (*excluded, ".tox", ".mypy_cache")))
    assert found(tmp_path) == ["app/main.py"]


def test_configured_exclude(tmp_path: Path) -> None:
    write(tmp_path, "app/main.py", "legacy/old.py", "build/kept.py")
    settings = Settings(root=tmp_path.resolve(), exclude=("legacy/",))
    result = discover([tmp_path], OneProject(tmp_path.resolve(), settings))
    names = sorted(f.path.relative_to(tmp_path).as_posix() for f in result.files)
    assert names == ["app/main.py", "build/kept.py"]


def test_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n*_local.py\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".gitignore").write_text("!keep_local.py\n")
    write(tmp_path, "app/main.py", "app/x_local.py", "app/keep_local.py", "generated/api.py")
    assert found(tmp_path) == ["app/keep_local.py", "app/main.py"]


def test_symlink_loops_and_links_out_of_the_roots(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root, "pkg/main.py")
    write(outside, "secret.py")
    (root / "pkg" / "loop").symlink_to(root / "pkg", target_is_directory=True)
    (root / "out").symlink_to(outside, target_is_directory=True)
    (root / "pkg" / "linked.py").symlink_to(outside / "secret.py")
    assert found(root) == ["pkg/main.py"]


def test_files_over_the_size_bound_are_skipped_with_a_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, "small.py")
    write(tmp_path, "big.py", text="x = 1\n" * 100)
    with caplog.at_level(logging.INFO, logger="fastapi_practices.workspace.discovery"):
        result = discover([tmp_path], OneProject(tmp_path.resolve()), max_bytes=100)
    assert [f.path.name for f in result.files] == ["small.py"]
    assert [(s.path.name, s.reason) for s in result.skipped] == [
        ("big.py", "larger than 100 bytes (600 bytes)")
    ]
    assert "big.py: skipped" in caplog.text


def test_no_size_bound_by_default(tmp_path: Path) -> None:
    write(tmp_path, "big.py", text="x = 1\n" * 100)
    assert found(tmp_path) == ["big.py"]
