"""Seed §4 and §5 in an editor: FBP402, FBP404 and FBP505 land on the ranges the contract names."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import (
    codes,
    open_document,
    position_of,
    replace_document,
    units,
    wait_for_diagnostics,
)

ROUTER = (
    "from fastapi import APIRouter, HTTPException, Request, status\n\n"
    "from app.orders import service\n\n"
    'router = APIRouter(prefix="/orders", tags=["orders"])\n\n\n'
    '@router.get("/{order_id}", responses={404: {}})\n'
    "async def get_order(order_id: int, request: Request) -> dict:\n"
    '    note = "commande — 😀"; token = request.headers["Authorization"]\n'
    "    try:\n        order = await service.get(order_id, token)\n"
    "    except Exception:  # à revoir\n        raise HTTPException(status.HTTP_502_BAD_GATEWAY)\n"
    "    if order is None:\n"
    "        raise HTTPException(status.HTTP_404_NOT_FOUND)\n"
    "    return {'order': order, 'note': note}\n"
)


def _range(text: str, needle: str, encoding: str) -> types.Range:
    start = position_of(text, needle, encoding)
    end = types.Position(start.line, start.character + units(needle, encoding))
    return types.Range(start=start, end=end)


async def test_dependency_and_error_ranges(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "orders" / "router.py", ROUTER)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    by_code = {str(d.code): d for d in diagnostics if str(d.code) in {"FBP402", "FBP404", "FBP505"}}
    assert sorted(by_code) == ["FBP402", "FBP404", "FBP505"]
    encoding = client.encoding

    assert by_code["FBP402"].range == _range(ROUTER, "async def get_order", encoding)
    assert by_code["FBP404"].range == _range(ROUTER, 'request.headers["Authorization"]', encoding)
    assert by_code["FBP505"].range == _range(ROUTER, "except Exception", encoding)
    assert all(d.severity == types.DiagnosticSeverity.Information for d in by_code.values())
    assert "valid_order_id" in by_code["FBP402"].message

    moved = ROUTER.replace("except Exception:", "except service.Unavailable:")
    replace_document(client, uri, 2, moved)
    after = codes(await wait_for_diagnostics(client, uri, version=2))
    assert "FBP505" not in after and {"FBP402", "FBP404"} <= set(after)
