from fastapi import FastAPI

from src.auth.router import router as auth_router
from src.orders.router import router as orders_router
from src.products.router import router as products_router

app = FastAPI(title="Shop")
app.include_router(products_router)
app.include_router(orders_router)
app.include_router(auth_router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
