from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, func
from sqlalchemy.orm import Mapped, mapped_column

from src.database import Base


class Order(Base):
    __tablename__ = "CustomerOrder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    placed: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
