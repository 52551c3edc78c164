"""Every rule's own examples are its tests: valid ones stay silent, invalid ones are flagged,
and each expected fix produces the expected text, parses, and clears the finding."""

from __future__ import annotations

import ast
import configparser
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import Settings, load_project
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import all_rules
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

RULES = [rule for rule in all_rules() if rule.code not in {"FBP002"}]


def _cases(kind: type) -> list[tuple[str, int, Valid | Invalid]]:
    return [
        pytest.param(rule.code, index, example, id=f"{rule.code}-{index}")
        for rule in RULES
        for index, example in enumerate(rule.examples)
        if isinstance(example, kind)
    ]


def assert_parses(path: Path, text: str) -> None:
    """The fixed text is still valid in its own language."""
    if path.suffix == ".ini":
        configparser.ConfigParser(interpolation=None, strict=False).read_string(text)
    elif path.suffix == ".toml":
        tomllib.loads(text)
    else:
        ast.parse(text)


def _only(code: str) -> Settings:
    return Settings(select=(code,))


def _setup(
    code: str, example: Valid | Invalid, factory: pytest.TempPathFactory
) -> tuple[Path, Settings, WorkspaceContext]:
    """Where the example lives, its settings, and the workspace the CLI would give it.

    Examples with `files` get a project on disk, indexed when the rule needs the whole project.
    """
    if not example.files:
        return Path(example.path), _only(code), EMPTY_WORKSPACE
    tmp_path = factory.mktemp(code)
    project = {"pyproject.toml": '[project]\nname = "example"\n', **example.files}
    for relative, text in {**project, example.path: example.code}.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    path = tmp_path / example.path
    project = load_project(path)
    settings = replace(project.settings, select=(code,))
    return path, settings, ProjectIndexes({project.root: settings}).get(project.root)


@pytest.mark.parametrize(("code", "index", "example"), _cases(Valid))
def test_valid_example_is_silent(
    code: str, index: int, example: Valid, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path, settings, workspace = _setup(code, example, tmp_path_factory)
    findings = analyze(example.code, path, settings, workspace)
    assert [f for f in findings if f.code == code] == []


@pytest.mark.parametrize(("code", "index", "example"), _cases(Invalid))
def test_invalid_example_is_flagged(
    code: str, index: int, example: Invalid, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path, settings, workspace = _setup(code, example, tmp_path_factory)
    findings = [f for f in analyze(example.code, path, settings, workspace) if f.code == code]
    assert findings, f"{code} example {index} was not flagged"
    if example.line is not None:
        assert findings[0].range.start.line + 1 == example.line
    if example.count is not None:
        assert len(findings) == example.count


def _fix_cases() -> list[object]:
    return [
        case
        for case in _cases(Invalid)
        if case.values[2].fixed is not None  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(("code", "index", "example"), _fix_cases())
def test_fix_gives_expected_text(
    code: str, index: int, example: Invalid, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path, settings, workspace = _setup(code, example, tmp_path_factory)
    findings = [f for f in analyze(example.code, path, settings, workspace) if f.code == code]
    first = findings[0]
    edits = build_fix(example.code, first, example.fix_kind, path, workspace)
    assert edits, f"{code} example {index} offered no edit"
    fixed = apply_edits(example.code, edits)
    assert fixed == example.fixed
    assert_parses(path, fixed)
    after = [f for f in analyze(fixed, path, settings, workspace) if f.code == code]
    assert len(after) == len(findings) - 1
    assert all(f.range != first.range for f in after) or len(after) < len(findings)


@pytest.mark.parametrize(("code", "index", "example"), _fix_cases())
def test_fix_brings_no_new_finding_of_any_rule(
    code: str, index: int, example: Invalid, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With every rule on, the fix removes its finding and no code gains one."""
    path, settings, workspace = _setup(code, example, tmp_path_factory)
    every_rule = replace(settings, select=("ALL",))
    before = analyze(example.code, path, every_rule, workspace)
    target = next(f for f in before if f.code == code)
    edits = build_fix(example.code, target, example.fix_kind, path, workspace)
    assert edits, f"{code} example {index} offered no edit"
    expected = Counter(f.code for f in before)
    expected[code] -= 1
    fixed = apply_edits(example.code, edits)
    after = Counter(f.code for f in analyze(fixed, path, every_rule, workspace))
    assert not after - expected, f"new findings: {after - expected}"
    assert after[code] == expected[code]


def test_every_rule_has_enough_examples() -> None:
    for rule in RULES:
        if rule.code.startswith("FBP0"):
            continue
        assert len(rule.invalid_examples) >= 3, rule.code
        assert len(rule.valid_examples) >= 5, rule.code


# Rules whose fix also edits other files: an example's `fixed=` holds one file's text only, so
# these fixes are proven by the dedicated tests named here instead.
CROSS_FILE_FIX_TESTS = {"FBP402": "tests/fixes/test_extract_dependency.py"}


def test_every_fixable_rule_has_a_fix_example() -> None:
    for rule in RULES:
        if rule.fix_applicability is not None and rule.code not in CROSS_FILE_FIX_TESTS:
            assert any(e.fixed for e in rule.invalid_examples), rule.code
    for code, test_file in CROSS_FILE_FIX_TESTS.items():
        assert (Path(__file__).parents[2] / test_file).is_file(), code
