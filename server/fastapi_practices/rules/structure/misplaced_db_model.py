"""FBP103: an ORM model defined in a domain module other than its models module."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.database.orm import orm_model_kind
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.structure.placement import (
    EXAMPLE_PROJECT,
    FLAT_PROJECT,
    MisplacedClassRule,
    declares_table_name,
)

_BASE = "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n"
_MODEL = _BASE + "\n\nclass Post(Base):\n    __tablename__ = 'post'\n"
_SQLMODEL = (
    "from sqlmodel import Field, SQLModel\n\n\nclass Post(SQLModel, table=True):\n"
    "    id: int | None = Field(default=None, primary_key=True)\n"
)


@register
class MisplacedDbModel(MisplacedClassRule):
    code = "FBP103"
    name = "misplaced-db-model"
    severity = Severity.INFO
    summary = "An ORM model is defined in a domain module other than `models.py`."
    why = (
        "Database tables of a domain belong in its `models.py`: migrations, reviewers and "
        "other domains then know where the schema of the data lives. A table declared inside "
        "a service or router is easy to overlook when the database changes."
    )
    recommended = (
        "# src/posts/models.py\nfrom sqlalchemy.orm import Mapped, mapped_column\n\n"
        "from src.database import Base\n\n\nclass Post(Base):\n    __tablename__ = 'post'\n\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    examples = (
        Invalid(
            "# src/posts/service.py\n" + _MODEL,
            line=9,
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(_SQLMODEL, line=4, path="src/posts/router.py", files=EXAMPLE_PROJECT),
        Invalid(
            "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base"
            "\n\nBase = declarative_base()\n\n\nclass Post(Base):\n    __tablename__ = 'post'\n"
            "    id = Column(Integer, primary_key=True)\n",
            line=7,
            path="src/posts/schemas.py",
            files=EXAMPLE_PROJECT,
        ),
        Valid(_MODEL, path="src/posts/models.py", files=EXAMPLE_PROJECT),
        Valid(_MODEL, path="src/models.py", files=EXAMPLE_PROJECT, note="the source root"),
        Valid(_MODEL, path="db/tables.py", files=FLAT_PROJECT, note="no domains"),
        Valid(_BASE, path="src/posts/service.py", files=EXAMPLE_PROJECT, note="the base itself"),
        Valid(
            _BASE + "\n\nclass Timestamped(Base):\n    __abstract__ = True\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="an abstract class without `__tablename__`",
        ),
        Valid(
            "from sqlmodel import SQLModel\n\n\nclass PostRead(SQLModel):\n    title: str\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="no `table=True`: a schema, not a table",
        ),
    )

    expected_role = "models"
    label = "ORM model"

    def is_kind(self, node: ast.ClassDef, ctx: FileContext) -> bool:
        kind = orm_model_kind(node, ctx)
        return kind is not None and (kind != "sqlalchemy" or declares_table_name(node))
