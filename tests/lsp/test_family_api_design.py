"""API-design rules through the server: diagnostics, their quick fixes, and what is left after."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import codes, open_document, wait_for_diagnostics
from tests.lsp.test_code_actions import apply, request_actions

POSTS = (
    "from fastapi import APIRouter, HTTPException, status\n\n"
    'router = APIRouter(prefix="/posts")\n\n\n'
    '@router.get("/{post_id}")\n'
    "async def get_post(post_id: int) -> dict[str, int]:\n"
    "    if post_id < 1:\n"
    "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
    '    return {"id": post_id}\n\n\n'
    '@router.post("/")\n'
    "async def create_post(title: str) -> dict[str, str]:\n"
    '    return {"title": title}\n'
)
DOCUMENTED = POSTS.replace(
    '@router.get("/{post_id}")',
    '@router.get("/{post_id}", responses={404: {"description": "Not Found"}})',
)
TAGGED = DOCUMENTED.replace(
    'APIRouter(prefix="/posts")', 'APIRouter(prefix="/posts", tags=["posts"])'
)
CREATED = TAGGED.replace(
    '@router.post("/")', '@router.post("/", status_code=status.HTTP_201_CREATED)'
)


def _one(diagnostics: Sequence[types.Diagnostic], code: str) -> types.Diagnostic:
    (found,) = [d for d in diagnostics if d.code == code]
    return found


def _without(diagnostics: Sequence[types.Diagnostic], code: str) -> Counter[str]:
    remaining = Counter(codes(diagnostics))
    remaining[code] -= 1
    return +remaining


async def _fix(
    client: RecordingClient,
    uri: str,
    text: str,
    diagnostics: Sequence[types.Diagnostic],
    code: str,
    title: str,
    version: int,
) -> tuple[str, Sequence[types.Diagnostic]]:
    target = _one(diagnostics, code)
    actions = await request_actions(client, uri, [target], only=["quickfix"])
    (action,) = [a for a in actions if a.title == title]
    assert action.diagnostics is not None and codes(action.diagnostics) == [code]
    new_text = await apply(client, uri, text, action, version)
    after = await wait_for_diagnostics(client, uri, version=version)
    assert Counter(codes(after)) == _without(diagnostics, code)
    return new_text, after


async def test_api_design_quick_fixes(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "src" / "posts" / "router.py", POSTS)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    for code in ("FBP702", "FBP704", "FBP705"):
        assert code in codes(diagnostics)
    assert _one(diagnostics, "FBP704").range.start == types.Position(line=6, character=0)
    assert _one(diagnostics, "FBP702").range.start == types.Position(line=2, character=9)

    text, diagnostics = await _fix(
        client,
        uri,
        POSTS,
        diagnostics,
        "FBP704",
        "Document the raised status codes in `responses=`",
        2,
    )
    assert text == DOCUMENTED

    text, diagnostics = await _fix(
        client, uri, text, diagnostics, "FBP702", "Add the domain's `tags=`", 3
    )
    assert text == TAGGED

    # An unsafe fix is still offered on explicit request, one finding at a time.
    text, diagnostics = await _fix(
        client,
        uri,
        text,
        diagnostics,
        "FBP705",
        "Answer `201 Created` (`status_code=status.HTTP_201_CREATED`)",
        4,
    )
    assert text == CREATED
