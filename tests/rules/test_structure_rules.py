"""Structure rules (FBP101 to FBP106) over fixture projects on disk, and FBP106's fix."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi_practices.config import Settings, load_project
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix

analyze_module = importlib.import_module("fastapi_practices.engine.analyze")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "structure"


def _structure_findings(project: Path) -> set[tuple[str, str, int]]:
    settings = replace(load_project(project / "pyproject.toml").settings, select=("FBP1",))
    found = set()
    for path in sorted(project.rglob("*.py")):
        for finding in analyze(path.read_text(encoding="utf-8"), path, settings):
            relative = path.relative_to(project).as_posix()
            found.add((relative, finding.code, finding.range.start.line + 1))
    return found


def test_domain_project_flags_only_misplaced_symbols() -> None:
    assert _structure_findings(FIXTURES / "domains") == {
        ("src/comments/dependencies.py", "FBP104", 1),
        ("src/comments/service.py", "FBP106", 1),
        ("src/posts/service.py", "FBP102", 9),
        ("src/posts/service.py", "FBP104", 13),
        ("src/posts/service.py", "FBP105", 17),
        ("src/posts/service.py", "FBP103", 25),
        ("src/posts/service.py", "FBP101", 30),
    }


def test_flat_project_gets_no_structure_finding() -> None:
    assert _structure_findings(FIXTURES / "flat") == set()


def test_findings_start_on_the_def_or_class_line() -> None:
    project = FIXTURES / "domains"
    path = project / "src" / "posts" / "service.py"
    settings = replace(load_project(path).settings, select=("FBP101", "FBP102"))
    text = path.read_text(encoding="utf-8")
    by_code = {f.code: f for f in analyze(text, path, settings)}
    route, schema = by_code["FBP101"].range, by_code["FBP102"].range
    lines = text.splitlines()
    assert lines[route.start.line][route.start.column : route.end.column] == (
        "async def list_summaries"
    )
    assert lines[schema.start.line][schema.start.column : schema.end.column] == (
        "class PostSummary"
    )


def test_without_a_path_or_a_root_nothing_is_reported() -> None:
    path = FIXTURES / "domains" / "src" / "posts" / "service.py"
    text = path.read_text(encoding="utf-8")
    assert analyze(text, None, Settings(select=("FBP1",))) == []
    assert analyze(text, path, Settings(select=("FBP1",))) == []


def test_renamed_role_module_moves_the_expectation(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fastapi-practices]\nrole-modules = { schemas = "dto.py" }\n', encoding="utf-8"
    )
    domain = tmp_path / "src" / "posts"
    domain.mkdir(parents=True)
    model = "from pydantic import BaseModel\n\n\nclass PostRead(BaseModel):\n    id: int\n"
    for name in ("dto.py", "schemas.py"):
        (domain / name).write_text(model, encoding="utf-8")
    settings = replace(load_project(tmp_path).settings, select=("FBP102",))
    assert analyze(model, domain / "dto.py", settings) == []
    flagged = analyze(model, domain / "schemas.py", settings)
    assert [f.code for f in flagged] == ["FBP102"]
    assert "posts/dto.py" in flagged[0].message


def test_layout_is_not_looked_up_when_no_structure_rule_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[Settings] = []
    monkeypatch.setattr(analyze_module, "layout_for", looked_up.append)
    analyze("x = 1\n", tmp_path / "a.py", Settings(root=tmp_path, select=("FBP201",)))
    assert looked_up == []
    analyze("x = 1\n", tmp_path / "a.py", Settings(root=tmp_path, select=("FBP102",)))
    assert len(looked_up) == 1


def _cross_domain_fix(tmp_path: Path, text: str) -> list[str] | None:
    """The text after FBP106's fix on `text` in `src/posts/service.py`, or None."""
    for relative, content in {
        "pyproject.toml": "",
        "src/posts/router.py": "",
        "src/auth/service.py": "async def get_user(user_id: int) -> str:\n    return ''\n",
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(content, encoding="utf-8")
    path = tmp_path / "src" / "posts" / "service.py"
    settings = replace(load_project(tmp_path).settings, select=("FBP106",))
    findings = analyze(text, path, settings)
    assert [f.code for f in findings] == ["FBP106"]
    edits = build_fix(text, findings[0], "module-import", path)
    return None if edits is None else apply_edits(text, edits).splitlines()


IMPORT = "from src.auth.service import get_user\n"


def test_cross_domain_fix_qualifies_every_use(tmp_path: Path) -> None:
    text = (
        IMPORT + "\n\nasync def a(uid: int) -> list[str]:\n"
        "    first = await get_user(uid)\n    return [first, f'{get_user.__name__}']\n"
    )
    assert _cross_domain_fix(tmp_path, text) == [
        "from src.auth import service as auth_service",
        "",
        "",
        "async def a(uid: int) -> list[str]:",
        "    first = await auth_service.get_user(uid)",
        "    return [first, f'{auth_service.get_user.__name__}']",
    ]


@pytest.mark.parametrize(
    "rest",
    [
        "\n\ndef get_user() -> None: ...\n",
        "\n\nasync def a(get_user: int) -> int:\n    return get_user\n",
        "\n\nasync def a() -> None:\n    for get_user in range(3):\n        print(get_user)\n",
        "\n__all__ = ['get_user']\n",
        "\n\nasync def a() -> 'get_user':\n    return await get_user(1)\n",
        "\nauth_service = None\n",
        "from src.billing import service as auth_service\n",
    ],
    ids=["redefined", "parameter", "loop-target", "all", "string-annotation", "alias", "import"],
)
def test_cross_domain_fix_refuses_when_meaning_could_change(tmp_path: Path, rest: str) -> None:
    assert _cross_domain_fix(tmp_path, IMPORT + rest) is None
