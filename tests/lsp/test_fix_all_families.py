"""Fix-all across rule families: every safe fix is applied, never an unsafe one."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.fixes import fix_all

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import codes, open_document, wait_for_diagnostics
from tests.lsp.test_code_actions import FIX_ALL, apply, request_actions

MIXED = """import time

import requests
from fastapi import FastAPI, HTTPException
from httpx import AsyncClient

app = FastAPI()


@app.get("/items/{item_id}")
async def get_item(item_id: int) -> dict[str, int]:
    time.sleep(0.1)
    if item_id < 0:
        raise HTTPException(status_code=404)
    return {"id": item_id}


@app.post("/items")
async def create_item(name: str):
    requests.post("http://audit", json={"name": name}, timeout=1)
    return {"name": name}


def make_client() -> AsyncClient:
    return AsyncClient(app=app, base_url="http://test")
"""
FIXED = """import time

import requests
from fastapi import FastAPI, HTTPException
from httpx import AsyncClient
import asyncio
from fastapi import status
from httpx import ASGITransport

app = FastAPI()


@app.get("/items/{item_id}", responses={404: {"description": "Not Found"}})
async def get_item(item_id: int) -> dict[str, int]:
    await asyncio.sleep(0.1)
    if item_id < 0:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return {"id": item_id}


@app.post("/items")
async def create_item(name: str):
    requests.post("http://audit", json={"name": name}, timeout=1)
    return {"name": name}


def make_client() -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")
"""
SAFE = {"FBP201", "FBP504", "FBP704", "FBP802"}
LEFT = ["FBP706", "FBP703", "FBP705", "FBP202"]


async def test_fix_all_applies_only_safe_fixes(client: RecordingClient, project: Path) -> None:
    path = project / "app" / "main.py"
    uri = open_document(client, path, MIXED)
    before = codes(await wait_for_diagnostics(client, uri, version=1))
    assert SAFE | set(LEFT) <= set(before)

    (action,) = await request_actions(client, uri, [], only=["source.fixAll"])
    assert action.kind == FIX_ALL
    fixed = await apply(client, uri, MIXED, action, 2)
    assert fixed == FIXED
    # The server's fix-all is the engine's, with the project's settings.
    assert fixed == fix_all(MIXED, path, Settings(root=project)).text

    after = codes(await wait_for_diagnostics(client, uri, version=2))
    assert not SAFE & set(after)
    # Unsafe fixes (FBP705's status code, FBP202's threadpool, FBP703's annotation) wait for
    # an explicit request; FBP706 has no fix at all.
    assert [code for code in after if code in LEFT] == LEFT
