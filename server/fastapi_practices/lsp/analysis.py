"""One analysis of one document snapshot. Runs in a worker thread, never on the event loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.engine.data_files import is_data_file
from fastapi_practices.lsp import convert
from fastapi_practices.lsp.indexing import ProjectIndexes
from fastapi_practices.lsp.projects import ProjectCache
from fastapi_practices.lsp.settings import EditorSettings
from fastapi_practices.model import Finding
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext
from fastapi_practices.workspace.discovery import DEFAULT_MAX_BYTES

PYTHON_SUFFIXES = (".py", ".pyi")
MAX_DOCUMENT_BYTES = DEFAULT_MAX_BYTES


def is_analysed(language_id: str | None, path: Path | None, uri: str) -> bool:
    """Python documents, and the project files some rules read (`alembic.ini`, ...)."""
    if language_id == "python" or is_data_file(path):
        return True
    name = path.name if path is not None else uri
    return name.endswith(PYTHON_SUFFIXES)


@dataclass(frozen=True)
class Snapshot:
    """The text of one document version, with everything needed to analyse it."""

    uri: str
    version: int | None
    text: str
    path: Path | None
    encoding: str
    editor: EditorSettings
    generation: int
    sequence: int
    opened: int


@dataclass(frozen=True)
class Analysis:
    snapshot: Snapshot
    lines: convert.TextLines
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    settings: Settings
    workspace: WorkspaceContext
    config_error: str | None = None
    skipped: str | None = None
    """Why the document was not checked (too large), for a one-time message."""


def run_analysis(
    snapshot: Snapshot,
    projects: ProjectCache,
    text_of: Callable[[Path], str | None],
    indexes: ProjectIndexes | None = None,
) -> Analysis:
    """Analyse a snapshot and build its diagnostics in the client's position encoding."""
    config_error = None
    if snapshot.path is not None:
        project = projects.project_for(snapshot.path)
        settings = snapshot.editor.engine_settings(project.settings)
        workspace: WorkspaceContext = (
            indexes.workspace_for(project) if indexes is not None else project.workspace
        )
        config_error = project.config_error
    else:
        settings = snapshot.editor.engine_settings(Settings())
        workspace = EMPTY_WORKSPACE
    skipped = too_large(snapshot)
    findings = (
        analyze(snapshot.text, snapshot.path, settings, workspace)
        if snapshot.editor.enable and skipped is None
        else []
    )
    lines = convert.TextLines(snapshot.text, snapshot.encoding)
    related = _RelatedLocations(snapshot, settings, lines, text_of)
    diagnostics = [
        convert.diagnostic(finding, lines, snapshot.version, related.of(finding))
        for finding in findings
    ]
    return Analysis(
        snapshot, lines, findings, diagnostics, settings, workspace, config_error, skipped
    )


def too_large(snapshot: Snapshot) -> str | None:
    """The CLI's default size bound holds in the editor too: a bigger file is not checked."""
    text = snapshot.text
    if len(text) * 4 <= MAX_DOCUMENT_BYTES or len(text.encode("utf-8", "replace")) <= (
        MAX_DOCUMENT_BYTES
    ):
        return None
    name = snapshot.path or snapshot.uri
    return f"{name} is not checked: it is larger than {MAX_DOCUMENT_BYTES} bytes"


class _RelatedLocations:
    """Related locations in the client's terms; each file is resolved and indexed once."""

    def __init__(
        self,
        snapshot: Snapshot,
        settings: Settings,
        lines: convert.TextLines,
        text_of: Callable[[Path], str | None],
    ) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self.lines = lines
        self.text_of = text_of
        self.own_path = snapshot.path.resolve() if snapshot.path is not None else None
        self._targets: dict[str, tuple[str, convert.TextLines] | None] = {}

    def of(self, finding: Finding) -> list[types.DiagnosticRelatedInformation]:
        found = []
        for location in finding.related:
            target = self._target(location.path)
            if target is not None:
                uri, lines = target
                found.append(convert.related_information(location, uri, lines))
        return found

    def _target(self, name: str) -> tuple[str, convert.TextLines] | None:
        if name not in self._targets:
            path = Path(name)
            if not path.is_absolute() and self.settings.root is not None:
                path = self.settings.root / path
            path = path.resolve()
            if path == self.own_path:
                self._targets[name] = (self.snapshot.uri, self.lines)
            else:
                other = self.text_of(path)
                self._targets[name] = (
                    (path.as_uri(), convert.TextLines(other, self.snapshot.encoding))
                    if other is not None
                    else None
                )
        return self._targets[name]
