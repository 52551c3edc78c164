"""Commands run through `workspace/executeCommand`; each answers with a small JSON object."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from fastapi_practices.lsp import code_actions
from fastapi_practices.lsp.new_domain import NEW_DOMAIN, new_domain
from fastapi_practices.lsp.session import Session

logger = logging.getLogger("fastapi_practices.lsp")

FIX_ALL = "fastapi-practices.fixAll"
FIX_ALL_LABEL = "fastapi-practices: fix all"


def document_uri(arguments: Sequence[object]) -> str:
    """The target of `[uri]` or `[{"uri": uri}]` (a text document identifier)."""
    first = arguments[0] if arguments else None
    if isinstance(first, Mapping):
        first = first.get("uri")
    if not isinstance(first, str) or not first:
        raise JsonRpcInvalidParams(f"{FIX_ALL} expects a document URI, got {list(arguments)!r}")
    return first


def edit_count(edit: types.WorkspaceEdit) -> int:
    count = sum(len(edits) for edits in (edit.changes or {}).values())
    for change in edit.document_changes or ():
        if isinstance(change, types.TextDocumentEdit):
            count += len(change.edits)
    return count


async def fix_all(session: Session, arguments: Sequence[object]) -> dict[str, Any]:
    """Apply every safe fix in one open document through `workspace/applyEdit`."""
    uri = document_uri(arguments)
    if uri not in session.documents:
        return {"applied": False, "edits": 0, "reason": "the document is not open"}
    analysis = await session.current_analysis(uri)
    if analysis is None:
        return {"applied": False, "edits": 0, "reason": "the document is not open"}
    loop = asyncio.get_running_loop()
    edit = await loop.run_in_executor(
        session.executor,
        code_actions.build_edit,
        analysis,
        {"action": code_actions.ALL},
        session.features,
    )
    if edit is None:
        return {"applied": False, "edits": 0}
    count = edit_count(edit)
    capabilities = session.server.client_capabilities
    if not get_capability(capabilities, "workspace.apply_edit", False):
        return {"applied": False, "edits": count, "reason": "the client cannot apply edits"}
    result = await session.server.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=FIX_ALL_LABEL)
    )
    answer: dict[str, Any] = {"applied": bool(result.applied), "edits": count}
    if result.failure_reason:
        answer["reason"] = result.failure_reason
    return answer


def register(server: LanguageServer, session: Session) -> None:
    # pygls passes the server as the first argument of a command handler (named `ls`).
    async def fix_all_command(ls: LanguageServer, *arguments: object) -> dict[str, Any]:
        try:
            return await fix_all(session, arguments)
        except JsonRpcInvalidParams:
            raise
        except Exception:
            logger.exception("%s failed", FIX_ALL)
            return {"applied": False, "edits": 0, "reason": "internal error (see the log)"}

    server.command(FIX_ALL)(fix_all_command)

    async def new_domain_command(ls: LanguageServer, *arguments: object) -> dict[str, Any]:
        try:
            return await new_domain(session, arguments)
        except JsonRpcInvalidParams:
            raise
        except Exception:
            logger.exception("%s failed", NEW_DOMAIN)
            return {"applied": False, "files": [], "reason": "internal error (see the log)"}

    server.command(NEW_DOMAIN)(new_domain_command)
