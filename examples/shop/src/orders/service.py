import asyncio

import httpx

from src.config import settings


async def notify_warehouse(order_id: int) -> None:
    async with httpx.AsyncClient(base_url=settings.inventory_service_url) as client:
        await client.post("/orders", json={"order_id": order_id})


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0)
