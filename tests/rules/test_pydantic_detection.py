"""Seed §3 detection beyond the examples: models and exceptions defined in other workspace
modules, regex translation, report positions, and silence on look-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.model import Finding
from fastapi_practices.rules.pydantic.regex_patterns import (
    field_pattern_affixes,
    has_top_level_alternation,
    rust_compatible,
)
from fastapi_practices.workspace.filesystem import FileSystemWorkspace


def _findings(
    code: str, text: str, path: str = "app/schemas.py", **kwargs: object
) -> list[Finding]:
    found = analyze(text, Path(path), Settings(select=(code,)), **kwargs)  # type: ignore[arg-type]
    return [f for f in found if f.code == code]


def _workspace(tmp_path: Path, files: dict[str, str]) -> FileSystemWorkspace:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return FileSystemWorkspace([tmp_path])


BASES = (
    "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings\n\n\n"
    "class AppModel(BaseModel):\n    pass\n\n\nclass AppSettings(BaseSettings):\n    pass\n"
)
USERS = (
    "from app.base import AppModel, AppSettings\n\n\nclass UserCreate(AppModel):\n"
    "    email: str\n\n    class Config:\n        orm_mode = True\n\n\n"
    "class MailSettings(AppSettings):\n    sender_email: str\n"
)


def test_models_through_a_workspace_base(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, {"app/__init__.py": "", "app/base.py": BASES})
    path = str(tmp_path / "app" / "users.py")
    (email,) = _findings("FBP301", USERS, path, workspace=workspace)
    assert email.range.start.line == 4
    (config,) = _findings("FBP306", USERS, path, workspace=workspace)
    assert config.range.start.line == 6
    assert [o.kind for o in config.fixes] == ["config-dict"]


def test_unknown_base_without_workspace_is_silent() -> None:
    assert _findings("FBP301", USERS) == []
    assert _findings("FBP306", USERS) == []


def test_settings_config_through_a_workspace_base(tmp_path: Path) -> None:
    text = (
        "from app.base import AppSettings\n\n\nclass MailSettings(AppSettings):\n"
        "    class Config:\n        env_prefix = 'MAIL_'\n"
    )
    workspace = _workspace(tmp_path, {"app/__init__.py": "", "app/base.py": BASES})
    path = str(tmp_path / "app" / "mail.py")
    (config,) = _findings("FBP306", text, path, workspace=workspace)
    assert [o.kind for o in config.fixes] == ["settings-config-dict"]
    assert "SettingsConfigDict" in config.message


def test_exception_classes_from_other_modules(tmp_path: Path) -> None:
    errors = "class InvalidSku(ValueError):\n    pass\n\n\nclass Forbidden(Exception):\n    pass\n"
    text = (
        "from pydantic import BaseModel, field_validator\n\nfrom app.errors import Forbidden, "
        "InvalidSku\n\n\nclass Item(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
        "    @classmethod\n    def check(cls, v):\n        if not v:\n"
        "            raise InvalidSku(v)\n        if v == 'x':\n"
        "            raise Forbidden(v)\n        return v\n"
    )
    workspace = _workspace(tmp_path, {"app/__init__.py": "", "app/errors.py": errors})
    path = str(tmp_path / "app" / "items.py")
    (finding,) = _findings("FBP310", text, path, workspace=workspace)
    assert finding.range.start.line == 14
    assert "`Forbidden`" in finding.message
    assert finding.fixes == ()


def test_starlette_http_exception_in_a_model_validator() -> None:
    text = (
        "from pydantic import BaseModel, model_validator\n"
        "from starlette.exceptions import HTTPException as StarletteError\n\n\n"
        "class A(BaseModel):\n    x: int\n\n    @model_validator(mode='before')\n"
        "    @classmethod\n    def check(cls, data):\n"
        "        raise StarletteError(status_code=400, detail='no')\n"
    )
    (finding,) = _findings("FBP310", text)
    assert finding.range.start.line == 10
    assert [o.kind for o in finding.fixes] == ["value-error"]


def test_one_finding_per_v1_decorator_on_the_decorator_line() -> None:
    text = (
        "from pydantic import BaseModel, root_validator, validator\n\n\nclass A(BaseModel):\n"
        "    a: int\n\n    @validator('a')\n    def f(cls, v):\n        return v\n\n"
        "    @root_validator(skip_on_failure=True)\n    def g(cls, values):\n"
        "        return values\n"
    )
    findings = _findings("FBP308", text)
    assert [(f.range.start.line, f.range.start.column) for f in findings] == [(6, 5), (10, 5)]
    assert [bool(f.fixes) for f in findings] == [True, False]


def test_field_findings_cover_name_and_annotation() -> None:
    text = "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    website: str = ''\n"
    (finding,) = _findings("FBP302", text)
    assert (finding.range.start.column, finding.range.end.column) == (4, 16)


@pytest.mark.parametrize(
    "annotation",
    ["int", "list[str]", "Annotated[str, 'x']", "Optional[int]", "str | int", "dict[str, str]"],
)
def test_email_field_with_other_types_is_silent(annotation: str) -> None:
    text = (
        "from typing import Annotated, Optional\n\nfrom pydantic import BaseModel\n\n\n"
        f"class A(BaseModel):\n    email: {annotation}\n"
    )
    assert _findings("FBP301", text) == []


def test_json_encoders_reported_once_on_its_own_line() -> None:
    text = (
        "from pydantic import BaseModel, ConfigDict\n\nBASE = ConfigDict(\n"
        "    title='x',\n    json_encoders={},\n)\n"
    )
    (finding,) = _findings("FBP311", text)
    assert (finding.range.start.line, finding.range.start.column) == (4, 4)
    assert finding.range.end.column == 4 + len("json_encoders")


def test_v1_config_and_json_encoders_both_reported() -> None:
    text = (
        "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    class Config:\n"
        "        json_encoders = {set: list}\n"
    )
    assert len(_findings("FBP306", text)) == 1
    (encoders,) = _findings("FBP311", text)
    assert encoders.range.start.line == 5


@pytest.mark.parametrize(
    ("pattern", "how", "affixes"),
    [
        (r"^[A-Z]{3}-\d{4}$", "match", ("", "")),
        (r"^[A-Z]{3}-\d{4}$", "fullmatch", ("", "")),
        (r"[a-z]+", "match", ("^", "")),
        (r"[a-z]+", "fullmatch", ("^", "$")),
        (r"^\w+", "search", ("", "")),
        (r"\w+", "search", None),
        (r"a|b", "match", ("^(?:", ")")),
        (r"^a|b$", "fullmatch", ("^(?:", ")$")),
        (r"^(a|b)$", "match", ("", "")),
        (r"^[|]x\$", "fullmatch", ("", "$")),
        (r"^a(?=b)", "match", None),
        (r"^(?<!a)b", "match", None),
        (r"^(a)\1$", "match", None),
        (r"^\w+\Z", "match", None),
        (r"^a{,3}$", "match", None),
        (r"^[[a]]$", "match", None),
        (r"^a*+$", "match", None),
        (r"^(?P<x>a)(?i:b)$", "match", ("", "")),
        (r"(", "match", None),
        (r"(?i)^abc$", "match", None),
        (r"(?i)abc", "match", None),
        (r"^a(?i)b", "match", None),
        (r"^[a||b]$", "match", None),
    ],
)
def test_field_pattern_affixes(pattern: str, how: str, affixes: tuple[str, str] | None) -> None:
    assert field_pattern_affixes(pattern, how) == affixes


def test_regex_helpers() -> None:
    assert has_top_level_alternation(r"a|b")
    assert not has_top_level_alternation(r"(a|b)")
    assert not has_top_level_alternation(r"[|]")
    assert not has_top_level_alternation(r"a\|b")
    assert rust_compatible(r"^\d{2,}[\w.-]+@[^@]+$")
    assert not rust_compatible(r"\N{BULLET}")
