"""Seed §3 through a real server: a pydantic v1 pattern is reported, its quick fix applies
in each client's position encoding, and the diagnostic goes away."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import codes, open_document, wait_for_diagnostics
from tests.lsp.test_code_actions import apply, request_actions

V1_CONFIG = (
    "from pydantic import BaseModel\n\n\nclass ProductResponse(BaseModel):\n"
    "    id: int\n    name: str  # nom du café ☕\n\n"
    "    class Config:\n        orm_mode = True  # lecture ORM 😀\n"
)
V2_CONFIG = (
    "from pydantic import BaseModel, ConfigDict\n\n\nclass ProductResponse(BaseModel):\n"
    "    id: int\n    name: str  # nom du café ☕\n\n"
    "    model_config = ConfigDict(\n        from_attributes=True,  # lecture ORM 😀\n    )\n"
)
V1_VALIDATOR = (
    "from pydantic import BaseModel, validator\n\n\nclass UserCreate(BaseModel):\n"
    "    name: str\n\n    @validator('name', pre=True)\n    def strip_name(cls, v):\n"
    "        return v.strip()\n"
)
V2_VALIDATOR = (
    "from pydantic import BaseModel, validator, field_validator\n\n\n"
    "class UserCreate(BaseModel):\n    name: str\n\n"
    "    @field_validator('name', mode='before')\n    @classmethod\n"
    "    def strip_name(cls, v):\n        return v.strip()\n"
)


def _only(diagnostics: Sequence[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


async def _fix_one(
    client: RecordingClient, path: Path, before: str, code: str, title: str
) -> tuple[str, Sequence[types.Diagnostic], Sequence[types.Diagnostic]]:
    uri = open_document(client, path, before)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    (target,) = _only(diagnostics, code)
    actions = await request_actions(client, uri, [target])
    fix = actions[0]
    assert fix.title == title and fix.kind == types.CodeActionKind.QuickFix
    assert fix.diagnostics is not None and codes(fix.diagnostics) == [code]
    after = await apply(client, uri, before, fix, 2)
    return after, diagnostics, await wait_for_diagnostics(client, uri, version=2)


async def test_v1_config_quick_fix(client: RecordingClient, project: Path) -> None:
    after, before_diagnostics, after_diagnostics = await _fix_one(
        client,
        project / "app" / "schemas.py",
        V1_CONFIG,
        "FBP306",
        "Replace with `model_config = ConfigDict(...)`",
    )
    (reported,) = _only(before_diagnostics, "FBP306")
    assert reported.range.start == types.Position(line=7, character=4)
    assert reported.severity == types.DiagnosticSeverity.Warning

    assert after == V2_CONFIG
    assert _only(after_diagnostics, "FBP306") == []
    assert set(codes(after_diagnostics)) <= set(codes(before_diagnostics))


async def test_v1_validator_quick_fix(client: RecordingClient, project: Path) -> None:
    after, before_diagnostics, after_diagnostics = await _fix_one(
        client,
        project / "app" / "schemas.py",
        V1_VALIDATOR,
        "FBP308",
        "Rewrite as a pydantic v2 validator",
    )
    (reported,) = _only(before_diagnostics, "FBP308")
    assert reported.range.start == types.Position(line=6, character=5)

    assert after == V2_VALIDATOR
    assert codes(after_diagnostics) == []
