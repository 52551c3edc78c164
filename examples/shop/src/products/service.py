from sqlalchemy import select
from sqlalchemy.orm import Session

from src.products.models import Product
from src.products.schemas import ProductCreate


def list_products(db: Session, limit: int, offset: int) -> list[Product]:
    return list(db.scalars(select(Product).limit(limit).offset(offset)))


def count_products(db: Session) -> int:
    return db.query(Product).count()


def create_product(db: Session, data: ProductCreate) -> Product:
    product = Product(name=data.name, price_cents=data.price_cents, image_path="")
    db.add(product)
    db.commit()
    db.refresh(product)
    return product
