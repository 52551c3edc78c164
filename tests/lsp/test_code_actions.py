"""Code actions: quick fixes, `# noqa`, fix-all; resolved lazily or sent with their edits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.clients import EMACS, NEOVIM, VSCODE, Profile, RecordingClient
from tests.lsp.helpers import (
    apply_text_edits,
    codes,
    edits_for,
    open_document,
    replace_document,
    wait_for_diagnostics,
)

SLEEPY = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"
FIXED = "import time\nimport asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"
TWICE = "import time\n\n\nasync def poll():\n    time.sleep(1)\n    time.sleep(2)\n"
TWICE_FIXED = (
    "import time\nimport asyncio\n\n\nasync def poll():\n"
    "    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"
)
FIX_TITLE = "Replace with `await asyncio.sleep(...)`"
FIX_ALL = "source.fixAll.fastapi-practices"


async def request_actions(
    client: RecordingClient,
    uri: str,
    diagnostics: Sequence[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    rng = (
        diagnostics[0].range
        if diagnostics
        else types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        )
    )
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(result or [])
    return actions


async def edit_of(client: RecordingClient, action: types.CodeAction) -> types.WorkspaceEdit:
    """The action's edit, resolving it first exactly when the client supports that."""
    if client.profile.without_resolve or client.profile.client == "emacs":
        assert action.edit is not None and action.data is None
        return action.edit
    assert action.edit is None and action.data is not None
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None
    return resolved.edit


async def apply(
    client: RecordingClient, uri: str, text: str, action: types.CodeAction, version: int
) -> str:
    edit = await edit_of(client, action)
    new_text = apply_text_edits(text, edits_for(edit, uri), client.encoding)
    replace_document(client, uri, version, new_text)
    return new_text


async def test_quick_fix_removes_the_diagnostic(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)

    actions = await request_actions(client, uri, diagnostics)
    assert [a.title for a in actions[:2]] == [FIX_TITLE, "Disable FBP201 for this line"]
    assert len(actions) == 3
    fix = actions[0]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert fix.diagnostics is not None and codes(fix.diagnostics) == ["FBP201"]
    assert actions[-1].kind == FIX_ALL

    assert await apply(client, uri, SLEEPY, fix, 2) == FIXED
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []


@pytest.mark.parametrize("client", [VSCODE, NEOVIM, EMACS], indirect=True, ids=str)
async def test_workspace_edit_shape_follows_client(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    (fix, *_) = await request_actions(client, uri, diagnostics)

    edit = await edit_of(client, fix)
    if client.profile.client == "neovim":  # no documentChanges support
        assert edit.document_changes is None and edit.changes is not None
    else:
        assert edit.changes is None and edit.document_changes is not None
        (change,) = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri and change.text_document.version == 1


@pytest.mark.parametrize(
    "client",
    [VSCODE, Profile("visual-studio-code", without_resolve=True)],
    indirect=True,
    ids=["lazy", "eager"],
)
async def test_lazy_or_eager_edits(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    actions = await request_actions(client, uri, diagnostics)

    for action in actions:
        if client.profile.without_resolve:
            assert action.edit is not None and action.data is None
        else:
            assert action.edit is None and action.data is not None
    assert await apply(client, uri, SLEEPY, actions[0], 2) == FIXED


async def test_noqa_action(client: RecordingClient, project: Path) -> None:
    text = SLEEPY.replace("time.sleep(1)", "time.sleep(1)  # noqa: E501")
    uri = open_document(client, project / "app" / "main.py", text)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    noqa = next(a for a in await request_actions(client, uri, diagnostics) if "Disable" in a.title)
    assert noqa.kind == types.CodeActionKind.QuickFix and not noqa.is_preferred

    new_text = await apply(client, uri, text, noqa, 2)
    assert new_text.splitlines()[4] == "    time.sleep(1)  # noqa: E501, FBP201"
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []


async def test_fix_all(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", TWICE)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    assert codes(diagnostics) == ["FBP201", "FBP201"]

    (action,) = await request_actions(client, uri, [], only=["source.fixAll"])
    assert action.kind == FIX_ALL

    assert await apply(client, uri, TWICE, action, 2) == TWICE_FIXED
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_only_filters_kinds(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)

    quick = await request_actions(client, uri, diagnostics, only=["quickfix"])
    assert {a.kind for a in quick} == {types.CodeActionKind.QuickFix}
    fix_all = await request_actions(client, uri, diagnostics, only=[FIX_ALL])
    assert [a.kind for a in fix_all] == [FIX_ALL]
    assert await request_actions(client, uri, diagnostics, only=["refactor"]) == []


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_no_fix_all_without_safe_fixes(client: RecordingClient, project: Path) -> None:
    text = "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"
    uri = open_document(client, project / "app" / "main.py", text)
    await wait_for_diagnostics(client, uri, version=1)
    assert await request_actions(client, uri, [], only=["source.fixAll"]) == []


NON_ASCII = '"""Polling."""\nimport time\n\n\nasync def poll():\n    x = "é😀"; time.sleep(1)\n'
NON_ASCII_FIXED = (
    '"""Polling."""\nimport time\nimport asyncio\n\n\nasync def poll():\n'
    '    x = "é😀"; await asyncio.sleep(1)\n'
)


@pytest.mark.parametrize(
    "client",
    [VSCODE, NEOVIM, EMACS, Profile("emacs", encodings=("utf-8",))],
    indirect=True,
    ids=["utf-16", "utf-8", "utf-32", "utf-8-eager"],
)
async def test_fix_on_non_ascii_line(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", NON_ASCII)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    (fix, *_) = await request_actions(client, uri, diagnostics)

    assert await apply(client, uri, NON_ASCII, fix, 2) == NON_ASCII_FIXED
    assert codes(await wait_for_diagnostics(client, uri, version=2)) == []


@pytest.mark.parametrize("client", [VSCODE], indirect=True, ids=str)
async def test_resolve_after_the_document_changed(client: RecordingClient, project: Path) -> None:
    uri = open_document(client, project / "app" / "main.py", SLEEPY)
    diagnostics = await wait_for_diagnostics(client, uri, version=1)
    (fix, *_) = await request_actions(client, uri, diagnostics)

    # Lines after the finding change: the finding still stands where it was.
    appended = SLEEPY + "\n\nVALUE = 1\n"
    replace_document(client, uri, 2, appended)
    await wait_for_diagnostics(client, uri, version=2)
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is not None and resolved.edit.document_changes is not None
    (change,) = resolved.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 2
    assert apply_text_edits(appended, edits_for(resolved.edit, uri), "utf-16") == (
        FIXED + "\n\nVALUE = 1\n"
    )

    # The finding moved: the stale action resolves to no edit rather than a wrong one.
    shifted = "# header\n" + appended
    replace_document(client, uri, 3, shifted)
    await wait_for_diagnostics(client, uri, version=3)
    assert (await client.code_action_resolve_async(fix)).edit is None
