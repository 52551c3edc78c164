import shutil
import subprocess
import time
from pathlib import Path

import requests
from fastapi import APIRouter, Depends, File, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from src.config import settings
from src.database import get_db
from src.products import service
from src.products.dependencies import pagination, valid_product_id
from src.products.models import Product
from src.products.schemas import ProductCreate, ProductResponse

router = APIRouter(prefix="/products", tags=["products"])
MEDIA_ROOT = Path("media")


@router.get("/", response_model=list[ProductResponse])
async def list_products(
    page: dict[str, int] = Depends(pagination()),
    db: Session = Depends(get_db),
):
    return db.scalars(select(Product).limit(page["limit"]).offset(page["offset"])).all()


@router.get("/{product_id}", response_model=ProductResponse)
async def get_product(product: Product = Depends(valid_product_id)):
    stock = requests.get(f"{settings.inventory_service_url}/stock/{product.id}", timeout=5)
    return ProductResponse(
        id=product.id,
        name=product.name,
        price_cents=product.price_cents,
        in_stock=stock.json()["available"] > 0,
    )


@router.post("/", response_model=ProductResponse, status_code=201)
async def create_product(data: ProductCreate, db: Session = Depends(get_db)):
    product = service.create_product(db, data)
    db.commit()
    return product


@router.post("/{product_id}/image", status_code=204)
async def upload_image(
    image: UploadFile = File(...),
    product: Product = Depends(valid_product_id),
) -> None:
    target = MEDIA_ROOT / f"{product.id}.png"
    with open(target, "wb") as out:
        shutil.copyfileobj(image.file, out)
    subprocess.run(["optipng", str(target)], check=False)


@router.post("/{product_id}/reindex", status_code=202)
async def reindex(product: Product = Depends(valid_product_id)) -> dict[str, int]:
    time.sleep(0.5)  # give the search cluster a moment
    return {"queued": product.id}
