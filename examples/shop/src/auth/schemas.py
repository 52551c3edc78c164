import re

from pydantic import BaseModel, field_validator


class LoginRequest(BaseModel):
    username: str
    password: str

    @field_validator("username")
    @classmethod
    def username_format(cls, v: str) -> str:
        if not re.match(r"^[a-z0-9_]{3,32}$", v):
            raise ValueError("usernames use 3-32 lowercase letters, digits or underscores")
        return v


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class UserProfile(BaseModel):
    username: str
    email: str
    avatar_url: str | None = None

    class Config:
        orm_mode = True
