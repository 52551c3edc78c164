"""Seed §6 in an editor: FBP601's quick fix clears it; FBP603's unsafe fix stays out of fix-all."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import VSCODE, RecordingClient
from tests.lsp.helpers import (
    apply_text_edits,
    codes,
    edits_for,
    open_document,
    position_of,
    replace_document,
    units,
    wait_for_diagnostics,
)

BASE = (
    "from sqlalchemy.orm import DeclarativeBase\n\n\n"
    'class Base(DeclarativeBase):  # modèles 😀\n    """Base — every model."""\n'
)
CONVENTION = (
    "NAMING_CONVENTION = {\n"
    '    "ix": "%(column_0_label)s_idx",\n'
    '    "uq": "%(table_name)s_%(column_0_name)s_key",\n'
    '    "ck": "%(table_name)s_%(constraint_name)s_check",\n'
    '    "fk": "%(table_name)s_%(column_0_name)s_fkey",\n'
    '    "pk": "%(table_name)s_pkey",\n'
    "}\n"
)
BASE_FIXED = (
    "from sqlalchemy.orm import DeclarativeBase\nfrom sqlalchemy import MetaData\n\n"
    + CONVENTION
    + '\n\nclass Base(DeclarativeBase):  # modèles 😀\n    """Base — every model."""\n'
    "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\n"
)
ENGINE = (
    "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
    'label = "é"; engine = create_async_engine("sqlite:///shop.db")\n'
)
FIX_ALL = "source.fixAll.fastapi-practices"


async def _actions(
    client: RecordingClient, uri: str, diagnostic: types.Diagnostic | None, only: list[str]
) -> list[types.CodeAction]:
    rng = (
        diagnostic.range
        if diagnostic
        else types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    )
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(
                diagnostics=[diagnostic] if diagnostic else [], only=only
            ),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def _edit(client: RecordingClient, action: types.CodeAction) -> types.WorkspaceEdit:
    if action.edit is not None:
        return action.edit
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None
    return resolved.edit


def _only(diagnostics: Sequence[types.Diagnostic], code: str) -> types.Diagnostic:
    (found,) = [d for d in diagnostics if d.code == code]
    return found


async def test_naming_convention_quick_fix(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "database.py", BASE)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    diagnostic = _only(diagnostics, "FBP601")
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    start = position_of(BASE, "class Base", client.encoding)
    assert diagnostic.range == types.Range(
        start=start, end=types.Position(start.line, start.character + 10)
    )

    actions = await _actions(client, uri, diagnostic, ["quickfix"])
    (fix,) = [a for a in actions if a.title.startswith("Add the standard naming convention")]
    assert fix.is_preferred is True
    new_text = apply_text_edits(BASE, edits_for(await _edit(client, fix), uri), client.encoding)
    assert new_text == BASE_FIXED
    replace_document(client, uri, 2, new_text)

    after = await wait_for_diagnostics(client, uri, version=2)
    assert "FBP601" not in codes(after)
    assert set(codes(after)) <= set(codes(diagnostics))


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_async_driver_fix_is_explicit_only(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "database.py", ENGINE)
    diagnostic = _only(await wait_for_diagnostics(client, uri, version=1), "FBP603")
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    line = ENGINE.splitlines()[2]
    column = units(line[: line.index("create_async_engine")], client.encoding)
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (2, column)

    assert await _actions(client, uri, None, [FIX_ALL]) == []
    (fix,) = [
        a
        for a in await _actions(client, uri, diagnostic, ["quickfix"])
        if "async driver" in a.title
    ]
    new_text = apply_text_edits(ENGINE, edits_for(await _edit(client, fix), uri), client.encoding)
    assert new_text == ENGINE.replace("sqlite:///", "sqlite+aiosqlite:///")
    replace_document(client, uri, 2, new_text)
    assert "FBP603" not in codes(await wait_for_diagnostics(client, uri, version=2))
