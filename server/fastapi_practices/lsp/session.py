"""The server's state and its handlers: documents, settings, analyses and what gets published."""

from __future__ import annotations

import asyncio
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from fastapi_practices.lsp import code_actions, hover, settings
from fastapi_practices.lsp.analysis import Analysis, Snapshot, is_python, run_analysis
from fastapi_practices.lsp.capabilities import ClientFeatures
from fastapi_practices.lsp.configuration import (
    CLIENT_REPLY_TIMEOUT,
    CONFIG_FILE,
    EditorConfiguration,
)
from fastapi_practices.lsp.convert import encoding_name
from fastapi_practices.lsp.documents import DocumentState, OpenTexts
from fastapi_practices.lsp.messages import ClientLogHandler, Notifier
from fastapi_practices.lsp.projects import ProjectCache

logger = logging.getLogger("fastapi_practices.lsp")

ANALYSIS_THREADS = 2


def _path_of(uri: str) -> Path | None:
    path = to_fs_path(uri)
    if path is None or not uri.startswith("file:"):
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(path)


class Session:
    def __init__(self, server: LanguageServer, log_handler: ClientLogHandler | None = None) -> None:
        self.server = server
        self.log_handler = log_handler
        self.features = ClientFeatures()
        self.encoding = "utf-16"
        self.documents: dict[str, DocumentState] = {}
        self.open_texts = OpenTexts()
        self.projects = ProjectCache(self.open_texts.get)
        self.executor = ThreadPoolExecutor(
            max_workers=ANALYSIS_THREADS, thread_name_prefix="fastapi-practices-analysis"
        )
        self.configuration = EditorConfiguration(server, log_handler)
        self.generation = 0
        self._sequence = itertools.count(1)
        self.settings_ready = asyncio.Event()
        self.config_warnings = Notifier(server)

    # Lifecycle -----------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        if self.log_handler is not None:
            self.log_handler.loop = asyncio.get_running_loop()
        self.features = ClientFeatures.of(params.capabilities)
        self.encoding = encoding_name(self.server.workspace.position_encoding)
        self.configuration.initialization_options = params.initialization_options
        self.configuration.apply(report=False)

    async def initialized(self, params: types.InitializedParams) -> None:
        try:
            await self.configuration.pull(self.features)
            self.configuration.apply(report=True)
        finally:
            self.settings_ready.set()
        await self.configuration.register_for_changes(self.features)

    @property
    def editor(self) -> settings.EditorSettings:
        return self.configuration.current

    async def shutdown(self, params: None) -> None:
        for state in self.documents.values():
            state.cancel_pending()
        self.executor.shutdown(wait=False, cancel_futures=True)

    # Documents -----------------------------------------------------------------------------

    async def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = _path_of(item.uri)
        if not is_python(item.language_id, path, item.uri):
            return
        previous = self.documents.get(item.uri)
        if previous is not None:
            previous.cancel_pending()
        self.documents[item.uri] = DocumentState(item.uri, path, opened=next(self._sequence))
        if path is not None:
            self.open_texts.set(path, item.text)
        self.schedule(item.uri, delay_ms=0)

    async def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = self.documents.get(uri)
        if state is None:
            return
        if state.path is not None:
            self.open_texts.set(state.path, self.server.workspace.get_text_document(uri).source)
        self.schedule(uri, delay_ms=self.editor.debounce_ms)

    async def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith(CONFIG_FILE):
            self.configuration_files_changed()
            return
        if uri not in self.documents:
            return
        self.schedule(uri, delay_ms=0)
        # Other open files may import what was just saved.
        for other in self.documents:
            if other != uri:
                self.schedule(other, delay_ms=self.editor.debounce_ms)

    async def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        state = self.documents.pop(params.text_document.uri, None)
        if state is None:
            return
        state.cancel_pending()
        if state.path is not None:
            self.open_texts.discard(state.path)
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, diagnostics=[])
        )

    # Configuration -------------------------------------------------------------------------

    async def did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        self.configuration.take_push(params.settings)
        await self.configuration.pull(self.features)
        if self.configuration.apply(report=True):
            self.republish_all()

    async def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(CONFIG_FILE) for change in params.changes):
            self.configuration_files_changed()

    def configuration_files_changed(self) -> None:
        logger.info("a %s changed; reloading project settings", CONFIG_FILE)
        self.projects.invalidate()
        self.config_warnings.forget()
        self.republish_all()

    # Analysis ------------------------------------------------------------------------------

    def schedule(self, uri: str, delay_ms: int) -> None:
        """(Re)start the analysis of one document after `delay_ms`; a newer call replaces it."""
        state = self.documents.get(uri)
        if state is None:
            return
        state.cancel_pending()
        state.task = asyncio.get_running_loop().create_task(self._refresh(uri, delay_ms))

    def republish_all(self) -> None:
        self.generation += 1
        for uri in list(self.documents):
            self.schedule(uri, delay_ms=0)

    async def _refresh(self, uri: str, delay_ms: int) -> None:
        try:
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            if not self.settings_ready.is_set():
                await asyncio.wait_for(self.settings_ready.wait(), CLIENT_REPLY_TIMEOUT * 2)
            analysis = await self._analyse(uri)
            if analysis is not None:
                self._publish(analysis)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("analysis of %s failed", uri)

    def _snapshot(self, uri: str) -> Snapshot | None:
        state = self.documents.get(uri)
        if state is None:
            return None
        document = self.server.workspace.get_text_document(uri)
        return Snapshot(
            uri=uri,
            version=document.version,
            text=document.source,
            path=state.path,
            encoding=self.encoding,
            editor=self.editor,
            generation=self.generation,
            sequence=next(self._sequence),
            opened=state.opened,
        )

    async def _analyse(self, uri: str) -> Analysis | None:
        snapshot = self._snapshot(uri)
        if snapshot is None:
            return None
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(
            self.executor, run_analysis, snapshot, self.projects, self.open_texts.text_of
        )
        state = self.documents.get(uri)
        if state is not None and state.opened == snapshot.opened:
            state.remember(analysis)
        return analysis

    def _is_current(self, analysis: Analysis) -> bool:
        state = self.documents.get(analysis.snapshot.uri)
        if state is None or state.opened != analysis.snapshot.opened:
            return False
        document = self.server.workspace.get_text_document(state.uri)
        return (
            document.version == analysis.snapshot.version
            and analysis.snapshot.generation == self.generation
        )

    def _publish(self, analysis: Analysis) -> None:
        """Publish unless a newer version or newer settings are already on their way."""
        state = self.documents.get(analysis.snapshot.uri)
        if state is None or not self._is_current(analysis):
            return
        if analysis.snapshot.sequence <= state.published_sequence:
            return
        state.published_sequence = analysis.snapshot.sequence
        if analysis.config_error:
            self.config_warnings.warn_once([analysis.config_error])
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=analysis.snapshot.uri,
                version=analysis.snapshot.version,
                diagnostics=analysis.diagnostics,
            )
        )

    async def current_analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document as it is now (cached when nothing changed)."""
        state = self.documents.get(uri)
        if state is None:
            return None
        if state.latest is not None and self._is_current(state.latest):
            return state.latest
        return await self._analyse(uri)

    # Features ------------------------------------------------------------------------------

    async def code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        if not self.features.code_action_literals:
            return None
        analysis = await self.current_analysis(params.text_document.uri)
        if analysis is None:
            return None
        loop = asyncio.get_running_loop()
        actions = await loop.run_in_executor(
            self.executor,
            code_actions.code_actions,
            analysis,
            params,
            self.features,
            self.editor.fix_all,
        )
        return actions or None

    async def resolve_code_action(self, action: types.CodeAction) -> types.CodeAction:
        data: Any = action.data
        uri = data.get("uri") if isinstance(data, dict) else None
        if not isinstance(uri, str):
            return action
        analysis = await self.current_analysis(uri)
        if analysis is None:
            return action
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.executor, code_actions.resolve, action, analysis, self.features
        )

    async def hover(self, params: types.HoverParams) -> types.Hover | None:
        analysis = await self.current_analysis(params.text_document.uri)
        if analysis is None:
            return None
        return hover.hover(analysis, params.position, self.features.markdown_hover)
