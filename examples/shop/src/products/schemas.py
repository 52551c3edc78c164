from pydantic import BaseModel


class ProductCreate(BaseModel):
    name: str
    price_cents: int


class ProductResponse(BaseModel):
    id: int
    name: str
    price_cents: int
    in_stock: bool = True
