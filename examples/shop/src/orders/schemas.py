from pydantic import BaseModel, field_validator


class OrderCreate(BaseModel):
    product_id: int
    quantity: int
    currency: str = "EUR"

    @field_validator("currency")
    @classmethod
    def supported_currency(cls, v: str) -> str:
        if v not in {"EUR", "USD", "GBP"}:
            raise ValueError("unsupported currency")
        return v


class OrderResponse(BaseModel):
    id: int
    product_id: int
    quantity: int
    currency: str = "EUR"
