"""Every snippet, expanded with its defaults into a module of its role inside a domain project,
parses and brings no FBP finding anywhere in the project."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from fastapi_practices.config import load_project
from fastapi_practices.snippets import SNIPPETS, Snippet, offer_for, place_for
from fastapi_practices.snippets.catalog import APP, TESTS
from fastapi_practices.snippets.context import with_imports
from fastapi_practices.snippets.imports import plan_imports
from fastapi_practices.snippets.scaffold import apply_edits
from fastapi_practices.workspace import layout

from tests.snippets.project import describe, findings_of_project, write_domain_project

# Where each role's snippet goes, and what must already be in that module for it to make sense.
TARGETS = {
    TESTS: "tests/posts/test_snippets.py",
    APP: "src/application.py",
    None: "src/posts/utils.py",
}
PREREQUISITES = {"router": ("fbp-router",)}


@pytest.fixture(scope="module")
def domain_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_domain_project(tmp_path_factory.mktemp("base"))


def expand_into(root: Path, relative: str, labels: tuple[str, ...]) -> str:
    """Write `relative` as the expansions of `labels` (defaults everywhere), each inserted the
    way completion inserts it: at the end of the module, with its missing imports added."""
    path = root / relative
    project = load_project(root)
    text = ""
    for label in labels:
        snippet = next(s for s in SNIPPETS if s.label == label)
        layout.invalidate()
        place = place_for(path.resolve(), text, project.settings)
        offer = offer_for(snippet, place, text)
        plan = plan_imports(text, offer.imports)
        added = plan.statement_edit()
        edits = list(plan.merges)
        code = offer.plain
        if added is not None and text.strip():
            edits.append(added)
        elif added is not None:
            code = with_imports(plan.statements, code)
        text = apply_edits(text, edits)
        text = f"{text.rstrip()}\n\n\n{code}\n" if text.strip() else f"{code}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def _target(snippet: Snippet) -> str:
    if snippet.role in TARGETS:
        return TARGETS[snippet.role]
    return f"src/posts/{snippet.role}.py"


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.label)
def test_snippet_expanded_in_its_role_module_is_lint_clean(
    snippet: Snippet, domain_project: Path, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(domain_project, root)
    relative = _target(snippet)
    labels = (*PREREQUISITES.get(snippet.role or "", ()), snippet.label)
    text = expand_into(root, relative, tuple(dict.fromkeys(labels)))

    ast.parse(text)
    found = findings_of_project(root)
    assert not found, f"{snippet.label} in {relative}:\n{text}\n{describe(found)}"


def test_the_property_covers_every_role_of_the_catalog() -> None:
    roles = {snippet.role for snippet in SNIPPETS}
    assert {TESTS, APP, "router", "schemas", "models", "dependencies"} <= roles
    assert all(role in TARGETS or role in PREREQUISITES or role for role in roles)
