from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "sqlite:///./shop.db"
    inventory_service_url: str = "http://inventory.internal"
    jwt_secret: str = "change-me"


settings = Settings()
