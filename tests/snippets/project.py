"""A domain project on disk for snippet and scaffold tests, and how to check it is lint-clean."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import load_project
from fastapi_practices.engine import analyze
from fastapi_practices.model import Finding
from fastapi_practices.snippets import BY_LABEL
from fastapi_practices.snippets.scaffold import plan_new_domain, write_plan
from fastapi_practices.snippets.template import expand_defaults
from fastapi_practices.workspace import layout

PYPROJECT = """\
[project]
name = "demo"
version = "0"

[tool.ruff.lint]
extend-select = ["ASYNC", "FAST"]
external = ["FBP"]
"""
MAIN = """\
import os

from fastapi import FastAPI

SHOW_DOCS = os.environ.get("ENVIRONMENT", "local") == "local"

app = FastAPI(title="Demo", openapi_url="/openapi.json" if SHOW_DOCS else None)
"""
DATABASE_IMPORTS = "from sqlalchemy import MetaData\nfrom sqlalchemy.orm import DeclarativeBase\n\n"


def write_base_project(root: Path, database: bool = True) -> Path:
    """pyproject.toml (ruff set up), src/main.py with the app, and src/database.py with the
    declarative base (written by the fbp-naming-convention snippet)."""
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "src" / "__init__.py").write_text("", encoding="utf-8")
    (root / "src" / "main.py").write_text(MAIN, encoding="utf-8")
    if database:
        body = expand_defaults(BY_LABEL["fbp-naming-convention"].body)
        (root / "src" / "database.py").write_text(DATABASE_IMPORTS + body + "\n", "utf-8")
    layout.invalidate()
    return root


def write_domain_project(root: Path, domain: str = "posts", database: bool = True) -> Path:
    """The base project with `domain` created by the new-domain scaffold."""
    write_base_project(root, database)
    project = load_project(root)
    write_plan(plan_new_domain(root, domain, project.settings))
    return root


def findings_of_project(root: Path) -> dict[str, list[Finding]]:
    """Every finding of every Python file and pyproject.toml, by relative path, with the
    workspace index `check` would build."""
    layout.invalidate()
    project = load_project(root)
    workspace = ProjectIndexes({project.root: project.settings}).get(project.root)
    found: dict[str, list[Finding]] = {}
    paths = [*sorted(root.rglob("*.py")), root / "pyproject.toml"]
    for path in paths:
        if "__pycache__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        findings = analyze(text, path.resolve(), project.settings, workspace)
        if findings:
            found[path.relative_to(root).as_posix()] = findings
    return found


def describe(found: dict[str, list[Finding]]) -> str:
    return "\n".join(
        f"{path}:{f.range.start.line + 1}: {f.code} {f.message}"
        for path, findings in found.items()
        for f in findings
    )
