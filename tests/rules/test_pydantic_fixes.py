"""Seed §3 fixes beyond their examples: no new finding with every rule on, fix-all over a v1
module, line endings, and the conditions under which a fix is withheld."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.model import Applicability, Finding
from fastapi_practices.rules.registry import get_rule

PYDANTIC_CODES = (
    "FBP301",
    "FBP302",
    "FBP303",
    "FBP304",
    "FBP306",
    "FBP307",
    "FBP308",
    "FBP310",
    "FBP311",
)
ALL = Settings(select=("ALL",))


def _findings(code: str, text: str, path: str = "app/schemas.py") -> list[Finding]:
    return [f for f in analyze(text, Path(path), Settings(select=(code,))) if f.code == code]


def _fix_first(code: str, text: str, path: str = "app/schemas.py") -> str | None:
    findings = _findings(code, text, path)
    assert findings, f"{code} did not fire"
    edits = build_fix(text, findings[0], path=Path(path))
    return apply_edits(text, edits) if edits else None


def test_fixable_rules_declare_their_applicability() -> None:
    unsafe = {"FBP301", "FBP302"}
    for code in PYDANTIC_CODES:
        rule = get_rule(code)
        assert rule is not None
        if rule.fix_applicability is None:
            assert code in {"FBP304", "FBP311"}
            continue
        wanted = Applicability.UNSAFE if code in unsafe else Applicability.SAFE
        assert rule.fix_applicability is wanted, code
        for example in rule.invalid_examples:
            for finding in _findings(code, example.code, example.path):
                assert all(option.applicability is wanted for option in finding.fixes)


V1_MODULE = """import re
from datetime import datetime

from fastapi import HTTPException
from pydantic import BaseModel, BaseSettings, Extra, root_validator, validator


class AppSettings(BaseSettings):
    admin_email: str = "ops@example.com"

    class Config:
        env_prefix = "APP_"


class User(BaseModel):
    email: str
    handle: str
    role: str
    created_at: datetime

    class Config:
        orm_mode = True
        extra = Extra.forbid
        json_encoders = {datetime: lambda v: v.isoformat()}

    @validator("handle")
    def handle_ok(cls, v):
        if not re.match(r"^[a-z_]{3,20}$", v):
            raise HTTPException(status_code=400, detail="bad handle")
        return v

    @validator("role", pre=True)
    def role_known(cls, v):
        if v not in {"admin", "member"}:
            raise ValueError("unknown role")
        return v

    @root_validator(pre=True)
    def fill(cls, values):
        values.setdefault("role", "member")
        return values
"""

V2_MODULE = """import re
from datetime import datetime

from fastapi import HTTPException
PYDANTIC_IMPORT
from pydantic_settings import BaseSettings
from pydantic_settings import SettingsConfigDict


class AppSettings(BaseSettings):
    admin_email: str = "ops@example.com"

    model_config = SettingsConfigDict(env_prefix="APP_")


class User(BaseModel):
    email: str
    handle: str = Field(pattern=r"^[a-z_]{3,20}$")
    role: str
    created_at: datetime

    model_config = ConfigDict(
        from_attributes=True, extra="forbid", json_encoders={datetime: lambda v: v.isoformat()}
    )

    @field_validator("role", mode="before")
    @classmethod
    def role_known(cls, v):
        if v not in {"admin", "member"}:
            raise ValueError("unknown role")
        return v

    @model_validator(mode="before")
    @classmethod
    def fill(cls, values):
        values.setdefault("role", "member")
        return values
