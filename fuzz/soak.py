"""LSP soak: random incremental edits at full speed across several open documents, with
closes during analysis, reopens, stale code actions and hovers, cancelled requests,
configuration changes and watched-file events for files that are gone.

Afterwards the server must be alive, the last diagnostics it published for each document must
be what `check` gives for the final text (the engine with the project's index), and no
document may have received an older version's diagnostics after a newer one's.

`run_soak` drives any pytest-lsp client made by `make_soak_client`; the bounded test and the
long run (`python -m fuzz lsp`) share it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import load_project
from fastapi_practices.engine import analyze
from fastapi_practices.lsp.convert import TextLines
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from fuzz.mutations import TOKEN_POOL

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
SECTION = "fastapiPractices"
REPLY_TIMEOUT = 30.0
QUIET_SECONDS = 1.0
_BREAK = re.compile(r"\r\n|\r|\n")
TYPED = (*TOKEN_POOL, "é", "😀", "名前", "\r\n", "    ", "x", "0", "'", "pass\n")
CONFIGURATIONS: tuple[dict[str, Any], ...] = (
    {},
    {"ignore": ["FBP201"]},
    {"severity": {"FBP2": "error"}},
    {"select": ["FBP2", "FBP4"]},
    {"debounceMs": 0},
    {"select": ["NOPE"]},  # a bad value: warned about once, then ignored
    {"enable": False},
)


@dataclass
class Event:
    """What the client saw or did, in order: a publish, or an open/close it sent."""

    kind: str
    uri: str
    version: int | None = None
    diagnostics: list[types.Diagnostic] = field(default_factory=list)


class SoakClient(LanguageClient):
    """pytest-lsp's client, keeping every publish and every open/close in one ordered list."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []


def _record_publish(client: SoakClient, params: types.PublishDiagnosticsParams) -> None:
    client.events.append(Event("publish", params.uri, params.version, list(params.diagnostics)))
    client.diagnostics[params.uri] = params.diagnostics


def _accept_registration(client: SoakClient, params: types.RegistrationParams) -> None:
    return None


def make_soak_client() -> SoakClient:
    client = SoakClient()
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            PUBLISH: _record_publish,
            types.CLIENT_REGISTER_CAPABILITY: _accept_registration,
        },
    )
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "fastapi_practices.lsp", "--stdio"],
    client_factory=make_soak_client,
)


async def initialize(client: SoakClient, root: Path) -> str:
    """Start a VS Code-like session on `root`; the negotiated position encoding."""
    client.set_configuration({}, section=SECTION)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"debounceMs": 10},
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="soak")],
        )
    )
    encoding = result.capabilities.position_encoding
    return str(getattr(encoding, "value", encoding or "utf-16"))


# Positions ---------------------------------------------------------------------------------


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def position(text: str, offset: int, encoding: str) -> types.Position:
    starts = _line_starts(text)
    line = max(i for i, start in enumerate(starts) if start <= offset)
    return types.Position(line=line, character=_units(text[starts[line] : offset], encoding))


def offsets(text: str) -> list[int]:
    """Offsets a client position can name (never between the CR and LF of one line break)."""
    return [i for i in range(len(text) + 1) if not (text[i - 1 : i + 1] == "\r\n" and i > 0)]


# Documents ---------------------------------------------------------------------------------


@dataclass
class Document:
    path: Path
    text: str
    version: int = 1
    open: bool = False

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    @property
    def language(self) -> str:
        return {".py": "python", ".ini": "ini", ".toml": "toml"}.get(self.path.suffix, "plaintext")


