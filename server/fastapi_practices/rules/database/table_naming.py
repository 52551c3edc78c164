"""FBP604: table and time-column names that break the project's naming conventions."""

from __future__ import annotations

import ast
import re

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.database.orm import (
    COLUMNS,
    DATE_TYPES,
    DATETIME_TYPES,
    MAPPED,
    MAPPED_COLUMNS,
    PY_DATE,
    PY_DATETIME,
    SQLMODEL_FIELDS,
    orm_model_kind,
)
from fastapi_practices.rules.registry import register

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_DATETIME, _DATE = "DateTime", "Date"
_SUFFIX = {_DATETIME: "_at", _DATE: "_date"}

_SA = (
    "from datetime import date, datetime\n\n"
    "from sqlalchemy import Date, DateTime, String\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
    "class Base(DeclarativeBase):\n    pass\n\n\n"
)


@register
class TableNaming(Rule):
    code = "FBP604"
    name = "table-naming"
    severity = Severity.INFO
    summary = (
        "A model's table name is not lower_snake_case, or a date/time column lacks its suffix."
    )
    why = (
        "Names that follow one rule can be guessed: in SQL, in migrations and in code. "
        'Table names in lower_snake_case never need quoting in PostgreSQL (`"UserOrders"` '
        "does), and a `_at` suffix for `DateTime` columns (`created_at`) and `_date` for `Date` "
        "columns (`birth_date`) tells the reader the type and whether a time zone is involved "
        "without opening the model."
    )
    recommended = (
        _SA + "class Order(Base):\n    __tablename__ = 'order'\n\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    created_at: Mapped[datetime]\n    delivery_date: Mapped[date]\n"
    )
    examples = (
        Invalid(
            _SA + "class UserOrder(Base):\n    __tablename__ = 'UserOrders'\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n",
            line=12,
        ),
        Invalid(
            _SA + "class Order(Base):\n    __tablename__ = 'order'\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    created: Mapped[datetime]\n    shipped: Mapped[datetime | None] = "
            "mapped_column(DateTime(timezone=True))\n    delivery: Mapped[date]\n",
            line=14,
            count=3,
            note="`Mapped[...]` annotations and explicit column types",
        ),
        Invalid(
            "from sqlalchemy import Column, Date, DateTime, Integer\n"
            "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\n\n"
            "class Person(Base):\n    __tablename__ = 'person'\n"
            "    id = Column(Integer, primary_key=True)\n    born = Column(Date)\n"
            "    updated = Column('updated', DateTime)\n",
            line=10,
            count=2,
            note="classic `Column(...)` on a `declarative_base()` class",
        ),
        Invalid(
            "from datetime import datetime\nfrom typing import Optional\n\n"
            "from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n"
            "    id: Optional[int] = Field(default=None, primary_key=True)\n"
            "    last_seen: Optional[datetime] = None\n",
            line=9,
        ),
        Invalid(
            _SA + "class Event(Base):\n    __tablename__ = 'event'\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    happened_at: Mapped[datetime] = mapped_column(Date)\n",
            line=14,
            note="the explicit column type wins over the annotation",
        ),
        Valid(
            _SA + "class Order(Base):\n    __tablename__ = 'order_item'\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    created_at: Mapped[datetime]\n    delivery_date: Mapped[date]\n"
            "    note: Mapped[str] = mapped_column(String(200))\n"
        ),
        Valid(
            "from sqlalchemy import Column, DateTime\n\n\nclass Audit:\n"
            "    __tablename__ = 'AuditLog'\n    created = Column(DateTime)\n",
            note="not a mapped model",
        ),
        Valid(
            "from datetime import datetime\n\nfrom pydantic import BaseModel\n\n\n"
            "class OrderOut(BaseModel):\n    created: datetime\n",
            note="a pydantic schema, not a table",
        ),
        Valid(
            "from datetime import datetime\n\nfrom sqlmodel import SQLModel\n\n\n"
            "class HeroRead(SQLModel):\n    last_seen: datetime\n",
            note="a SQLModel without `table=True`",
        ),
        Valid(
            _SA + "class Order(Base):\n    __tablename__ = 'order'\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    created: Mapped[datetime] = mapped_column('created_at')\n"
            "    ordered_on: Mapped[str] = mapped_column(String(10))\n",
            note="the column's own name is checked; a text column",
        ),
        Valid(
            "from app.db import Base\nfrom sqlalchemy import Column, DateTime\n\n\n"
            "class Order(Base):\n    __tablename__ = 'Order'\n    created = Column(DateTime)\n",
            note="a base that cannot be seen is not proof",
        ),
    )

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not node.bases or orm_model_kind(node, ctx) is None:
            return
        for statement in node.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                self._check_statement(statement, ctx)

    def _check_statement(self, statement: ast.Assign | ast.AnnAssign, ctx: FileContext) -> None:
        if isinstance(statement, ast.Assign):
            if len(statement.targets) != 1:
                return
            target, annotation = statement.targets[0], None
        else:
            target, annotation = statement.target, statement.annotation
        if not isinstance(target, ast.Name):
            return
        value = statement.value
        if target.id == "__tablename__":
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and not _SNAKE.fullmatch(value.value)
            ):
                ctx.report(self, statement, f"Table name `{value.value}` is not lower_snake_case")
            return
        if target.id.startswith("__"):
            return
        kind, column_name = _column_kind(annotation, value, target.id, ctx)
        if kind is None or column_name.endswith(_SUFFIX[kind]):
            return
        ctx.report(
            self,
            target,
            f"`{column_name}` is a `{kind}` column; end its name with `{_SUFFIX[kind]}`",
        )