""".replace(
    "PYDANTIC_IMPORT",
    "from pydantic import BaseModel, Extra, root_validator, validator, ConfigDict, "
    "field_validator, Field, model_validator",
)


def test_fix_all_migrates_a_v1_module_step_by_step() -> None:
    path = Path("app/schemas.py")
    codes = [f.code for f in analyze(V1_MODULE, path, ALL)]
    assert Counter(codes) >= Counter(
        {"FBP308": 3, "FBP306": 2, "FBP307": 1, "FBP303": 1, "FBP310": 1, "FBP304": 1}
    )
    result = fix_all(V1_MODULE, path, ALL)
    assert result.text == V2_MODULE
    remaining = sorted(f.code for f in result.remaining)
    assert remaining == ["FBP301", "FBP304", "FBP311"]
    # The e-mail fix needs `email-validator`: only applied on request.
    unsafe = fix_all(V1_MODULE, path, ALL, unsafe=True)
    assert "    email: EmailStr\n" in unsafe.text
    assert sorted(f.code for f in unsafe.remaining) == ["FBP304", "FBP311"]


def test_fixes_keep_windows_line_endings() -> None:
    text = (
        "from pydantic import BaseModel, BaseSettings\r\n\r\n\r\nclass Item(BaseModel):\r\n"
        "    name: str\r\n\r\n    class Config:\r\n        # strip input\r\n"
        "        anystr_strip_whitespace = True\r\n"
    )
    config = _fix_first("FBP306", text)
    assert config == (
        "from pydantic import BaseModel, BaseSettings, ConfigDict\r\n\r\n\r\n"
        "class Item(BaseModel):\r\n    name: str\r\n\r\n    model_config = ConfigDict(\r\n"
        "        # strip input\r\n        str_strip_whitespace=True,\r\n    )\r\n"
    )
    settings = _fix_first("FBP307", text)
    assert settings is not None
    assert settings.startswith(
        "from pydantic import BaseModel\r\nfrom pydantic_settings import BaseSettings\r\n"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "from pydantic import BaseModel, ConfigDict\n\n\nclass A(BaseModel):\n"
            "    model_config = ConfigDict(title='A')\n\n    class Config:\n"
            "        orm_mode = True\n",
            "model_config already set",
        ),
        (
            "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    class Config:\n"
            "        orm_mode = True\n        from_attributes = True\n",
            "two options map to one name",
        ),
        (
            "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    class Config:\n"
            "        allow_mutation = True\n",
            "only allow_mutation = False maps",
        ),
        (
            "from pydantic import BaseModel\nfrom mylib import ConfigDict\n\n\n"
            "class A(BaseModel):\n    class Config:\n        orm_mode = True\n",
            "ConfigDict is another library's",
        ),
        (
            "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n"
            "    class Config(object):\n        orm_mode = True\n",
            "Config has a base class",
        ),
    ],
)
def test_v1_config_without_fix(text: str, why: str) -> None:
    (finding,) = _findings("FBP306", text)
    assert finding.fixes == (), why


def test_v1_config_names_every_unmapped_option() -> None:
    text = (
        "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    class Config:\n"
        "        orm_mode = True\n        smart_union = True\n"
        "        underscore_attrs_are_private = True\n"
    )
    (finding,) = _findings("FBP306", text)
    assert "`smart_union`, `underscore_attrs_are_private` have no v2 equivalent" in (
        finding.message
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "import re\nfrom pydantic import BaseModel, field_validator\n\n\n"
            "class A(BaseModel):\n    sku: str | None = None\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def ok(cls, v):\n        if not re.match(r'^\\d+$', v):\n"
            "            raise ValueError('digits')\n        return v\n",
            "an optional field also sends None to the validator",
        ),
        (
            "import re\nfrom pydantic import BaseModel, Field, field_validator\n\n\n"
            "class A(BaseModel):\n    sku: str = Field(pattern=r'^\\w+$')\n\n"
            "    @field_validator('sku')\n    @classmethod\n    def ok(cls, v):\n"
            "        if not re.match(r'^\\d+$', v):\n            raise ValueError('digits')\n"
            "        return v\n",
            "the field already has a pattern",
        ),
        (
            "import re\nfrom pydantic import BaseModel, field_validator\n\n\n"
            "class Base(BaseModel):\n    sku: str\n\n\nclass A(Base):\n"
            "    @field_validator('sku')\n    @classmethod\n    def ok(cls, v):\n"
            "        if not re.match(r'^\\d+$', v):\n            raise ValueError('digits')\n"
            "        return v\n",
            "the field is inherited",
        ),
        (
            "import re\nfrom pydantic import BaseModel, field_validator\n\n\n"
            "class A(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def ok(cls, v):\n        if not re.match(r'^\\d+$', v):\n"
            "            raise ValueError('digits')\n        return v\n\n"
            "    def describe(self):\n        return self.ok(self.sku)\n",
            "the validator is called elsewhere",
        ),
        (
            "import re\nfrom pydantic import BaseModel, field_validator\n\n\n"
            "class A(BaseModel):\n    sku: str\n\n    @field_validator('sku', mode='before')\n"
            "    @classmethod\n    def ok(cls, v):\n        if not re.match(r'^\\d+$', v):\n"
            "            raise ValueError('digits')\n        return v\n",
            "before-mode sees raw input",
        ),
        (
            "import re\nfrom pydantic import BaseModel, field_validator\n\n\n"
            "class A(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def ok(cls, v):\n"
            "        if not re.match(r'^\\d+$', v, re.ASCII):\n"
            "            raise ValueError('digits')\n        return v\n",
            "flags",
        ),
        (
            "import re\nfrom pydantic import BaseModel, field_validator\n\n\n"
            "class A(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def ok(cls, v):\n        if not re.search(r'\\d', v):\n"
            "            raise ValueError('digits')\n        return v\n",
            "re.search of an unanchored pattern differs under the python-re engine",
        ),
    ],
)
def test_regex_validator_without_fix(text: str, why: str) -> None:
    (finding,) = _findings("FBP303", text)
    assert finding.fixes == (), why


def test_regex_validator_fullmatch_of_an_alternation() -> None:
    text = (
        "import re\nfrom pydantic import BaseModel, field_validator\n\n\nclass A(BaseModel):\n"
        "    size: str\n\n    @field_validator('size')\n    @classmethod\n"
        "    def ok(cls, v):\n        if not re.fullmatch('S|M|L', v):\n"
        "            raise ValueError('size')\n        return v\n"
    )
    fixed = _fix_first("FBP303", text)
    assert fixed is not None
    assert "    size: str = Field(pattern='^(?:S|M|L)$')\n" in fixed
    assert "def ok" not in fixed


def test_stacked_v1_validators_are_fixed_together() -> None:
    text = (
        "from pydantic import BaseModel, validator\n\n\nclass A(BaseModel):\n    a: str\n"
        "    b: str\n\n    @validator('a')\n    @validator('b', pre=True)\n"
        "    def strip(cls, v):\n        return v.strip()\n"
    )
    result = fix_all(text, Path("app/schemas.py"), Settings(select=("FBP308",)))
    assert result.text == (
        "from pydantic import BaseModel, validator, field_validator\n\n\nclass A(BaseModel):\n"
        "    a: str\n    b: str\n\n    @field_validator('a')\n"
        "    @field_validator('b', mode='before')\n    @classmethod\n"
        "    def strip(cls, v):\n        return v.strip()\n"
    )
    assert result.remaining == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "from pydantic import BaseModel, validator\nfrom mylib import field_validator\n\n\n"
            "class A(BaseModel):\n    a: str\n\n    @validator('a')\n    def f(cls, v):\n"
            "        return v\n",
            "field_validator is taken",
        ),
        (
            "from pydantic import BaseModel, validator\n\n\ndef classmethod(f):\n    return f\n\n\n"
            "class A(BaseModel):\n    a: str\n\n    @validator('a')\n    def f(cls, v):\n"
            "        return v\n",
            "classmethod is shadowed",
        ),
        (
            "from pydantic import BaseModel, validator\n\n\nclass A(BaseModel):\n    a: str\n\n"
            "    @validator('a', always=True)\n    def f(cls, v):\n        return v\n",
            "always=True",
        ),
        (
            "import functools\nfrom pydantic import BaseModel, validator\n\n\n"
            "class A(BaseModel):\n    a: str\n\n    @validator('a')\n    @functools.wraps(len)\n"
            "    def f(cls, v):\n        return v\n",
            "another decorator in the stack",
        ),
        (
            "from pydantic import validator\n\n\n@validator('a')\ndef f(cls, v):\n    return v\n",
            "not in a class",
        ),
    ],
)
def test_v1_validator_without_fix(text: str, why: str) -> None:
    findings = _findings("FBP308", text)
    assert findings and all(f.fixes == () for f in findings), why


def test_v1_validator_aliased_import_is_rewritten() -> None:
    text = (
        "from pydantic import BaseModel, validator as check\n\n\nclass A(BaseModel):\n"
        "    a: int\n\n    @check('a')\n    @classmethod\n    def f(cls, v):\n        return v\n"
    )
    assert _fix_first("FBP308", text) == (
        "from pydantic import BaseModel, validator as check, field_validator\n\n\n"
        "class A(BaseModel):\n    a: int\n\n    @field_validator('a')\n    @classmethod\n"
        "    def f(cls, v):\n        return v\n"
    )


def test_email_fix_keeps_a_trailing_comment_and_default() -> None:
    text = (
        "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n"
        "    email: 'str' = 'x'\n    owner_email: str = 'a@b.c'  # primary\n"
    )
    (finding,) = _findings("FBP301", text)
    assert finding.range.start.line == 5
    assert _fix_first("FBP301", text) == (
        "from pydantic import BaseModel, EmailStr\n\n\nclass A(BaseModel):\n"
        "    email: 'str' = 'x'\n    owner_email: EmailStr = 'a@b.c'  # primary\n"
    )


def test_settings_import_fix_inside_a_conditional_block() -> None:
    text = (
        "import sys\n\nif sys.version_info >= (3, 10):\n"
        "    from pydantic import BaseSettings, Field\n"
    )
    assert _fix_first("FBP307", text) == (
        "import sys\n\nif sys.version_info >= (3, 10):\n    from pydantic import Field\n"
        "    from pydantic_settings import BaseSettings\n"
    )


def test_validator_raise_fix_keeps_a_multiline_detail() -> None:
    text = (
        "from fastapi import HTTPException\nfrom pydantic import BaseModel, field_validator\n\n\n"
        "class A(BaseModel):\n    a: int\n\n    @field_validator('a')\n    @classmethod\n"
        "    def f(cls, v):\n        if v < 0:\n            raise HTTPException(\n"
        "                status_code=422,\n                detail=f'negative: {v}',\n"
        "            )\n        return v\n"
    )
    fixed = _fix_first("FBP310", text)
    assert fixed is not None
    assert "            raise ValueError(f'negative: {v}')\n        return v\n" in fixed


ODD_SHAPES = (
    "if True: from pydantic import BaseSettings, BaseModel\n",
    "from pydantic import BaseModel\nfrom pydantic import BaseSettings; import os\n",
    "from pydantic import BaseModel\nclass A(BaseModel):\n"
    "    class Config: orm_mode = True; extra = 'forbid'  # c\n",
    "from pydantic import BaseModel\nclass A(BaseModel):\n    class Config:\n        '''Doc.'''\n",
    "from pydantic import BaseModel, validator, root_validator\nclass A(BaseModel):\n"
    "    @validator\n    def f(cls, v): return v\n    @root_validator()\n"
    "    def g(cls, values): return values\n    @validator(*FIELDS, **opts)\n"
    "    def h(cls, v): return v\n",
    "import re\nfrom pydantic import BaseModel, Field, field_validator\nclass A(BaseModel):\n"
    "    s: str = Field()\n    @field_validator('s')\n    def f(cls, v):\n"
    "        if not re.match(r'\\d', v): raise ValueError()\n        return v",
    "from pydantic import BaseModel\ndef f():\n    class A(BaseModel):\n        email: str\n"
    "        class Config:\n            orm_mode = True\n    return A\n",
)


def _offered_fix_cases() -> list[object]:
    cases = [pytest.param(text, id=f"odd-{i}") for i, text in enumerate(ODD_SHAPES)]
    for code in PYDANTIC_CODES:
        rule = get_rule(code)
        assert rule is not None
        cases += [
            pytest.param(e.code, id=f"{code}-{i}") for i, e in enumerate(rule.invalid_examples)
        ]
    return cases


@pytest.mark.parametrize("text", _offered_fix_cases())
def test_every_offered_fix_builds_and_parses(text: str) -> None:
    path = Path("app/schemas.py")
    for finding in analyze(text, path, Settings(select=PYDANTIC_CODES)):
        for option in finding.fixes:
            edits = build_fix(text, finding, option.kind, path)
            assert edits, f"{finding.code} offered `{option.kind}` but built nothing"
            ast.parse(apply_edits(text, edits))


def test_regex_validator_with_a_compiled_module_pattern() -> None:
    text = (
        "import re\n\nfrom pydantic import BaseModel, Field, field_validator\n\n"
        "SKU = re.compile(r'^[A-Z]{3}\\d{3}$')\n\n\nclass A(BaseModel):\n"
        "    sku: str = Field(description='Stock keeping unit')\n\n"
        "    @field_validator('sku')\n    @classmethod\n    def ok(cls, v):\n"
        "        if not SKU.fullmatch(v):\n            raise ValueError('bad sku')\n"
        "        return v\n"
    )
    assert _fix_first("FBP303", text) == (
        "import re\n\nfrom pydantic import BaseModel, Field, field_validator\n\n"
        "SKU = re.compile(r'^[A-Z]{3}\\d{3}$')\n\n\nclass A(BaseModel):\n"
        "    sku: str = Field(description='Stock keeping unit', pattern=r'^[A-Z]{3}\\d{3}$')\n"
    )
