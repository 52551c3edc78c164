"""Quick fixes, "disable for this line" and fix-all, computed now or on `codeAction/resolve`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types

from fastapi_practices.fixes import WorkspaceFix, build_workspace_fix, fix_all, noqa_edit
from fastapi_practices.lsp import convert
from fastapi_practices.lsp.analysis import Analysis
from fastapi_practices.lsp.capabilities import ClientFeatures
from fastapi_practices.model import FileEdit, Finding, FixOption, Range, TextEdit

FIX_ALL_KIND = "source.fixAll.fastapi-practices"
PROVIDED_KINDS: list[str | types.CodeActionKind] = [
    types.CodeActionKind.QuickFix,
    types.CodeActionKind.SourceFixAll,
    FIX_ALL_KIND,
]
FIX_ALL_TITLE = "Fix all safely fixable fastapi-practices problems"
UNSUPPRESSIBLE = frozenset({"FBP001", "FBP002"})

FIX, NOQA, ALL = "fix", "noqa", "fixAll"


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether `kind` is requested by the client's `only` filter (hierarchical)."""
    if not only:
        return True
    return any(kind == prefix or kind.startswith(f"{prefix}.") for prefix in only)


def code_actions(
    analysis: Analysis,
    params: types.CodeActionParams,
    features: ClientFeatures,
    offer_fix_all: bool,
) -> list[types.CodeAction]:
    only = [str(getattr(kind, "value", kind)) for kind in params.context.only or ()]
    actions: list[types.CodeAction] = []
    if wanted(types.CodeActionKind.QuickFix.value, only):
        for diagnostic, finding in _targets(analysis, params):
            actions.extend(_finding_actions(analysis, diagnostic, finding, features))
    if offer_fix_all and wanted(FIX_ALL_KIND, only) and any(f.safe_fix for f in analysis.findings):
        action = types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND)
        delivered = _deliver(action, analysis, features, {"action": ALL})
        if delivered is not None:
            actions.append(delivered)
    return actions


def _targets(
    analysis: Analysis, params: types.CodeActionParams
) -> list[tuple[types.Diagnostic, Finding]]:
    """Our diagnostics in the request, paired with the findings they stand for."""
    ours = [d for d in params.context.diagnostics if d.source == convert.SOURCE]
    if ours:
        pairs = []
        for diagnostic in ours:
            finding = match_diagnostic(analysis, diagnostic)
            if finding is not None:
                pairs.append((diagnostic, finding))
        return pairs
    # Some clients send no diagnostics in the context: use those under the requested range.
    requested = analysis.lines.range_from_client(params.range)
    return [
        (diagnostic, finding)
        for diagnostic, finding in zip(analysis.diagnostics, analysis.findings, strict=True)
        if finding.range.overlaps(requested)
        or finding.range.contains(requested.start)
        or requested.contains(finding.range.start)
    ]


def match_diagnostic(analysis: Analysis, diagnostic: types.Diagnostic) -> Finding | None:
    data = diagnostic.data if isinstance(diagnostic.data, Mapping) else {}
    current = data.get("version") == analysis.snapshot.version and "range" in data
    try:
        rng = (
            convert.range_from_list(data["range"])
            if current
            else analysis.lines.range_from_client(diagnostic.range)
        )
    except (TypeError, ValueError):
        rng = analysis.lines.range_from_client(diagnostic.range)
    found = find_finding(analysis, str(diagnostic.code), rng)
    if found is None and current:
        return convert.finding_from_data(data)
    return found


def find_finding(analysis: Analysis, code: str, rng: Range) -> Finding | None:
    for finding in analysis.findings:
        if finding.code == code and finding.range == rng:
            return finding
    return None


def _preferred(finding: Finding) -> FixOption | None:
    for option in finding.fixes:
        if option.is_preferred:
            return option
    return finding.safe_fix


def _finding_actions(
    analysis: Analysis,
    diagnostic: types.Diagnostic,
    finding: Finding,
    features: ClientFeatures,
) -> list[types.CodeAction]:
    identity = {
        "code": finding.code,
        "range": [
            finding.range.start.line,
            finding.range.start.column,
            finding.range.end.line,
            finding.range.end.column,
        ],
        "finding": convert.finding_data(finding, analysis.snapshot.version),
    }
    preferred = _preferred(finding)
    actions = []
    for option in finding.fixes:
        action = types.CodeAction(
            title=option.title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=True if features.is_preferred and option == preferred else None,
        )
        request = {"action": FIX, "fix": option.kind, **identity}
        delivered = _deliver(action, analysis, features, request)
        if delivered is not None:
            actions.append(delivered)
    if finding.code not in UNSUPPRESSIBLE:
        action = types.CodeAction(
            title=f"Disable {finding.code} for this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
        )
        delivered = _deliver(action, analysis, features, {"action": NOQA, **identity})
        if delivered is not None:
            actions.append(delivered)
    return actions


def _deliver(
    action: types.CodeAction,
    analysis: Analysis,
    features: ClientFeatures,
    request: dict[str, Any],
) -> types.CodeAction | None:
    """Attach `data` for a later resolve, or the edit itself when the client cannot resolve."""
    request = {"uri": analysis.snapshot.uri, "version": analysis.snapshot.version, **request}
    if features.resolve_edit:
        # A fix may need to create a file, which this client cannot do: find out now.
        must_check = not features.create_files and request.get("action") == FIX
        if must_check and build_edit(analysis, request, features) is None:
            return None
        action.data = request
        return action
    edit = build_edit(analysis, request, features)
    if edit is None:
        return None
    action.edit = edit
    return action


