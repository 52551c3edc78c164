"""FBP102: a pydantic model defined in a domain module other than its schemas module."""

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

_MODEL = "from pydantic import BaseModel\n\n\nclass PostCreate(BaseModel):\n    title: str\n"


@register
class MisplacedSchema(MisplacedClassRule):
    code = "FBP102"
    name = "misplaced-schema"
    severity = Severity.INFO
    summary = "A pydantic model is defined in a domain module other than `schemas.py`."
    why = (
        "Request and response models describe a domain's API contract. Keeping them together "
        "in `schemas.py` lets readers find the whole contract in one place and keeps services "
        "and routers free of model definitions that other modules then import from odd places."
    )
    recommended = (
        "# src/posts/schemas.py\nfrom pydantic import BaseModel\n\n\n"
        "class PostCreate(BaseModel):\n    title: str\n"
    )
    examples = (
        Invalid(
            "# src/posts/service.py\n" + _MODEL,
            line=5,
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(
            "import pydantic\n\n\nclass Page(pydantic.RootModel[list[int]]):\n    pass\n",
            line=4,
            path="src/posts/router.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(
            "from sqlmodel import SQLModel\n\n\nclass PostRead(SQLModel):\n    title: str\n",
            line=4,
            path="src/posts/models.py",
            files=EXAMPLE_PROJECT,
            note="an SQLModel without `table=True` is a schema",
        ),
        Invalid(
            _MODEL + "\n\nclass PostUpdate(PostCreate):\n    body: str\n",
            count=2,
            path="src/posts/utils.py",
            files=EXAMPLE_PROJECT,
        ),
        Valid(_MODEL, path="src/posts/schemas.py", files=EXAMPLE_PROJECT),
        Valid(_MODEL, path="src/schemas.py", files=EXAMPLE_PROJECT, note="the source root"),
        Valid(_MODEL, path="schemas/posts.py", files=FLAT_PROJECT, note="no domains"),
        Valid(
            "from pydantic_settings import BaseSettings\n\n\n"
            "class PostSettings(BaseSettings):\n    page_size: int = 20\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="settings are FBP105's concern",
        ),
        Valid(
            "from sqlmodel import SQLModel\n\n\nclass Post(SQLModel, table=True):\n"
            "    id: int | None = None\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="an ORM table is FBP103's concern",
        ),
        Valid(
            "from dataclasses import dataclass\n\n\n"
            "@dataclass\nclass PostCreate:\n    title: str\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
        ),
        Valid(
            "from models import BaseModel\n\n\nclass PostCreate(BaseModel):\n    title: str\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="a `BaseModel` that is not pydantic's",
        ),
    )

    expected_role = "schemas"
    label = "Pydantic model"

    def is_kind(self, node: ast.ClassDef, ctx: FileContext) -> bool:
        return model_kind(ctx, node, ctx.scope) is ModelKind.MODEL
