import asyncio

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request, status

from src.orders import service
from src.orders.schemas import OrderCreate, OrderResponse

router = APIRouter(prefix="/orders", tags=["orders"])
_ORDERS: dict[int, OrderResponse] = {}


@router.post("/", response_model=OrderResponse, status_code=status.HTTP_201_CREATED)
async def create_order(data: OrderCreate, background_tasks: BackgroundTasks) -> OrderResponse:
    order = OrderResponse(id=len(_ORDERS) + 1, product_id=data.product_id, quantity=data.quantity)
    _ORDERS[order.id] = order
    background_tasks.add_task(service.send_receipt, order.id)
    asyncio.create_task(service.notify_warehouse(order.id))
    return order


@router.get("/{order_id}", response_model=OrderResponse)
async def get_order(order_id: int) -> OrderResponse:
    order = _ORDERS.get(order_id)
    if order is None:
        raise HTTPException(404, detail="Order not found")
    return order


@router.delete("/{order_id}", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_order(order_id: int, request: Request) -> None:
    if not request.headers.get("Authorization"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Not authenticated")
    try:
        await service.cancel_order(order_id)
    except Exception:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail="Warehouse unavailable")