@dataclass
class SoakReport:
    actions: int = 0
    edits: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Soak:
    def __init__(
        self, client: SoakClient, root: Path, docs: list[Path], encoding: str, seed: int
    ) -> None:
        self.client = client
        self.root = root
        self.encoding = encoding
        self.rng = random.Random(seed)
        self.docs = [Document(p, p.read_text(encoding="utf-8")) for p in docs]
        self.pending: list[asyncio.Future[Any]] = []
        self.scratch: list[Path] = []
        self.report = SoakReport()
        self._next_id = 0

    # Actions --------------------------------------------------------------------------

    def open(self, doc: Document) -> None:
        self.client.events.append(Event("open", doc.uri, doc.version))
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=doc.uri, language_id=doc.language, version=doc.version, text=doc.text
                )
            )
        )
        doc.open = True

    def close(self, doc: Document) -> None:
        self.client.events.append(Event("close", doc.uri, doc.version))
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=doc.uri)
            )
        )
        doc.open = False

    def edit(self, doc: Document) -> None:
        """One didChange with one or more incremental changes, each against the text so far."""
        events: list[types.TextDocumentContentChangeEvent] = []
        for _ in range(1 if self.rng.random() < 0.8 else self.rng.randint(2, 4)):
            start, end, new_text = self._random_change(doc.text)
            rng = types.Range(
                start=position(doc.text, start, self.encoding),
                end=position(doc.text, end, self.encoding),
            )
            events.append(types.TextDocumentContentChangePartial(range=rng, text=new_text))
            doc.text = doc.text[:start] + new_text + doc.text[end:]
        doc.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=doc.uri, version=doc.version
                ),
                content_changes=events,
            )
        )
        self.report.edits += 1

    def _random_change(self, text: str) -> tuple[int, int, str]:
        places = offsets(text)
        start = self.rng.choice(places)
        roll = self.rng.random()
        if roll < 0.5:
            return start, start, self.rng.choice(TYPED)
        end = self.rng.choice([p for p in places if start <= p <= start + 40])
        return start, end, "" if roll < 0.8 else self.rng.choice(TYPED)

    def replace_all(self, doc: Document, text: str) -> None:
        doc.text = text
        doc.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=doc.uri, version=doc.version
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        self.report.edits += 1

    def _stale_range(self, doc: Document) -> types.Range:
        """A range from this text or from a made-up older one (possibly past the end)."""
        if self.rng.random() < 0.3:
            line = self.rng.randint(0, doc.text.count("\n") + 5)
            return types.Range(
                start=types.Position(line=line, character=self.rng.randint(0, 200)),
                end=types.Position(line=line + self.rng.randint(0, 3), character=0),
            )
        start = self.rng.choice(offsets(doc.text))
        return types.Range(
            start=position(doc.text, start, self.encoding),
            end=position(doc.text, start, self.encoding),
        )

    def _published(self, doc: Document) -> list[types.Diagnostic]:
        for event in reversed(self.client.events):
            if event.kind == "publish" and event.uri == doc.uri:
                return event.diagnostics
        return []

    def request(self, method: str, params: Any, cancel: bool = False) -> None:
        self._next_id += 1
        msg_id = f"soak-{self._next_id}"
        future: asyncio.Future[Any]
        if cancel:
            # Sent at once, so that the cancellation follows it on the wire.
            future = asyncio.wrap_future(
                self.client.protocol.send_request(method, params, msg_id=msg_id)
            )
            self.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
        else:
            # pytest-lsp checks the answer against the client's capabilities.
            future = asyncio.ensure_future(
                self.client.protocol.send_request_async(method, params, msg_id=msg_id)
            )
        self.pending.append(future)
        self.report.requests += 1

    def code_action(self, doc: Document, cancel: bool = False) -> None:
        diagnostics = self._published(doc)
        self.request(
            types.TEXT_DOCUMENT_CODE_ACTION,
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=doc.uri),
                range=self._stale_range(doc),
                context=types.CodeActionContext(
                    diagnostics=self.rng.sample(diagnostics, min(len(diagnostics), 3))
                ),
            ),
            cancel,
        )

    def hover(self, doc: Document, cancel: bool = False) -> None:
        rng = self._stale_range(doc)
        self.request(
            types.TEXT_DOCUMENT_HOVER,
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=doc.uri), position=rng.start
            ),
            cancel,
        )

    async def resolve_some(self) -> None:
        """Resolve code actions answered earlier, after the documents moved on."""
        done = [f for f in self.pending if f.done() and not f.cancelled()]
        for future in done:
            if future.exception() is not None:
                continue
            result = future.result()
            if isinstance(result, list):
                for action in result[:2]:
                    if isinstance(action, types.CodeAction) and action.data is not None:
                        self.request(types.CODE_ACTION_RESOLVE, action)

    def configure(self) -> None:
        settings = self.rng.choice(CONFIGURATIONS)
        if self.rng.random() < 0.5:
            self.client.set_configuration(settings, section=SECTION)
            pushed: Any = None
        else:
            pushed = {SECTION: settings}
        self.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=pushed)
        )

    def watched_files(self) -> None:
        """Create a module and announce it, or delete one (or a file that never was)."""
        roll = self.rng.random()
        changes = []
        if roll < 0.4:
            path = self.root / "src" / f"scratch_{len(self.scratch)}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("from fastapi import HTTPException\n\nX = 1\n", encoding="utf-8")
            self.scratch.append(path)
            changes.append(types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Created))
        elif roll < 0.8 and self.scratch:
            path = self.scratch.pop(self.rng.randrange(len(self.scratch)))
            path.unlink(missing_ok=True)
            kind = self.rng.choice((types.FileChangeType.Deleted, types.FileChangeType.Changed))
            changes.append(types.FileEvent(uri=path.as_uri(), type=kind))
        elif roll < 0.9:
            ghost = self.root / "src" / "never_there" / "ghost.py"
            changes.append(types.FileEvent(uri=ghost.as_uri(), type=types.FileChangeType.Deleted))
        else:
            # An open document's file deleted behind the editor's back (it stays open).
            doc = self.rng.choice(self.docs)
            doc.path.unlink(missing_ok=True)
            changes.append(types.FileEvent(uri=doc.uri, type=types.FileChangeType.Deleted))
        self.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=changes)
        )

    def save(self, doc: Document) -> None:
        doc.path.write_text(doc.text, encoding="utf-8", newline="")
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc.uri))
        )

    async def step(self) -> None:
        doc = self.rng.choice(self.docs)
        roll = self.rng.random()
        self.report.actions += 1
        if not doc.open:
            if roll < 0.7:
                doc.version += 1  # a reopening starts above every version published before
                self.open(doc)
            return
        if roll < 0.6:
            self.edit(doc)
        elif roll < 0.63:
            source = self.rng.choice(self.docs).text
            self.replace_all(doc, source if self.rng.random() < 0.7 else source[::2])
        elif roll < 0.70:
            self.code_action(doc)
        elif roll < 0.75:
            self.hover(doc)
        elif roll < 0.79:
            (self.code_action if self.rng.random() < 0.5 else self.hover)(doc, cancel=True)
        elif roll < 0.83:
            self.close(doc)
            if self.rng.random() < 0.5:
                doc.version += 1
                self.open(doc)  # at once: the old opening's analysis may still be running
        elif roll < 0.86:
            self.configure()
        elif roll < 0.90:
            self.watched_files()
        elif roll < 0.93:
            self.save(doc)
        elif roll < 0.95:
            await self.resolve_some()
        else:
            await asyncio.sleep(self.rng.choice((0, 0.001, 0.01, 0.05)))

    # The end ----------------------------------------------------------------------------

    async def drain_requests(self) -> None:
        """Every request got an answer (a result, or an error such as 'cancelled')."""
        for future in self.pending:
            try:
                await asyncio.wait_for(asyncio.shield(future), REPLY_TIMEOUT)
            except asyncio.TimeoutError:
                self.report.failures.append("a request got no answer")
            except (asyncio.CancelledError, Exception):  # an error reply is an answer
                continue
        self.pending.clear()

    async def settle(self) -> None:
        """Neutral settings, every document open and saved, then one more version each."""
        self.client.set_configuration({}, section=SECTION)
        self.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={SECTION: {}})
        )
        for doc in self.docs:
            if not doc.open:
                doc.version += 1
                self.open(doc)
            self.save(doc)
        await self.quiet()
        for doc in self.docs:
            self.replace_all(doc, doc.text)
        for doc in self.docs:
            await self.wait_for_version(doc)
        await self.quiet()

    async def wait_for_version(self, doc: Document) -> None:
        async def poll() -> None:
            while not any(
                e.kind == "publish" and e.uri == doc.uri and e.version == doc.version
                for e in self.client.events
            ):
                await asyncio.sleep(0.02)

        try:
            await asyncio.wait_for(poll(), REPLY_TIMEOUT)
        except asyncio.TimeoutError:
            self.report.failures.append(f"{doc.path.name}: no diagnostics for v{doc.version}")

    async def quiet(self) -> None:
        """Wait until nothing has been published for a while (bounded)."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        seen = len(self.client.events)
        calm_since = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            if len(self.client.events) != seen:
                seen = len(self.client.events)
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= QUIET_SECONDS:
                return

    def check_versions(self) -> None:
        """Per document: versions published never go back, and nothing of an opening arrives
        after the server cleared it on close (a reopening always has a higher version)."""
        newest: dict[str, int] = {}
        closes: dict[str, list[int]] = {}
        clears: dict[str, int] = {}
        floor: dict[str, int] = {}
        for event in self.client.events:
            name = Path(event.uri).name
            if event.kind == "close":
                closes.setdefault(event.uri, []).append(event.version or 0)
            elif event.kind == "publish" and event.version is None:
                seen = clears.get(event.uri, 0)
                clears[event.uri] = seen + 1
                if seen < len(closes.get(event.uri, [])):
                    floor[event.uri] = closes[event.uri][seen]
            elif event.kind == "publish":
                if event.version <= floor.get(event.uri, 0):
                    self.report.failures.append(f"{name}: v{event.version} published after close")
                if event.version < newest.get(event.uri, 0):
                    self.report.failures.append(
                        f"{name}: v{event.version} published after v{newest[event.uri]}"
                    )
                newest[event.uri] = max(newest.get(event.uri, 0), event.version)

    def check_final_diagnostics(self) -> None:
        """The last publish of each document equals the engine's findings with the project's
        index, as `check` computes them, for the final text."""
        project = load_project(self.docs[0].path)
        workspace = ProjectIndexes({project.root: project.settings}).get(project.root)
        for doc in self.docs:
            expected = {
                _key(f.code, TextLines(doc.text, self.encoding).range_to_client(f.range))
                for f in analyze(doc.text, doc.path, project.settings, workspace)
            }
            published = {_key(str(d.code), d.range) for d in self._published(doc)}
            if published != expected:
                self.report.failures.append(
                    f"{doc.path.name}: published {sorted(published - expected)} "
                    f"but check gives {sorted(expected - published)} beyond the common ones"
                )

    async def check_alive(self) -> None:
        doc = self.docs[0]
        try:
            await asyncio.wait_for(
                self.client.text_document_hover_async(
                    types.HoverParams(
                        text_document=types.TextDocumentIdentifier(uri=doc.uri),
                        position=types.Position(line=0, character=0),
                    )
                ),
                REPLY_TIMEOUT,
            )
        except Exception as error:
            self.report.failures.append(f"the server does not answer any more: {error!r}")


def _key(code: str, rng: types.Range) -> tuple[str, int, int, int, int]:
    return (code, rng.start.line, rng.start.character, rng.end.line, rng.end.character)


async def run_soak(
    client: SoakClient,
    root: Path,
    docs: list[Path],
    encoding: str,
    actions: int,
    seed: int = 0,
    progress: Callable[[int], Awaitable[None]] | None = None,
) -> SoakReport:
    """`actions` random steps, then the checks. Failures are collected, never raised."""
    soak = Soak(client, root, docs, encoding, seed)
    started = time.perf_counter()
    for doc in soak.docs:
        soak.open(doc)
    for number in range(actions):
        await soak.step()
        if number % 50 == 49:
            await asyncio.sleep(0)  # let replies in, as an editor's event loop would
        if progress is not None and number % 500 == 499:
            await progress(number + 1)
    await soak.drain_requests()
    await soak.settle()
    await soak.drain_requests()
    soak.report.seconds = time.perf_counter() - started
    soak.check_versions()
    soak.check_final_diagnostics()
    await soak.check_alive()
    with contextlib.suppress(Exception):
        for path in soak.scratch:
            path.unlink(missing_ok=True)
    return soak.report