def resolve(
    action: types.CodeAction, analysis: Analysis, features: ClientFeatures
) -> types.CodeAction:
    """Fill in the edit of an action made lazily; left without edit when it no longer applies."""
    request = action.data
    if not isinstance(request, Mapping) or request.get("uri") != analysis.snapshot.uri:
        return action
    edit = build_edit(analysis, request, features)
    if edit is not None:
        action.edit = edit
    return action


def build_edit(
    analysis: Analysis, request: Mapping[str, Any], features: ClientFeatures
) -> types.WorkspaceEdit | None:
    if request.get("action") == FIX:
        fix = _engine_fix(analysis, request)
        return fix_edit(analysis, fix, features) if fix is not None else None
    edits = _engine_edits(analysis, request)
    if not edits:
        return None
    lines = analysis.lines
    client_edits = [convert.text_edit(edit, lines) for edit in edits]
    return workspace_edit(analysis, client_edits, features)


def _engine_edits(analysis: Analysis, request: Mapping[str, Any]) -> list[TextEdit] | None:
    text = analysis.snapshot.text
    kind = request.get("action")
    if kind == ALL:
        result = fix_all(
            text, analysis.snapshot.path, analysis.settings, analysis.workspace, unsafe=False
        )
        return minimal_edits(text, result.text, analysis.lines) if result.text != text else None
    finding = _requested_finding(analysis, request)
    if finding is None:
        return None
    if kind == NOQA:
        return [noqa_edit(text, finding)]
    return None


def _engine_fix(analysis: Analysis, request: Mapping[str, Any]) -> WorkspaceFix | None:
    finding = _requested_finding(analysis, request)
    fix_kind = request.get("fix")
    if finding is None or not isinstance(fix_kind, str) or finding.fix(fix_kind) is None:
        return None
    return build_workspace_fix(
        analysis.snapshot.text,
        finding,
        fix_kind,
        analysis.snapshot.path,
        analysis.workspace,
        verify=True,
    )


def _requested_finding(analysis: Analysis, request: Mapping[str, Any]) -> Finding | None:
    try:
        rng = convert.range_from_list(request.get("range"))
    except (TypeError, ValueError):
        return None
    found = find_finding(analysis, str(request.get("code")), rng)
    if found is None and request.get("version") == analysis.snapshot.version:
        # Same text, different settings since the action was offered: the finding still holds.
        return convert.finding_from_data(request.get("finding"))
    return found


def minimal_edits(old: str, new: str, lines: convert.TextLines) -> list[TextEdit]:
    """Line-level edits turning `old` into `new`, so the editor keeps cursor and folds."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = lines.position_at(old_starts[i1])
        end = lines.position_at(old_starts[i2])
        edits.append(TextEdit(Range(start, end), "".join(new_lines[j1:j2])))
    return edits


def workspace_edit(
    analysis: Analysis, edits: list[types.TextEdit], features: ClientFeatures
) -> types.WorkspaceEdit:
    uri = analysis.snapshot.uri
    if features.document_changes:
        document = types.OptionalVersionedTextDocumentIdentifier(
            uri=uri, version=analysis.snapshot.version
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=document, edits=list(edits))]
        )
    return types.WorkspaceEdit(changes={uri: list(edits)})


def fix_edit(
    analysis: Analysis, fix: WorkspaceFix, features: ClientFeatures
) -> types.WorkspaceEdit | None:
    """A fix as the client can take it; None when it must create a file and the client cannot.

    Other files are edited without a version (the server may not know the editor's), in the
    text the fix was computed from: the editor's when the file is open.
    """
    own = [convert.text_edit(edit, analysis.lines) for edit in fix.edits]
    if not fix.files:
        return workspace_edit(analysis, own, features) if own else None
    if fix.creates_files and not features.create_files:
        return None
    others: list[tuple[str, FileEdit, list[types.TextEdit]]] = []
    for file in fix.files:
        text = "" if file.create else _text_of(analysis, Path(file.path))
        if text is None:
            return None
        lines = convert.TextLines(text, analysis.snapshot.encoding)
        uri = Path(file.path).as_uri()
        others.append((uri, file, [convert.text_edit(edit, lines) for edit in file.edits]))
    if not features.document_changes:
        changes = {uri: edits for uri, _, edits in others}
        if own:
            changes[analysis.snapshot.uri] = own
        return types.WorkspaceEdit(changes=changes)
    document_changes: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = []
    if own:
        document = types.OptionalVersionedTextDocumentIdentifier(
            uri=analysis.snapshot.uri, version=analysis.snapshot.version
        )
        document_changes.append(types.TextDocumentEdit(text_document=document, edits=list(own)))
    for uri, file, edits in others:
        if file.create:
            # Only offered for a file that does not exist. Should it appear meanwhile, clients
            # then leave it as it is (rather than fail or empty it) and insert the text on top.
            options = types.CreateFileOptions(overwrite=False, ignore_if_exists=True)
            document_changes.append(types.CreateFile(uri=uri, options=options))
        document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None)
        document_changes.append(types.TextDocumentEdit(text_document=document, edits=list(edits)))
    return types.WorkspaceEdit(document_changes=document_changes)


def _text_of(analysis: Analysis, path: Path) -> str | None:
    """The text a fix edited another file in: the workspace's (editor text when open)."""
    workspace = analysis.workspace
    try:
        source = workspace.module_source(workspace.module_name_for(path)[0])
        if source is not None and source.path.resolve() == path.resolve():
            return source.text
        return path.read_text(encoding="utf-8")
    except (OSError, RuntimeError, UnicodeDecodeError):
        return None
