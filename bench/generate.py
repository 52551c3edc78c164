"""Generate realistic FastAPI modules of a given size, mixing clean code with rule hits."""

from __future__ import annotations

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
