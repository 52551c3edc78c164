"""FBP601-FBP608 beyond their examples: fixes against every rule, workspace facts, edge cases."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi_practices.config import Settings
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.rules.database.async_driver import async_replacement

from tests.rules.helpers import findings_of, workspace_with


# ----- FBP601 ---------------------------------------------------------------------------------
def test_naming_convention_fix_all_inserts_one_constant() -> None:
    text = (
        "from sqlalchemy import MetaData\nfrom sqlalchemy.orm import DeclarativeBase\n\n"
        "audit = MetaData(schema='audit')\n\n\nclass Base(DeclarativeBase):\n    pass\n"
    )
    result = fix_all(text, Path("app/db.py"), Settings(select=("FBP601",)))
    assert result.remaining == []
    assert result.applied == 2
    assert result.text.count("NAMING_CONVENTION = {") == 1
    assert "audit = MetaData(schema='audit', naming_convention=NAMING_CONVENTION)" in result.text
    assert "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\n" in result.text
    tree = ast.parse(result.text)
    constant = next(s for s in tree.body if isinstance(s, ast.Assign))
    assert isinstance(constant.value, ast.Dict)
    keys = [k.value for k in constant.value.keys if isinstance(k, ast.Constant)]
    assert keys == ["ix", "uq", "ck", "fk", "pk"]


def test_naming_convention_picks_a_free_name_and_skips_taken_ones() -> None:
    text = (
        "from sqlalchemy import MetaData\n\nfrom app.settings import NAMING_CONVENTION\n\n"
        "metadata = MetaData()\n"
    )
    (finding,) = findings_of("FBP601", text)
    edits = build_fix(text, finding, path=Path("app/main.py"))
    assert edits is not None
    fixed = apply_edits(text, edits)
    assert "DB_NAMING_CONVENTION = {" in fixed
    assert "MetaData(naming_convention=DB_NAMING_CONVENTION)" in fixed


def test_naming_convention_ignores_a_dict_defined_after_its_use() -> None:
    text = (
        "from sqlalchemy import MetaData\n\nmetadata = MetaData()\n"
        "NAMING_CONVENTION = {'pk': 'pk_%(table_name)s'}\n"
    )
    (finding,) = findings_of("FBP601", text)
    edits = build_fix(text, finding, path=Path("app/main.py"))
    assert edits is not None
    fixed = apply_edits(text, edits)
    assert "MetaData(naming_convention=DB_NAMING_CONVENTION)" in fixed
    ast.parse(fixed)


def test_naming_convention_no_fix_when_metadata_name_is_taken() -> None:
    text = (
        "from sqlalchemy.orm import DeclarativeBase\n\nfrom app.schema import MetaData\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n"
    )
    (finding,) = findings_of("FBP601", text)
    assert build_fix(text, finding, path=Path("app/main.py")) is None


def test_naming_convention_class_keeps_windows_line_endings() -> None:
    text = (
        "from sqlalchemy.orm import DeclarativeBase\r\n\r\n\r\n"
        "class Base(DeclarativeBase):\r\n    x = 1\r\n"
    )
    result = fix_all(text, Path("app/db.py"), Settings(select=("FBP601",)))
    assert result.applied == 1
    assert "\n" not in result.text.replace("\r\n", "")
    assert "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\r\n    x = 1\r\n" in (
        result.text
    )


# ----- FBP603 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", ("postgresql", "postgresql+asyncpg")),
        ("postgresql+pg8000://u@h/db", ("postgresql+pg8000", "postgresql+asyncpg")),
        ("postgres://u@h/db", ("postgres", "postgresql+asyncpg")),
        ("sqlite+pysqlite:///x.db", ("sqlite+pysqlite", "sqlite+aiosqlite")),
        ("mysql://u@h/db", ("mysql", "mysql+aiomysql")),
        ("postgresql+asyncpg://u@h/db", None),
        ("sqlite+aiosqlite://", None),
        ("mysql+asyncmy://u@h/db", None),
        ("oracle+oracledb://u@h/db", None),
        ("not a url", None),
    ],
)
def test_async_driver_table(url: str, expected: tuple[str, str] | None) -> None:
    assert async_replacement(url) == expected


def test_async_driver_fix_is_offered_only_for_a_plain_literal() -> None:
    text = (
        "from sqlalchemy.ext.asyncio import create_async_engine\n\nhost = 'db'\n"
        "a = create_async_engine('sqlite:///a.db')\n"
        "b = create_async_engine(f'sqlite:///{host}.db')\n"
    )
    first, second = findings_of("FBP603", text)
    assert [f.fixes != () for f in (first, second)] == [True, False]
    result = fix_all(text, Path("app/main.py"), Settings(select=("FBP603",)), unsafe=True)
    assert "a = create_async_engine('sqlite+aiosqlite:///a.db')" in result.text
    assert [f.range.start.line for f in result.remaining] == [4]
    safe_only = fix_all(text, Path("app/main.py"), Settings(select=("FBP603",)))
    assert safe_only.applied == 0


# ----- FBP604 ---------------------------------------------------------------------------------
DATABASE = (
    "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n"
)
LEGACY_DATABASE = "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n"
MODELS = (
    "from datetime import datetime\n\nfrom sqlalchemy.orm import Mapped\n\n"
    "from app.database import Base\n\n\nclass Order(Base):\n    __tablename__ = 'Orders'\n"
    "    created: Mapped[datetime]\n"
)


@pytest.mark.parametrize("database", [DATABASE, LEGACY_DATABASE], ids=["class", "factory"])
def test_table_naming_base_from_another_module(tmp_path: Path, database: str) -> None:
    workspace = workspace_with(tmp_path, {"app/__init__.py": "", "app/database.py": database})
    models = str(tmp_path / "app" / "models.py")
    found = findings_of("FBP604", MODELS, models, workspace=workspace)
    assert [f.range.start.line + 1 for f in found] == [9, 10]
    assert findings_of("FBP604", MODELS, models) == []


def test_table_naming_subclass_of_a_model_in_the_same_file() -> None:
    text = DATABASE + (
        "\n\nclass Person(Base):\n    __tablename__ = 'person'\n\n\n"
        "class Employee(Person):\n    __tablename__ = 'Employee'\n"
    )
    (finding,) = findings_of("FBP604", text)
    assert finding.range.start.line + 1 == 13


# ----- FBP605 ---------------------------------------------------------------------------------
def test_legacy_query_through_a_workspace_dependency(tmp_path: Path) -> None:
    workspace = workspace_with(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()"
            "\n\n\ndef get_db():\n    with SessionLocal() as db:\n        yield db\n",
        },
    )
    text = (
        "from fastapi import Depends\n\nfrom app.db import get_db\n\n\n"
        "def names(db=Depends(get_db)):\n    return db.query('x').all()\n"
    )
    main = str(tmp_path / "app" / "main.py")
    (finding,) = findings_of("FBP605", text, main, workspace=workspace)
    assert finding.range.start.line + 1 == 7
    assert findings_of("FBP605", text, main) == []


def test_legacy_query_on_async_session_explains_it_is_missing() -> None:
    text = (
        "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
        "async def names(db: AsyncSession):\n    return db.query('x')\n"
    )
    (finding,) = findings_of("FBP605", text)
    assert "AsyncSession" in finding.message


# ----- FBP607 ---------------------------------------------------------------------------------
def test_irreversible_migration_async_downgrade_and_alembic_op_module() -> None:
    text = "import alembic.op\n\n\ndef upgrade():\n    alembic.op.drop_table('x')\n\n\n"
    assert [f.range.start.line for f in findings_of("FBP607", text + "def downgrade():\n    ...\n")]
    assert (
        findings_of("FBP607", text + "def downgrade():\n    alembic.op.create_table('x')\n") == []
    )
    no_alembic = "revision = 'a'\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
    assert findings_of("FBP607", no_alembic) == []


# ----- FBP608 ---------------------------------------------------------------------------------
LOOPS = (
    "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
    "async def run(session: AsyncSession, ids: list[int], q):\n"
    "    while await session.scalar(q):\n        pass\n"
    "    for i in ids:\n        pass\n    else:\n        await session.execute(q)\n"
    "    for i in ids:\n        session.get(q, i)\n"
    "    rows = [x async for x in await session.stream(q)]\n"
    "    return [y for x in ids for y in await session.scalars(q)]\n"
)


def test_query_in_loop_only_counts_repeated_parts() -> None:
    """A `while` test, `for ... else` and an un-awaited async call are not reported; the
    iterable of an inner comprehension runs once per outer item and is."""
    found = findings_of("FBP608", LOOPS)
    assert [f.range.start.line + 1 for f in found] == [14]


def test_query_in_loop_reports_each_call_in_nested_loops() -> None:
    text = (
        "from sqlalchemy.orm import Session\n\n\ndef run(db: Session, groups, q):\n"
        "    for group in groups:\n        for item in group:\n            db.execute(q)\n"
        "        db.scalars(q)\n"
    )
    assert [f.range.start.line + 1 for f in findings_of("FBP608", text)] == [7, 8]


def test_naming_convention_no_fix_under_a_star_import() -> None:
    text = "from sqlalchemy import MetaData\nfrom app.constants import *\n\nmetadata = MetaData()\n"
    (finding,) = findings_of("FBP601", text)
    assert build_fix(text, finding, path=Path("app/main.py")) is None
