from fastapi import Depends, HTTPException
from sqlalchemy.orm import Session

from src.database import get_db
from src.products.models import Product


def valid_product_id(product_id: int, db: Session = Depends(get_db)) -> Product:
    product = db.get(Product, product_id)
    if product is None:
        raise HTTPException(status_code=404, detail="Product not found")
    return product


def pagination(limit: int = 20, offset: int = 0) -> dict[str, int]:
    return {"limit": min(limit, 100), "offset": offset}
