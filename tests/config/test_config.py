from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.config import ConfigError, Settings, load_project
from fastapi_practices.model import Severity


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.fastapi-practices]\n{table}\n")
    (tmp_path / "app").mkdir()
    target = tmp_path / "app" / "main.py"
    target.write_text("")
    return target


def test_nearest_pyproject_is_the_project_root(tmp_path: Path) -> None:
    target = _project(tmp_path, 'ignore = ["FBP2"]\nseverity = { FBP201 = "information" }')
    project = load_project(target)
    assert project.root == tmp_path.resolve()
    assert "FBP201" not in project.settings.enabled_codes
    assert project.settings.severity["FBP201"] is Severity.INFO


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('selekt = ["FBP2"]', "'selekt'"),
        ('select = ["FBP999"]', "'FBP999'"),
        ("select = 3", "'select'"),
        ('severity = { FBP201 = "loud" }', "'loud'"),
        ('per-file-ignores = { "x.py" = ["NOPE1"] }', "'NOPE1'"),
    ],
)
def test_bad_config_names_the_file_and_the_key(tmp_path: Path, table: str, named: str) -> None:
    target = _project(tmp_path, table)
    with pytest.raises(ConfigError) as error:
        load_project(target)
    assert "pyproject.toml" in str(error.value)
    assert named in str(error.value)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    target = _project(tmp_path, "select = [")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_project(target)


def test_editor_overrides_beat_the_file_and_accept_camel_case() -> None:
    base = Settings(select=("FBP2",), ignore=("FBP201",))
    merged = base.with_overrides({"ignore": [], "extendSelect": ["FBP001"]}, "editor")
    assert merged.select == ("FBP2",)
    assert "FBP201" in merged.enabled_codes
    with pytest.raises(ConfigError, match="editor: unknown key 'bogus'"):
        base.with_overrides({"bogus": 1}, "editor")
