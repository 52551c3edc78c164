"""FBP105: a `BaseSettings` class defined in a domain module other than its config module."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.pydantic.models import ModelKind, model_kind
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.structure.placement import (
    EXAMPLE_PROJECT,
    FLAT_PROJECT,
    MisplacedClassRule,
)

_SETTINGS = (
    "from pydantic_settings import BaseSettings\n\n\n"
    "class PostSettings(BaseSettings):\n    page_size: int = 20\n"
)


@register
class MisplacedSettings(MisplacedClassRule):
    code = "FBP105"
    name = "misplaced-settings"
    severity = Severity.INFO
    summary = "A `BaseSettings` class is defined in a domain module other than `config.py`."
    why = (
        "Environment-driven settings are easiest to audit when each domain keeps them in its "
        "`config.py`. Settings declared next to business logic are read from the environment "
        "at import time of a module nobody expects to do so, and are hard to find when a "
        "deployment needs a new variable."
    )
    recommended = (
        "# src/posts/config.py\nfrom pydantic_settings import BaseSettings\n\n\n"
        "class PostSettings(BaseSettings):\n    page_size: int = 20\n\n\n"
        "post_settings = PostSettings()\n"
    )
    examples = (
        Invalid(
            "# src/posts/service.py\n" + _SETTINGS,
            line=5,
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(_SETTINGS, line=4, path="src/posts/settings.py", files=EXAMPLE_PROJECT),
        Invalid(
            "import pydantic_settings\n\n\nclass Base(pydantic_settings.BaseSettings):\n"
            "    debug: bool = False\n\n\nclass PostSettings(Base):\n    page_size: int = 20\n",
            line=4,
            count=2,
            path="src/posts/router.py",
            files=EXAMPLE_PROJECT,
        ),
        Valid(_SETTINGS, path="src/posts/config.py", files=EXAMPLE_PROJECT),
        Valid(_SETTINGS, path="src/config.py", files=EXAMPLE_PROJECT, note="the source root"),
        Valid(_SETTINGS, path="settings/base.py", files=FLAT_PROJECT, note="no domains"),
        Valid(
            "from pydantic import BaseModel\n\n\nclass Settings(BaseModel):\n    page_size: int\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="named like settings, but a plain model",
        ),
        Valid(
            "from pydantic.v1 import BaseSettings\n\n\nclass PostSettings(BaseSettings):\n"
            "    page_size: int = 20\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="pydantic.v1 is not recognised",
        ),
        Valid(_SETTINGS, path="src/posts/service.py", note="no project on disk"),
    )

    expected_role = "config"
    label = "Settings class"

    def is_kind(self, node: ast.ClassDef, ctx: FileContext) -> bool:
        return model_kind(ctx, node, ctx.scope) is ModelKind.SETTINGS
