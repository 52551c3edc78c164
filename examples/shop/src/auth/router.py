from fastapi import APIRouter, HTTPException
from passlib.context import CryptContext

from src.auth.schemas import LoginRequest, TokenResponse

router = APIRouter(prefix="/auth")
pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")
_USERS = {"alice": pwd_context.hash("wonderland")}


@router.post("/login", response_model=TokenResponse)
async def login(credentials: LoginRequest) -> TokenResponse:
    hashed = _USERS.get(credentials.username)
    if hashed is None or not pwd_context.verify(credentials.password, hashed):
        raise HTTPException(status_code=401, detail="Invalid credentials")
    return TokenResponse(access_token=f"token-for-{credentials.username}")


@router.post("/users")
async def create_user(credentials: LoginRequest):
    if credentials.username in _USERS:
        raise HTTPException(status_code=409, detail="Username taken")
    _USERS[credentials.username] = pwd_context.hash(credentials.password)
    return {"username": credentials.username}
