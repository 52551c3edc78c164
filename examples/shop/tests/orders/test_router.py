from fastapi.testclient import TestClient
from httpx import AsyncClient

from src.main import app

sync_client = TestClient(app)


def test_missing_order_is_404() -> None:
    response = sync_client.get("/orders/999")
    assert response.status_code == 404


async def test_create_order(client: AsyncClient) -> None:
    response = await client.post("/orders/", json={"product_id": 1, "quantity": 2})
    assert response.status_code == 201
    assert response.json()["quantity"] == 2
