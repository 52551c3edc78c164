"""The `fastapi-practices.newDomain` command: a new domain as one workspace edit.

The edit creates every file (`CreateFile`, then its text) and registers the router in the
module that includes routers. A client that cannot create files gets the new files written by
the server and only the registration as an edit; one that cannot apply edits at all gets
everything written, except changes to modules open in the editor (those are reported).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import to_fs_path

from fastapi_practices.lsp import convert
from fastapi_practices.lsp.session import Session
from fastapi_practices.snippets.project import custom_base_model
from fastapi_practices.snippets.scaffold import (
    DomainPlan,
    FileChange,
    ScaffoldError,
    apply_edits,
    plan_new_domain,
    write_new_files,
)
from fastapi_practices.workspace import layout as layouts

NEW_DOMAIN = "fastapi-practices.newDomain"
LABEL = "fastapi-practices: new domain"


@dataclass(frozen=True)
class Request:
    name: str
    src: str | None = None
    uri: str | None = None  # a file or folder of the project (default: the first folder)


def parse_arguments(arguments: Sequence[object]) -> Request:
    """`[name]`, `[name, uri]` or `[{"name": ..., "uri": ..., "src": ...}]`."""
    first = arguments[0] if arguments else None
    if isinstance(first, Mapping):
        name, uri, src = first.get("name"), first.get("uri"), first.get("src")
    else:
        name = first
        uri = arguments[1] if len(arguments) > 1 else None
        src = None
    if not isinstance(name, str) or not name.strip():
        raise JsonRpcInvalidParams(f"{NEW_DOMAIN} expects a domain name, got {list(arguments)!r}")
    if uri is not None and not isinstance(uri, str):
        raise JsonRpcInvalidParams(f"{NEW_DOMAIN}: `uri` must be a string")
    if src is not None and not isinstance(src, str):
        raise JsonRpcInvalidParams(f"{NEW_DOMAIN}: `src` must be a string")
    return Request(name.strip(), src or None, uri or None)


def _path(uri: str | None) -> Path | None:
    if uri is None or not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path).resolve() if path else None


def _project_start(session: Session, request: Request) -> Path | None:
    start = _path(request.uri)
    if start is not None:
        return start
    for folder in session.server.workspace.folders.values():
        found = _path(folder.uri)
        if found is not None:
            return found
    return _path(session.server.workspace.root_uri)


def _plan(session: Session, request: Request, start: Path) -> DomainPlan:
    probe = start / "__init__.py" if start.is_dir() else start
    project = session.projects.project_for(probe)
    source_root = None
    if request.src:
        source_root = Path(request.src)
        if not source_root.is_absolute():
            source_root = project.root / source_root
    base = custom_base_model(session.indexes.index_of(probe))
    return plan_new_domain(
        project.root,
        request.name,
        project.settings,
        source_root=source_root,
        read=session.open_texts.text_of,
        base_model=base,
    )


async def new_domain(session: Session, arguments: Sequence[object]) -> dict[str, Any]:
    request = parse_arguments(arguments)
    start = _project_start(session, request)
    if start is None:
        return {"applied": False, "files": [], "reason": "no workspace folder is open"}
    loop = asyncio.get_running_loop()
    try:
        plan = await loop.run_in_executor(session.executor, _plan, session, request, start)
    except ScaffoldError as error:
        return {"applied": False, "files": [], "reason": str(error)}
    capabilities = session.server.client_capabilities
    can_apply = bool(get_capability(capabilities, "workspace.apply_edit", False))
    answer: dict[str, Any] = {
        "files": [new.path.as_uri() for new in plan.files],
        "notes": list(plan.notes),
    }
    try:
        if not can_apply:
            return {**answer, **await loop.run_in_executor(None, _write_all, session, plan)}
        written: list[Path] = []
        if not session.features.create_files:
            written = await loop.run_in_executor(None, write_new_files, plan)
        edit = workspace_edit(session, plan, create=not written)
        if edit is None:
            return {**answer, "applied": bool(written)}
        # As a refactoring, editors that support it save the files they had to open for it.
        refactoring = get_capability(
            capabilities, "workspace.workspace_edit.metadata_support", False
        )
        metadata = types.WorkspaceEditMetadata(is_refactoring=True) if refactoring else None
        result = await session.server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=LABEL, metadata=metadata)
        )
    except ScaffoldError as error:
        return {**answer, "applied": False, "reason": str(error)}
    finally:
        layouts.invalidate()
    answer["applied"] = bool(result.applied)
    if result.failure_reason:
        answer["reason"] = result.failure_reason
    return answer


def workspace_edit(session: Session, plan: DomainPlan, create: bool) -> types.WorkspaceEdit | None:
    """The plan as one edit: file creations (when `create`), then the registrations."""
    changes = [_document_edit(session, change) for change in plan.changes]
    creations: list[types.CreateFile | types.TextDocumentEdit] = []
    if create:
        for new in plan.files:
            uri = new.path.as_uri()
            options = types.CreateFileOptions(overwrite=False, ignore_if_exists=False)
            creations.append(types.CreateFile(uri=uri, options=options))
            if new.text:
                insert = types.TextEdit(
                    range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                    new_text=new.text,
                )
                identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None)
                creations.append(types.TextDocumentEdit(text_document=identifier, edits=[insert]))
    if not creations and not changes:
        return None
    if session.features.document_changes:
        return types.WorkspaceEdit(document_changes=[*creations, *changes])
    return types.WorkspaceEdit(
        changes={
            change.text_document.uri: [e for e in change.edits if isinstance(e, types.TextEdit)]
            for change in changes
        }
    )


def _document_edit(session: Session, change: FileChange) -> types.TextDocumentEdit:
    uri = change.path.as_uri()
    lines = convert.TextLines(change.original, session.encoding)
    version = None
    if uri in session.documents:
        version = session.server.workspace.get_text_document(uri).version
    identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
        convert.text_edit(edit, lines) for edit in change.edits
    ]
    return types.TextDocumentEdit(text_document=identifier, edits=edits)


def _write_all(session: Session, plan: DomainPlan) -> dict[str, Any]:
    """For clients that cannot apply edits: write the files, and the registrations of modules
    that are not open in the editor (an open one would silently diverge from the disk)."""
    write_new_files(plan)
    skipped = []
    for change in plan.changes:
        if change.path.as_uri() in session.documents:
            skipped.append(str(change.path))
            continue
        change.path.write_text(apply_edits(change.original, change.edits), encoding="utf-8")
    answer: dict[str, Any] = {"applied": True}
    if skipped:
        answer["reason"] = f"not registered in open files: {', '.join(skipped)}"
    return answer
