from fastapi import HTTPException
from pydantic import BaseModel, validator


class ProductCreate(BaseModel):
    name: str
    price_cents: int

    @validator("price_cents")
    def positive_price(cls, v):
        if v <= 0:
            raise HTTPException(status_code=400, detail="price must be positive")
        return v


class ProductResponse(BaseModel):
    id: int
    name: str
    price_cents: int
    in_stock: bool = True

    class Config:
        orm_mode = True
