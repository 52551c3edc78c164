from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "sqlite:///./shop.db"
    inventory_service_url: str = "http://inventory.internal"
    jwt_secret: str = "change-me"
    support_email: str = "support@shop.example"

    class Config:
        env_file = ".env"
        env_prefix = "SHOP_"


settings = Settings()
