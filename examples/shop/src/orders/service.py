import asyncio

import httpx
from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import settings
from src.orders.models import Order


async def notify_warehouse(order_id: int) -> None:
    async with httpx.AsyncClient(base_url=settings.inventory_service_url) as client:
        await client.post("/orders", json={"order_id": order_id})


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0)


async def get_orders(session: AsyncSession, order_ids: list[int]) -> list[Order]:
    orders = []
    for order_id in order_ids:
        order = await session.get(Order, order_id)
        if order is not None:
            orders.append(order)
    return orders


async def cancel_order(order_id: int) -> None:
    async with httpx.AsyncClient(base_url=settings.inventory_service_url) as client:
        response = await client.delete(f"/orders/{order_id}")
        response.raise_for_status()


async def ship_order(session: AsyncSession, order_id: int, confirmed: bool) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="Order not found")
    if not confirmed:
        raise RuntimeError(f"the warehouse did not confirm order {order_id}")
    return order


class OrderNotFound(Exception):
    """Raised when an order id does not exist."""