def _column_kind(
    annotation: ast.expr | None, value: ast.expr | None, name: str, ctx: FileContext
) -> tuple[str | None, str]:
    """The column's kind (DateTime / Date / None) and the name it has in the table."""
    call_name = ctx.qualname(value.func) if isinstance(value, ast.Call) else None
    if isinstance(value, ast.Call) and call_name in COLUMNS | MAPPED_COLUMNS:
        name = _explicit_name(value) or name
        explicit = _explicit_type(value, ctx)
        if explicit is not None:
            return _type_kind(explicit), name
        if call_name in COLUMNS:
            return None, name
    elif isinstance(value, ast.Call) and call_name in SQLMODEL_FIELDS:
        if any(k.arg in ("sa_column", "sa_type") for k in value.keywords):
            return None, name
    elif value is not None and not isinstance(value, ast.Constant):
        return None, name
    if annotation is None:
        return None, name
    return _annotation_kind(annotation, ctx), name


def _annotation_kind(annotation: ast.expr, ctx: FileContext) -> str | None:
    if isinstance(annotation, ast.Subscript) and ctx.qualname(annotation.value) in MAPPED:
        annotation = annotation.slice
    found = ctx.resolver.annotation_type(annotation, ctx.scope)
    if found == PY_DATETIME:
        return _DATETIME
    if found == PY_DATE:
        return _DATE
    return None


def _explicit_name(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    for keyword in call.keywords:
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value if isinstance(keyword.value.value, str) else None
    return None


def _explicit_type(call: ast.Call, ctx: FileContext) -> str | None:
    """Qualified name of the column type given to `Column(...)`/`mapped_column(...)`."""
    candidates = [a for a in call.args if not isinstance(a, ast.Constant)][:1]
    candidates += [k.value for k in call.keywords if k.arg in ("type_", "sa_type")]
    for candidate in candidates:
        expr = candidate.func if isinstance(candidate, ast.Call) else candidate
        if isinstance(expr, (ast.Name, ast.Attribute)):
            return ctx.qualname(expr) or ""
        return ""
    return None


def _type_kind(type_name: str) -> str | None:
    if type_name in DATETIME_TYPES:
        return _DATETIME
    if type_name in DATE_TYPES:
        return _DATE
    return None
