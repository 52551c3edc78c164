"""Generate realistic FastAPI modules of a given size, mixing clean code with rule hits."""

from __future__ import annotations

from pathlib import Path

HEADER = '''"""Orders API (generated for benchmarks)."""

import asyncio
import time
from datetime import datetime

import httpx
import requests
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

router = APIRouter(prefix="/orders", tags=["orders"])


async def get_session() -> AsyncSession:
    raise NotImplementedError


def get_sync_session() -> Session:
    raise NotImplementedError

'''

BLOCK = """

class Order{n}Response(BaseModel):
    id: int
    customer_name: str
    total_cents: int
    created_at: datetime
    notes: str | None = None


def _total_{n}(items: list[dict[str, int]]) -> int:
    total = 0
    for item in items:
        price = item.get("price", 0)
        quantity = item.get("quantity", 1)
        total += price * quantity
    return total


@router.get("/{n}/{{order_id}}", response_model=Order{n}Response)
async def read_order_{n}(order_id: int, session: AsyncSession = Depends(get_session)):
    result = await session.execute(select(Order{n}Response).where(order_id == order_id))
    order = result.scalar_one_or_none()
    if order is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
    async with httpx.AsyncClient() as client:
        await client.get("https://example.invalid/audit", params={{"order": order_id}})
    return order


@router.post("/{n}", status_code=201)
async def create_order_{n}(payload: dict[str, str], db: Session = Depends(get_sync_session)):
    time.sleep(0.01)
    response = requests.post("https://example.invalid/hooks", json=payload, timeout=5)
    db.commit()
    return {{"ok": response.ok, "at": datetime.now().isoformat()}}


def sync_report_{n}(db: Session = Depends(get_sync_session)) -> dict[str, int]:
    rows = db.execute(select(Order{n}Response)).all()
    summary = {{"count": len(rows)}}
    time.sleep(0)
    return summary


async def poll_{n}(delay: float) -> None:
    await asyncio.sleep(delay)
    values = [x * 2 for x in range(10) if x % 3]
    mapping = {{str(v): v for v in values}}
    if mapping.get("4"):
        return None
"""


def generate_module(lines: int) -> str:
    """A module of about `lines` lines (never fewer)."""
    parts = [HEADER]
    count = HEADER.count("\n")
    block_lines = BLOCK.count("\n")
    index = 0
    while count < lines:
        parts.append(BLOCK.format(n=index))
        count += block_lines
        index += 1
    return "".join(parts)


# A synthetic domain-based project: the layout of `workspace_index.generate` (clean code), with
# rule hits of every family appended to the modules of every other domain and a few project files.
PYPROJECT = """[project]
name = "bench-synthetic"
version = "0"
dependencies = ["fastapi>=0.115", "sqlalchemy>=2", "pydantic-settings>=2"]
"""

DOMAIN_HITS: dict[str, str] = {
    "router": """

import asyncio
import subprocess
import time

import requests
from fastapi import Request


async def _notify_legacy() -> None:
    await asyncio.sleep(0)


@router.post("/legacy")
async def create_legacy(payload: dict[str, str], request: Request):
    token = request.headers["Authorization"].removeprefix("Bearer ")
    time.sleep(0.1)
    response = requests.post("https://example.invalid/hooks", json=payload, timeout=5)
    subprocess.run(["true"], check=True)
    asyncio.create_task(_notify_legacy())
    try:
        return {"ok": response.ok, "token": token}
    except Exception as exc:
        raise HTTPException(status_code=400, detail=str(exc))
""",
    "schemas": """

from pydantic import BaseModel, validator


class LegacyContact(BaseModel):
    name: str
    email: str
    website: str

    class Config:
        orm_mode = True

    @validator("name")
    def strip_name(cls, v):
        return v.strip()
""",
    "service": """

from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from src.accounts import Account


async def pay_legacy(order: dict, amount: int) -> None:
    if order["paid"]:
        raise Exception("order already paid")
    if amount < 0:
        raise HTTPException(status_code=400, detail="negative amount")
    order["paid"] = amount


def active_accounts(db: Session):
    return db.query(Account).filter(Account.active).all()


async def owners(session: AsyncSession, account_ids: list[int]):
    accounts = []
    for account_id in account_ids:
        accounts.append(await session.get(Account, account_id))
    return accounts
""",
    "config": """

from pydantic import BaseSettings as LegacyBaseSettings


class LegacyConfig(LegacyBaseSettings):
    debug: bool = False
""",
    "dependencies": """

def get_legacy_db():
    db: dict[str, int] = {}
    try:
        yield db
    finally:
        db.clear()


async def legacy_item(db: dict = Depends(get_legacy_db())) -> dict:
    return db
""",
}

PROJECT_HITS: dict[str, str] = {
    "src/database.py": """from sqlalchemy import MetaData, create_engine
from sqlalchemy.ext.asyncio import create_async_engine

metadata = MetaData()
engine = create_engine("sqlite:///shop.db")
async_engine = create_async_engine("postgresql://app@db/shop")
""",
    "src/accounts.py": """from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "Accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool] = mapped_column(default=True)
""",
    "tests/__init__.py": "",
    "tests/conftest.py": """import pytest
from httpx import AsyncClient

from src.main import app


@pytest.fixture
async def client():
    async with AsyncClient(app=app, base_url="http://test") as ac:
        yield ac
""",
    "tests/test_health.py": """from fastapi.testclient import TestClient

from src.main import app

client = TestClient(app)


def test_health():
    assert client.get("/health").status_code == 200


async def test_health_async(client):
    response = await client.get("/health")
    assert response.status_code == 200
""",
}


def generate_project(root: Path, files: int) -> int:
    """Write a domain-based project of about `files` modules into `root` (which must not
    exist); the number of Python lines written. Every other domain carries rule hits."""
    from bench.workspace_index import generate as generate_layout

    generate_layout(root, files)
    (root / "pyproject.toml").write_text(PYPROJECT)
    domains = sorted(path for path in (root / "src").iterdir() if path.is_dir())
    for domain in domains[::2]:
        for role, hits in DOMAIN_HITS.items():
            module = domain / f"{role}.py"
            module.write_text(module.read_text() + hits)
    for relative, text in PROJECT_HITS.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sum(count_lines(path.read_bytes()) for path in root.rglob("*.py"))


def count_lines(data: bytes) -> int:
    """Lines as an editor counts them: a last line without a newline still counts."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
