"""`textDocument/completion`: the `fbp-` snippets, ordered for the module being edited.

Completion runs on every keystroke, so it is answered on the event loop from cheap facts: a
lexical scan of the text before the cursor, the cached project layout, and project facts
(the app, the declarative base, the custom base model) that are refreshed in a worker thread
and used as last known meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from fastapi_practices.config import Settings
from fastapi_practices.lsp import convert
from fastapi_practices.lsp.documents import OpenTexts
from fastapi_practices.lsp.session import Session
from fastapi_practices.model import Position, TextEdit
from fastapi_practices.snippets import PREFIX, Offer, Place, offers, place_for
from fastapi_practices.snippets.context import with_imports
from fastapi_practices.snippets.imports import ImportTable, plan_imports
from fastapi_practices.snippets.lexical import CursorPlace, cursor_place
from fastapi_practices.snippets.project import ProjectSymbols, custom_base_model, project_symbols
from fastapi_practices.snippets.template import escape, indent_body
from fastapi_practices.workspace.index import WorkspaceIndex
from fastapi_practices.workspace.layout import layout_for

logger = logging.getLogger("fastapi_practices.lsp")

REFRESH_AFTER_SECONDS = 3.0


def wants_snippets(place: CursorPlace) -> bool:
    """A statement may start here and the word typed so far can still become `fbp-…`."""
    if place.in_string_or_comment or not place.statement_start:
        return False
    word = place.word.lower()
    return PREFIX.startswith(word) or word.startswith(PREFIX)


@dataclass
class _Facts:
    checked: float
    symbols: ProjectSymbols | None
    base_model: tuple[str, str] | None


class ProjectFacts:
    """Per project: its symbols and custom base model, refreshed in the background."""

    def __init__(self) -> None:
        self._facts: dict[Path, _Facts] = {}
        self._refreshing: set[Path] = set()
        self._lock = threading.Lock()

    def get(
        self, settings: Settings, read: OpenTexts, index: WorkspaceIndex | None
    ) -> _Facts | None:
        root = settings.root
        if root is None:
            return None
        with self._lock:
            facts = self._facts.get(root)
        if facts is None:
            facts = self._compute(settings, read, index)
            with self._lock:
                self._facts[root] = facts
            return facts
        if time.monotonic() - facts.checked > REFRESH_AFTER_SECONDS:
            self._refresh_later(root, settings, read, index)
        return facts

    def _refresh_later(
        self, root: Path, settings: Settings, read: OpenTexts, index: WorkspaceIndex | None
    ) -> None:
        with self._lock:
            if root in self._refreshing:
                return
            self._refreshing.add(root)

        def refresh() -> None:
            try:
                facts = self._compute(settings, read, index)
                with self._lock:
                    self._facts[root] = facts
            except Exception:
                logger.exception("refreshing the project facts of %s failed", root)
            finally:
                with self._lock:
                    self._refreshing.discard(root)

        asyncio.get_running_loop().run_in_executor(None, refresh)

    @staticmethod
    def _compute(settings: Settings, read: OpenTexts, index: WorkspaceIndex | None) -> _Facts:
        layout = layout_for(settings)
        symbols = project_symbols(layout, read.text_of, max_age=0) if layout else None
        return _Facts(time.monotonic(), symbols, custom_base_model(index))


class Completer:
    """Answers completion requests for one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.server: LanguageServer = session.server
        self.open_texts: OpenTexts = session.open_texts
        self.facts = ProjectFacts()

    async def completion(self, params: types.CompletionParams) -> types.CompletionList | None:
        return self.complete(params)

    def complete(self, params: types.CompletionParams) -> types.CompletionList | None:
        uri = params.text_document.uri
        document = self.server.workspace.get_text_document(uri)
        text = document.source
        lines = convert.TextLines(text, self.session.encoding)
        cursor = lines.offset(lines.from_client(params.position))
        place = cursor_place(text, cursor)
        if not wants_snippets(place):
            return None
        state = self.session.documents.get(uri)
        path = state.path if state is not None else _path_of(uri)
        snippet_place = self._place(path, text)
        found = offers(snippet_place, text, self.open_texts.text_of)
        if not found:
            return None
        start = lines.position_at(place.word_start)
        request = _Request(
            place=place,
            start=start,
            word_range=types.Range(
                lines.to_client(start), lines.to_client(lines.position_at(cursor))
            ),
            lines=lines,
            table=ImportTable.read(text),
            first_party=snippet_place.first_party,
            newline="\r\n" if "\r\n" in text else "\n",
            snippets=self._snippet_support(),
            markdown=self._markdown_documentation(),
        )
        items = [_item(offer, request) for offer in found]
        return types.CompletionList(is_incomplete=len(place.word) < len(PREFIX), items=items)

    def _place(self, path: Path | None, text: str) -> Place:
        if path is None:
            return place_for(None, text, Settings())
        project = self.session.projects.project_for(path)
        index = self.session.indexes.index_of(path)
        facts = self.facts.get(project.settings, self.open_texts, index)
        return place_for(
            path,
            text,
            project.settings,
            self.open_texts.text_of,
            base_model=facts.base_model if facts else None,
            symbols=facts.symbols if facts else None,
            find_symbols=False,
        )

    def _snippet_support(self) -> bool:
        return bool(
            get_capability(
                self.server.client_capabilities,
                "text_document.completion.completion_item.snippet_support",
                False,
            )
        )

    def _markdown_documentation(self) -> bool:
        formats = get_capability(
            self.server.client_capabilities,
            "text_document.completion.completion_item.documentation_format",
            None,
        )
        return formats is not None and types.MarkupKind.Markdown in formats


@dataclass(frozen=True)
class _Request:
    """What every item of one completion request shares."""

    place: CursorPlace
    start: Position  # of the word being replaced
    word_range: types.Range
    lines: convert.TextLines
    table: ImportTable
    first_party: frozenset[str]
    newline: str
    snippets: bool
    markdown: bool


def _item(offer: Offer, request: _Request) -> types.CompletionItem:
    place = request.place
    plan = plan_imports(request.lines.text, offer.imports, request.table, request.first_party)
    body = offer.body if request.snippets else offer.plain
    added = plan.statement_edit(request.newline)
    edits: list[TextEdit] = list(plan.merges)
    if added is not None and added.range.start < request.start:
        edits = plan.edits(request.newline)
    elif added is not None and not place.indentation:
        # The imports would land where the snippet goes: they become part of it.
        statements = plan.statements
        if request.snippets:
            statements = tuple(escape(statement) for statement in statements)
        body = with_imports(statements, body)
    body = indent_body(body, place.indentation)
    documentation: str | types.MarkupContent = offer.documentation
    if request.markdown:
        documentation = types.MarkupContent(types.MarkupKind.Markdown, offer.documentation)
    return types.CompletionItem(
        label=offer.label,
        kind=types.CompletionItemKind.Snippet,
        detail=offer.detail,
        documentation=documentation,
        sort_text=offer.sort_text,
        filter_text=offer.label,
        insert_text_format=(
            types.InsertTextFormat.Snippet if request.snippets else types.InsertTextFormat.PlainText
        ),
        insert_text_mode=types.InsertTextMode.AsIs if place.indentation else None,
        text_edit=types.TextEdit(
            range=request.word_range, new_text=body.replace("\n", request.newline)
        ),
        additional_text_edits=[convert.text_edit(e, request.lines) for e in edits] or None,
    )


def _path_of(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    if path is None:
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(path)
