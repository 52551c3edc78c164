"""What SQLAlchemy and SQLModel names mean: sessions, metadata, declarative bases, column types.

Every answer here is proven through imports, annotations or constructors, never guessed from
the spelling of a variable.
"""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext


def _names(modules: tuple[str, ...], names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f"{module}.{name}" for module in modules for name in names)


_SQLALCHEMY_TYPES = ("sqlalchemy", "sqlalchemy.types", "sqlalchemy.sql.sqltypes", "sqlmodel")

SYNC_SESSIONS = frozenset({"sqlalchemy.orm.Session", "sqlalchemy.orm.scoped_session"})
ASYNC_SESSION = "sqlalchemy.ext.asyncio.AsyncSession"
SESSIONS = SYNC_SESSIONS | {ASYNC_SESSION}

METADATA_CLASSES = _names(
    ("sqlalchemy", "sqlalchemy.schema", "sqlalchemy.sql.schema", "sqlmodel"), ("MetaData",)
)
DECLARATIVE_BASES = _names(("sqlalchemy.orm", "sqlalchemy.orm.decl_api"), ("DeclarativeBase",))
_DECLARATIVE_ANCESTORS = DECLARATIVE_BASES | _names(
    ("sqlalchemy.orm", "sqlalchemy.orm.decl_api"), ("DeclarativeBaseNoMeta",)
)
DECLARATIVE_FACTORIES = frozenset(
    {
        "sqlalchemy.orm.declarative_base",
        "sqlalchemy.orm.decl_api.declarative_base",
        "sqlalchemy.ext.declarative.declarative_base",
    }
)
_SQLMODEL = frozenset({"sqlmodel.SQLModel", "sqlmodel.main.SQLModel"})
SQLMODEL_FIELDS = frozenset({"sqlmodel.Field", "sqlmodel.main.Field"})

COLUMNS = _names(
    ("sqlalchemy", "sqlalchemy.schema", "sqlalchemy.sql.schema", "sqlmodel"), ("Column",)
)
MAPPED_COLUMNS = frozenset(
    {"sqlalchemy.orm.mapped_column", "sqlalchemy.orm._orm_constructors.mapped_column"}
)
MAPPED = frozenset({"sqlalchemy.orm.Mapped", "sqlalchemy.orm.base.Mapped"})

DATETIME_TYPES = _names(_SQLALCHEMY_TYPES, ("DateTime", "DATETIME", "TIMESTAMP")) | _names(
    ("sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.mysql"), ("TIMESTAMP", "DATETIME")
)
DATE_TYPES = _names(_SQLALCHEMY_TYPES, ("Date", "DATE"))
PY_DATETIME = "datetime.datetime"
PY_DATE = "datetime.date"


def orm_model_kind(cls: ast.ClassDef, ctx: FileContext) -> str | None:
    """`"sqlalchemy"` or `"sqlmodel"` when `cls` is a mapped model, else None.

    A model derives from a class that derives from `DeclarativeBase`, from the result of
    `declarative_base()`, or from `SQLModel` with `table=True`.
    """
    for base in cls.bases:
        name = ctx.qualname(base)
        if name is not None:
            if name in _DECLARATIVE_ANCESTORS:
                continue
            if ctx.resolver.is_subclass_of(name, _DECLARATIVE_ANCESTORS):
                return "sqlalchemy"
            if ctx.resolver.is_subclass_of(name, _SQLMODEL):
                if _is_table(cls):
                    return "sqlmodel"
                continue
        if isinstance(base, (ast.Name, ast.Attribute)) and (
            ctx.instance_type(base) in DECLARATIVE_FACTORIES
        ):
            return "sqlalchemy"
    return None


def _is_table(cls: ast.ClassDef) -> bool:
    return any(
        k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in cls.keywords
    )


def session_type(receiver: ast.expr, ctx: FileContext) -> str | None:
    """The SQLAlchemy session class `receiver` is proven to be, if any."""
    found = ctx.instance_type(receiver)
    return found if found in SESSIONS else None
