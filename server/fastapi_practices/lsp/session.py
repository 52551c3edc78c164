"""The server's state and its handlers: documents, settings, analyses and what gets published."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from fastapi_practices.lsp import code_actions, hover, settings
from fastapi_practices.lsp.analysis import (
    Analysis,
    Snapshot,
    is_analysed,
    run_analysis,
    too_large,
)
from fastapi_practices.lsp.capabilities import ClientFeatures
from fastapi_practices.lsp.configuration import (
    CLIENT_REPLY_TIMEOUT,
    CONFIG_FILE,
    EditorConfiguration,
)
from fastapi_practices.lsp.convert import encoding_name
from fastapi_practices.lsp.documents import DocumentState, OpenTexts
from fastapi_practices.lsp.indexing import BuildProgress, ProjectIndexes, build_index
from fastapi_practices.lsp.messages import ClientLogHandler, Notifier
from fastapi_practices.lsp.projects import ProjectCache
from fastapi_practices.workspace.index import WorkspaceIndex

logger = logging.getLogger("fastapi_practices.lsp")

ANALYSIS_THREADS = 2
INDEX_AFTER_IDLE_SECONDS = 0.3


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
        self.skip_notices = Notifier(server)
        self.indexes = ProjectIndexes(self.projects)
        # One thread each: builds never delay edits, and edits reach the index in order.
        self.index_builder = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="fastapi-practices-index-build"
        )
        self.index_updates = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="fastapi-practices-index-update"
        )
        self._builds: dict[Path, int] = {}
        self._changed_while_building: dict[Path, set[Path]] = {}
        self._build_numbers = itertools.count(1)
        self._background: set[asyncio.Task[None]] = set()
        self._indexing_started = False

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
        self.start_indexing()

    @property
    def editor(self) -> settings.EditorSettings:
        return self.configuration.current

    async def shutdown(self, params: None) -> None:
        for state in self.documents.values():
            state.cancel_pending()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.index_builder.shutdown(wait=False, cancel_futures=True)
        self.index_updates.shutdown(wait=False, cancel_futures=True)

    # Documents -----------------------------------------------------------------------------

    async def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = _path_of(item.uri)
        if not is_analysed(item.language_id, path, item.uri):
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
        state = self.documents.get(uri)
        if state is None:
            return
        self.schedule(uri, delay_ms=0)
        index = self.indexes.index_of(state.path) if state.path is not None else None
        if index is not None and state.path is not None:
            # The editor's text is already in the index; the disk may still differ from it.
            await self._update_index(index, index.refresh_from_disk, [state.path], skip=uri)
            return
        # Without an index, any other open file may import what was just saved.
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
        index = self.indexes.index_of(state.path) if state.path is not None else None
        if index is not None and state.path is not None:
            await self._update_index(index, index.close_overlay, state.path)

    # Configuration -------------------------------------------------------------------------

    async def did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        self.configuration.take_push(params.settings)
        await self.configuration.pull(self.features)
        if self.configuration.apply(report=True):
            self.republish_all()

    async def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(CONFIG_FILE) for change in params.changes):
            self.configuration_files_changed()
            return
        unindexed = False
        for change in params.changes:
            path = _path_of(change.uri)
            if path is None or path.suffix != ".py":
                continue
            root = self.projects.project_for(path).root
            index = self.indexes.ready(root)
            if index is not None:
                gone = change.type == types.FileChangeType.Deleted or not path.exists()
                if gone:
                    await self._update_index(index, index.remove, path)
                else:
                    await self._update_index(index, index.refresh_from_disk, [path])
            elif root in self._builds:
                self._changed_while_building.setdefault(root, set()).add(path)
            else:
                unindexed = True
        if unindexed:
            for uri in list(self.documents):
                self.schedule(uri, delay_ms=self.editor.debounce_ms)

    def configuration_files_changed(self) -> None:
        logger.info("a %s changed; reloading project settings", CONFIG_FILE)
        self.projects.invalidate()
        self.config_warnings.forget()
        if self._indexing_started:
            # Settings decide the roots, exclusions and layout an index was built with.
            self.indexes.clear()
            self._builds.clear()
            self._changed_while_building.clear()
            self.start_indexing()
        self.republish_all()

    # Workspace index ---------------------------------------------------------------------

    def start_indexing(self) -> None:
        """Index every workspace folder's project in the background."""
        self._indexing_started = True
        task = asyncio.get_running_loop().create_task(self._index_workspace())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _workspace_folders(self) -> list[Path]:
        uris = [folder.uri for folder in self.server.workspace.folders.values()]
        if not uris and self.server.workspace.root_uri:
            uris = [self.server.workspace.root_uri]
        folders = [_path_of(uri) for uri in uris]
        return [folder for folder in folders if folder is not None and folder.is_dir()]

    async def _index_workspace(self) -> None:
        loop = asyncio.get_running_loop()
        roots: list[Path] = []
        for folder in self._workspace_folders():
            project = await loop.run_in_executor(
                self.executor, self.projects.project_for, folder / "__init__.py"
            )
            if project.root not in roots:
                roots.append(project.root)
        await asyncio.gather(*(self._index_project(root) for root in roots))

    async def _index_project(self, root: Path) -> None:
        number = next(self._build_numbers)
        self._builds[root] = number
        self._changed_while_building[root] = set()
        progress = await self._begin_progress(f"fastapi-practices/index/{number}")
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        index: WorkspaceIndex | None = None
        try:
            index = await loop.run_in_executor(
                self.index_builder, build_index, root, self.indexes.settings_for, progress
            )
        except Exception:
            logger.exception("indexing %s failed; cross-file answers come from disk", root)
        finally:
            if progress is not None:
                progress.end("done" if index is not None else "failed")
        if self._builds.get(root) != number:
            return  # settings changed meanwhile; a newer build replaces this one
        del self._builds[root]
        changed = self._changed_while_building.pop(root, set())
        if index is None:
            return
        self._catch_up(index, root, changed)
        self.indexes.install(root, index)
        self.server.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Info,
                message=(
                    f"fastapi-practices: indexed {len(index.modules)} files of {root} "
                    f"in {time.perf_counter() - started:.2f}s "
                    f"({len(index.stats.skipped)} skipped)"
                ),
            )
        )
        for uri, state in list(self.documents.items()):
            if state.path is not None and self.projects.project_for(state.path).root == root:
                self.schedule(uri, delay_ms=0)

    async def _begin_progress(self, token: str) -> BuildProgress | None:
        if not self.features.work_done_progress:
            return None
        try:
            await asyncio.wait_for(
                self.server.work_done_progress.create_async(token), CLIENT_REPLY_TIMEOUT
            )
        except Exception as error:
            logger.info("the client refused a progress token: %s", error)
            return None
        progress = BuildProgress(self.server, token, asyncio.get_running_loop())
        progress.begin("Indexing FastAPI project")
        return progress

    def _catch_up(self, index: WorkspaceIndex, root: Path, changed: set[Path]) -> None:
        """Apply what happened during the build: disk changes, then the editor's buffers."""
        for path in changed:
            if path.exists():
                index.refresh_from_disk([path])
            else:
                index.remove(path)
        for state in self.documents.values():
            if state.path is None or self.projects.project_for(state.path).root != root:
                continue
            text = self.open_texts.get(state.path)
            if text is not None:
                index.update(state.path, text)

    def _index_snapshot(self, snapshot: Snapshot) -> asyncio.Future[None] | None:
        """Feed the editor's text to the index, after the file's own analysis was published."""
        if snapshot.path is None or too_large(snapshot) is not None:
            return None
        index = self.indexes.index_of(snapshot.path)
        if index is None:
            return None
        return asyncio.ensure_future(
            self._update_index(index, index.update, snapshot.path, snapshot.text, skip=snapshot.uri)
        )

    async def _update_index(
        self,
        index: WorkspaceIndex,
        change: Callable[..., frozenset[str]],
        *args: Any,
        skip: str | None = None,
    ) -> None:
        loop = asyncio.get_running_loop()
        changed = await loop.run_in_executor(self.index_updates, change, *args)
        if changed:
            self._republish_changed(index, changed, skip)

    def _republish_changed(
        self, index: WorkspaceIndex, modules: frozenset[str], skip: str | None
    ) -> None:
        """Re-analyse the open documents whose module may answer differently now."""
        for uri, state in list(self.documents.items()):
            if uri == skip or state.path is None:
                continue
            if self.indexes.index_of(state.path) is not index:
                continue
            if index.module_name_for(state.path)[0] in modules:
                self.schedule(uri, delay_ms=self.editor.debounce_ms)

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
            snapshot = self._snapshot(uri)
            if snapshot is None:
                return
            self._publish(await self._analyse_snapshot(snapshot))
            # The edited file comes first; its text reaches the index only once typing pauses
            # (a newer edit cancels this wait), so the two never compete for the interpreter.
            await asyncio.sleep(INDEX_AFTER_IDLE_SECONDS)
            indexing = self._index_snapshot(snapshot)
            if indexing is not None:
                # A newer edit cancels this task, not the index update it already started.
                await asyncio.shield(indexing)
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
        return await self._analyse_snapshot(snapshot)

    async def _analyse_snapshot(self, snapshot: Snapshot) -> Analysis:
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(
            self.executor,
            run_analysis,
            snapshot,
            self.projects,
            self.open_texts.text_of,
            self.indexes,
        )
        uri = snapshot.uri
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
        if analysis.skipped:
            self.skip_notices.warn_once([analysis.skipped])
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
