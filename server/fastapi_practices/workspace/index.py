"""The workspace index: every module's facts, the import graph, and cross-file answers.

Mutations (`update`, `remove`, `refresh_from_disk`) run under a lock and swap in a new
immutable snapshot; readers use whichever snapshot they picked up, so a query never sees a
half-applied change. The index also serves as the engine's `WorkspaceContext`.
"""

from __future__ import annotations

import ast
import copy
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar, cast

from fastapi_practices.config import Project, Settings
from fastapi_practices.workspace.context import ModuleSource
from fastapi_practices.workspace.discovery import DEFAULT_MAX_BYTES, SkippedPath, discover
from fastapi_practices.workspace.facts import (
    FunctionFact,
    HandlerFact,
    IncludeFact,
    ModuleFacts,
    RouteFact,
    RouterFact,
    SettingsFact,
    content_hash,
    extract_facts,
    project_wide_facts,
)
from fastapi_practices.workspace.modules import (
    SettingsFor,
    fallback_module_name,
    import_roots,
    module_names,
)

logger = logging.getLogger(__name__)

PARALLEL_THRESHOLD = 64
_BATCH = 32
_MAX_ALIAS_DEPTH = 8
T = TypeVar("T")
_PROJECT_WIDE_TABLES = (
    "known_routers",
    "routes",
    "includes",
    "includes_by_router",
    "base_model_counts",
    "dependency_aliases",
)
"""Snapshot tables that read only project-wide facts (see `project_wide_facts`) and aliases."""
Progress = Callable[[int, int], None]
Classify = Callable[[str, Path], tuple[str | None, str | None]]
"""(module name, path) -> (domain, role); supplied by the layout logic."""


@dataclass(frozen=True)
class Raised:
    """What calling a function may raise, through everything it depends on or calls."""

    statuses: frozenset[int] = frozenset()
    exceptions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Job:
    path: Path
    module: str
    is_package: bool


class _Snapshot:
    """One immutable state of the index; derived tables are computed on first use."""

    def __init__(self, files: Mapping[Path, ModuleFacts], spellings: Mapping[str, str]) -> None:
        self.files = files
        self.spellings = spellings
        """Every dotted name a workspace module answers to -> its canonical name."""
        self._lock = threading.Lock()
        self._raises: dict[str, Raised] = {}
        self._derived: dict[str, object] = {}

    def derived(self, key: str, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._derived:
                return cast(T, self._derived[key])
        value = compute()
        with self._lock:
            return cast(T, self._derived.setdefault(key, value))

    @cached_property
    def known_routers(self) -> frozenset[str]:
        return frozenset(r.qualname for facts in self.files.values() for r in facts.routers)

    @cached_property
    def routes(self) -> tuple[RouteFact, ...]:
        return tuple(r for facts in self.files.values() for r in self.known_routes_of(facts))

    def known_routes_of(self, facts: ModuleFacts) -> list[RouteFact]:
        """The module's routes on a known app or router, the router spelled canonically."""
        known = self.known_routers
        found = []
        for route in facts.routes:
            router = self.canonical(route.router)
            if router in known or route.router in known:
                found.append(replace(route, router=router) if router != route.router else route)
        return found

    @cached_property
    def by_module(self) -> dict[str, ModuleFacts]:
        return {facts.module: facts for facts in self.files.values()}

    @cached_property
    def paths(self) -> dict[str, Path]:
        return {facts.module: path for path, facts in self.files.items()}

    @cached_property
    def aliases(self) -> dict[str, dict[str, str]]:
        return {facts.module: dict(facts.aliases) for facts in self.files.values()}

    @cached_property
    def functions(self) -> dict[str, FunctionFact]:
        return {f.qualname: f for facts in self.files.values() for f in facts.functions}

    @cached_property
    def dependency_aliases(self) -> dict[str, str]:
        return {
            alias: self.canonical(target)
            for facts in self.files.values()
            for alias, target in facts.dependency_aliases
        }

    @cached_property
    def base_model_counts(self) -> dict[str, int]:
        candidates = {
            name: 0 for facts in self.files.values() for name in facts.base_model_candidates
        }
        for facts in self.files.values():
            for klass in facts.classes:
                for base in klass.bases:
                    name = self.canonical(base)
                    if name in candidates and name != klass.qualname:
                        candidates[name] += 1
        return candidates

    @cached_property
    def imports(self) -> dict[str, frozenset[str]]:
        """Canonical module -> the workspace modules it imports."""
        return {facts.module: self.imports_of(facts) for facts in self.files.values()}

    def imports_of(self, facts: ModuleFacts) -> frozenset[str]:
        targets = {self.owning_module(name) for name in facts.imports}
        return frozenset(t for t in targets if t is not None and t != facts.module)

    def with_file(self, path: Path, facts: ModuleFacts) -> _Snapshot:
        """This snapshot with one file's facts replaced (its module name unchanged).

        Tables already derived are patched rather than rebuilt, so that analysing an edited
        file against a large project costs little more than the file itself."""
        previous = self.files.get(path)
        files = dict(self.files)
        files[path] = facts
        new = _Snapshot(files, self.spellings)
        derived = self.__dict__
        carried = new.__dict__
        # The import graph of this snapshot is computed once and patched for each view.
        graph = dict(self.imports)
        graph[facts.module] = new.imports_of(facts)
        carried["imports"] = graph
        if graph[facts.module] == self.imports.get(facts.module):
            carried["importers"] = self.importers
        if previous is None:
            return new
        if "by_module" in derived:
            carried["by_module"] = {**self.by_module, facts.module: facts}
        if "paths" in derived:
            carried["paths"] = self.paths
        if "aliases" in derived:
            carried["aliases"] = {**self.aliases, facts.module: dict(facts.aliases)}
        if "functions" in derived:
            functions = dict(self.functions)
            for function in previous.functions:
                functions.pop(function.qualname, None)
            functions.update((function.qualname, function) for function in facts.functions)
            carried["functions"] = functions
        if previous.functions == facts.functions:
            new._raises = self._raises
        if (
            previous.aliases == facts.aliases
            and previous.imports == facts.imports
            and project_wide_facts(previous) == project_wide_facts(facts)
        ):
            # Typing inside a line changes none of these: compute them once on this snapshot
            # and share them with every view that differs from it the same way.
            for name in _PROJECT_WIDE_TABLES:
                carried[name] = getattr(self, name)
            new._derived = self._derived
            return new
        if previous.routers == facts.routers:
            carried["known_routers"] = self.known_routers
            if previous.aliases == facts.aliases:
                old = {(r.function, r.method, r.line) for r in previous.routes}
                kept = [r for r in self.routes if (r.function, r.method, r.line) not in old]
                carried["routes"] = (*kept, *new.known_routes_of(facts))
        return new

    @cached_property
    def importers(self) -> dict[str, frozenset[str]]:
        reverse: dict[str, set[str]] = {}
        for module, targets in self.imports.items():
            for target in targets:
                reverse.setdefault(target, set()).add(module)
        return {module: frozenset(found) for module, found in reverse.items()}

    @cached_property
    def includes(self) -> tuple[IncludeFact, ...]:
        """Every `include_router` call, with names spelled canonically."""
        return tuple(
            replace(
                include,
                owner=self.canonical(include.owner) if include.owner else None,
                router=self.canonical(include.router) if include.router else None,
            )
            for facts in self.files.values()
            for include in facts.includes
        )

    @cached_property
    def includes_by_router(self) -> dict[str, tuple[IncludeFact, ...]]:
        found: dict[str, list[IncludeFact]] = {}
        for include in self.includes:
            if include.router is not None:
                found.setdefault(include.router, []).append(include)
        return {router: tuple(includes) for router, includes in found.items()}

    def owning_module(self, qualname: str) -> str | None:
        """The canonical workspace module that `qualname` is (or is defined in)."""
        name = qualname
        while name:
            found = self.spellings.get(name)
            if found is not None:
                return found
            name = name.rpartition(".")[0]
        return None

    def canonical(self, qualname: str, depth: int = 0) -> str:
        """`qualname` with the module spelled canonically and re-exports followed."""
        name, rest = qualname, ""
        while name:
            module = self.spellings.get(name)
            if module is not None:
                if not rest:
                    return module
                head, _, tail = rest.partition(".")
                target = self.aliases.get(module, {}).get(head)
                if target is not None and depth < _MAX_ALIAS_DEPTH:
                    return self.canonical(f"{target}.{tail}" if tail else target, depth + 1)
                return f"{module}.{rest}"
            name, _, last = name.rpartition(".")
            rest = f"{last}.{rest}" if rest else last
        return qualname

    def dependents(self, module: str) -> set[str]:
        """`module` and every module that imports it, directly or not."""
        found = {module}
        pending = [module]
        importers = self.importers
        while pending:
            for importer in importers.get(pending.pop(), ()):
                if importer not in found:
                    found.add(importer)
                    pending.append(importer)
        return found

    def raised_by(self, qualname: str, follow_calls: bool = True) -> Raised:
        key = qualname if follow_calls else f"{qualname} (dependencies only)"
        with self._lock:
            cached = self._raises.get(key)
        if cached is not None:
            return cached
        statuses: set[int] = set()
        exceptions: set[str] = set()
        seen: set[str] = set()
        pending = [self.canonical(qualname)]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            function = self.functions.get(current)
            if function is None:
                continue
            statuses.update(function.raises_status)
            exceptions.update(self.canonical(name) for name in function.raises)
            pending.extend(self.dependencies_of(function))
            if follow_calls:
                pending.extend(self.canonical(name) for name in function.calls)
        answer = Raised(frozenset(statuses), frozenset(exceptions))
        with self._lock:
            self._raises[key] = answer
        return answer

    def dependencies_of(self, function: FunctionFact) -> list[str]:
        """What `function` depends on: `Depends`/`Security` targets and `Annotated` aliases."""
        found = [self.canonical(name) for name in function.depends]
        for name in function.annotation_names:
            target = self.dependency_aliases.get(self.canonical(name))
            if target is not None:
                found.append(target)
        return found


@dataclass
class _Stats:
    extractions: int = 0
    cache_hits: int = 0
    skipped: list[SkippedPath] = field(default_factory=list)


class WorkspaceIndex:
    """Facts of every Python module under the workspace roots, kept current by edits."""

    def __init__(
        self,
        roots: Sequence[Path],
        settings_for: SettingsFor | None = None,
        classify: Classify | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.roots = tuple(root.resolve() for root in roots)
        self.settings_for = settings_for
        self.classify = classify
        self.max_bytes = max_bytes
        self.import_roots = import_roots(self.roots, settings_for)
        self.stats = _Stats()
        self._lock = threading.Lock()
        self._overlays: dict[Path, str] = {}
        # The facts the newest analysis view extracted per file, so that feeding the same
        # editor text to the index afterwards does not extract them again.
        self._view_facts: dict[Path, ModuleFacts] = {}
        self._snapshot = _Snapshot({}, {})

    # ----- building ---------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        roots: Sequence[Path],
        settings_for: SettingsFor | None = None,
        *,
        classify: Classify | None = None,
        progress: Progress | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        workers: int | None = None,
        start_method: str = "spawn",
    ) -> WorkspaceIndex:
        """Discover and index every file; in parallel processes when there are many.

        `start_method`: how worker processes start. `spawn` is the safe default (the server
        builds from a thread); a single-threaded caller on Linux may pass `fork`, which starts
        workers without re-importing everything."""
        index = cls(roots, settings_for, classify, max_bytes)
        started = time.perf_counter()
        found = discover(list(index.roots), _SettingsProjects(settings_for), max_bytes)
        index.stats.skipped.extend(found.skipped)
        jobs = [index._job(source.path.resolve()) for source in found.files]
        results = _extract_all(jobs, progress, workers, start_method)
        index.stats.extractions += len(jobs)
        files = {
            job.path: index._classified(facts)
            for job, facts in zip(jobs, results, strict=True)
            if facts is not None
        }
        with index._lock:
            index._snapshot = _Snapshot(files, index._spellings(files))
        logger.info(
            "indexed %d files in %.2fs (%d skipped)",
            len(files),
            time.perf_counter() - started,
            len(found.skipped),
        )
        return index

    def _job(self, path: Path) -> _Job:
        names = module_names(path, self.import_roots)
        module, is_package = names[0] if names else fallback_module_name(path)
        return _Job(path, module, is_package)

    def _classified(self, facts: ModuleFacts) -> ModuleFacts:
        if self.classify is None:
            return facts
        domain, role = self.classify(facts.module, Path(facts.path))
        return replace(facts, domain=domain, role=role)

    def _spellings(self, files: Mapping[Path, ModuleFacts]) -> dict[str, str]:
        spellings: dict[str, str] = {}
        for path, facts in files.items():
            for name, _ in module_names(path, self.import_roots):
                spellings.setdefault(name, facts.module)
            spellings[facts.module] = facts.module
        return spellings

    # ----- WorkspaceContext -------------------------------------------------------------------
    def __hash__(self) -> int:
        return id(self)

    def module_source(self, module_name: str) -> ModuleSource | None:
        snapshot = self._snapshot
        canonical = snapshot.spellings.get(module_name)
        if canonical is None:
            return None
        path = snapshot.paths.get(canonical)
        if path is None:
            return None
        text = self._overlays.get(path)
        if text is None:
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return ModuleSource(module_name, path, text, snapshot.by_module[canonical].is_package)

    def module_name_for(self, path: Path) -> tuple[str, bool]:
        resolved = path.resolve()
        facts = self._snapshot.files.get(resolved)
        if facts is not None:
            return facts.module, facts.is_package
        names = module_names(resolved, self.import_roots)
        return names[0] if names else fallback_module_name(resolved)

    # ----- incremental updates ----------------------------------------------------------------
    def update(self, path: Path, text: str) -> frozenset[str]:
        """Re-derive one file's facts from editor text; the modules whose answers may change."""
        resolved = path.resolve()
        if resolved.suffix != ".py":
            return frozenset()
        with self._lock:
            self._overlays[resolved] = text
            return self._apply(resolved, text)

    def remove(self, path: Path) -> frozenset[str]:
        """Forget a file (deleted, or no longer part of the workspace)."""
        resolved = path.resolve()
        with self._lock:
            self._overlays.pop(resolved, None)
            return self._apply(resolved, None)

    def close_overlay(self, path: Path) -> frozenset[str]:
        """The editor closed the file: go back to what is on disk."""
        resolved = path.resolve()
        with self._lock:
            self._overlays.pop(resolved, None)
        return self.refresh_from_disk([resolved])

    def refresh_from_disk(self, paths: Iterable[Path]) -> frozenset[str]:
        """Re-read files that changed on disk (files open in the editor keep their text)."""
        changed: set[str] = set()
        for path in paths:
            resolved = path.resolve()
            if resolved in self._overlays or not self._indexable(resolved):
                continue
            text = self._read(resolved)
            with self._lock:
                changed |= self._apply(resolved, text)
        return frozenset(changed)

    def _indexable(self, path: Path) -> bool:
        """A Python file inside a root and not under an excluded name (`.venv`, `build`, ...)."""
        if path.suffix != ".py":
            return False
        for root in self.roots:
            if not path.is_relative_to(root):
                continue
            settings = self.settings_for(root) if self.settings_for else Settings(root=root)
            spec = settings.exclude_spec
            relative = path.relative_to(root)
            folders = [p.as_posix() + "/" for p in reversed(relative.parents) if p.parts]
            return not any(spec.match_file(item) for item in [*folders, relative.as_posix()])
        return False

    def _read(self, path: Path) -> str | None:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                return None  # a FIFO named like a module would block the update thread
            if info.st_size > self.max_bytes:
                logger.info("%s: skipped: larger than %d bytes", path, self.max_bytes)
                return None
            return path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _apply(self, path: Path, text: str | None) -> frozenset[str]:
        """Swap in a snapshot with this file's new facts (None: gone). Caller holds the lock."""
        old = self._snapshot
        previous = old.files.get(path)
        if text is None:
            if previous is None:
                return frozenset()
            files = dict(old.files)
            del files[path]
            self._snapshot = _Snapshot(files, self._spellings(files))
            # A module fewer changes the layout (FBP804 looks for test packages).
            return frozenset(old.by_module)
        job = self._job(path)
        digest = content_hash(text.encode("utf-8", "surrogatepass"))
        if (
            previous is not None
            and previous.module == job.module
            and previous.content_hash == digest
        ):
            self.stats.cache_hits += 1
            return frozenset()
        seen = self._view_facts.pop(path, None)
        if seen is not None and seen.content_hash == digest and seen.module == job.module:
            facts = seen
        else:
            facts = self._classified(extract_facts(text, path, job.module, job.is_package))
            self.stats.extractions += 1
        if previous is not None and previous.module == facts.module:
            new = old.with_file(path, facts)
        else:
            files = dict(old.files)
            files[path] = facts
            new = _Snapshot(files, self._spellings(files))
        self._snapshot = new
        if previous is None or project_wide_facts(previous) != project_wide_facts(facts):
            # Routers, includes, handlers, classes: rules read these across the whole project.
            return frozenset(new.by_module) | frozenset(old.by_module)
        affected = new.dependents(facts.module)
        if previous is not None:
            affected |= old.dependents(previous.module)
        return frozenset(affected)

    def with_text(self, path: Path, text: str, tree: ast.Module | None = None) -> WorkspaceIndex:
        """A read-only view of this index in which `path` holds `text` (self when it already does).

        Analyses use it so that the file being analysed is never judged by stale facts of itself
        while its newest text has not reached the index yet."""
        resolved = path.resolve()
        snapshot = self._snapshot
        previous = snapshot.files.get(resolved)
        if previous is None and not self._indexable(resolved):
            return self
        if previous is not None and previous.content_hash == content_hash(
            text.encode("utf-8", "surrogatepass")
        ):
            return self
        job = self._job(resolved)
        facts = self._classified(extract_facts(text, resolved, job.module, job.is_package, tree))
        self._view_facts[resolved] = facts
        view = copy.copy(self)
        if previous is not None and previous.module == facts.module:
            view._snapshot = snapshot.with_file(resolved, facts)
        else:
            files = dict(snapshot.files)
            files[resolved] = facts
            view._snapshot = _Snapshot(files, self._spellings(files))
        return view

    # ----- queries ----------------------------------------------------------------------------
    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(sorted(self._snapshot.by_module))

    def canonical(self, qualname: str) -> str:
        """`qualname` with its module spelled canonically and re-exports followed."""
        return self._snapshot.canonical(qualname)

    def facts_for(self, module: str) -> ModuleFacts | None:
        snapshot = self._snapshot
        canonical = snapshot.spellings.get(module)
        return snapshot.by_module.get(canonical) if canonical is not None else None

    def facts_for_path(self, path: Path) -> ModuleFacts | None:
        return self._snapshot.files.get(path.resolve())

    def path_of(self, module: str) -> Path | None:
        snapshot = self._snapshot
        canonical = snapshot.spellings.get(module)
        return snapshot.paths.get(canonical) if canonical is not None else None

    def all_facts(self) -> Iterator[ModuleFacts]:
        return iter(tuple(self._snapshot.files.values()))

    def imports_of(self, module: str) -> frozenset[str]:
        snapshot = self._snapshot
        return snapshot.imports.get(snapshot.spellings.get(module, module), frozenset())

    def dependents_of(self, module: str, transitive: bool = True) -> frozenset[str]:
        """Workspace modules importing `module` (not including it)."""
        snapshot = self._snapshot
        canonical = snapshot.spellings.get(module, module)
        if not transitive:
            return snapshot.importers.get(canonical, frozenset())
        return frozenset(snapshot.dependents(canonical) - {canonical})

    def function(self, qualname: str) -> FunctionFact | None:
        snapshot = self._snapshot
        return snapshot.functions.get(snapshot.canonical(qualname))

    def routers(self) -> tuple[RouterFact, ...]:
        return tuple(r for facts in self._snapshot.files.values() for r in facts.routers)

    def routes(self) -> tuple[RouteFact, ...]:
        """Path operations on a known app or router, with names spelled canonically."""
        return self._snapshot.routes

    def derived(self, key: str, compute: Callable[[WorkspaceIndex], T]) -> T:
        """A table a rule derives from the whole project, computed once per state of the index.

        `key` names the table (one per rule and table). `compute` may read the project-wide
        facts (routers, routes, includes, handlers, classes, dependencies, references), module
        aliases and imports, not functions: the table is shared by views that differ only in
        functions."""
        return self._snapshot.derived(key, lambda: compute(self))

    def routers_included(self) -> tuple[IncludeFact, ...]:
        return self._snapshot.includes

    def includes_of(self, router: str) -> tuple[IncludeFact, ...]:
        snapshot = self._snapshot
        return snapshot.includes_by_router.get(snapshot.canonical(router), ())

    def exception_handlers(self) -> tuple[HandlerFact, ...]:
        """Registered handlers with the exception spelled canonically and the status when known."""
        snapshot = self._snapshot
        found = []
        for facts in snapshot.files.values():
            for handler in facts.handlers:
                status = handler.status
                if status is None and handler.handler is not None:
                    function = snapshot.functions.get(snapshot.canonical(handler.handler))
                    if function is not None and len(set(function.response_statuses)) == 1:
                        status = function.response_statuses[0]
                found.append(
                    replace(handler, exception=snapshot.canonical(handler.exception), status=status)
                )
        return tuple(found)

    def custom_base_models(self) -> dict[str, int]:
        """Each BaseModel subclass without fields of its own -> how many classes extend it."""
        return dict(self._snapshot.base_model_counts)

    def settings_classes(self) -> tuple[SettingsFact, ...]:
        return tuple(s for facts in self._snapshot.files.values() for s in facts.settings)

    def dependency_raises(self, qualname: str, *, follow_calls: bool = True) -> Raised:
        """Statuses and exceptions a function raises, through its dependencies and calls.

        `follow_calls=False`: through its dependencies only (`Depends`, `Annotated` aliases),
        not through the helpers and services their bodies call."""
        return self._snapshot.raised_by(qualname, follow_calls)

    def function_dependencies(self, qualname: str) -> tuple[str, ...]:
        """The canonical dependencies a function declares (`Depends`, `Annotated` aliases)."""
        snapshot = self._snapshot
        function = snapshot.functions.get(snapshot.canonical(qualname))
        return tuple(snapshot.dependencies_of(function)) if function is not None else ()


class _SettingsProjects:
    """Discovery's project lookup over a plain `settings_for` callable."""

    def __init__(self, settings_for: SettingsFor | None) -> None:
        self.settings_for = settings_for
        self._cache: dict[Path, Project] = {}

    def for_directory(self, directory: Path, fallback_root: Path) -> Project:
        project = self._cache.get(directory)
        if project is None:
            settings = (
                self.settings_for(directory)
                if self.settings_for is not None
                else Settings(root=fallback_root)
            )
            project = Project(settings.root or fallback_root, settings, None)
            self._cache[directory] = project
        return project


def _extract_all(
    jobs: list[_Job], progress: Progress | None, workers: int | None, start_method: str
) -> list[ModuleFacts | None]:
    total = len(jobs)
    if progress is not None:
        progress(0, total)
    processes = workers if workers is not None else (os.cpu_count() or 1)
    if total < PARALLEL_THRESHOLD or processes < 2:
        results: list[ModuleFacts | None] = []
        for done, job in enumerate(jobs, start=1):
            results.append(_extract_one(job))
            if progress is not None and (done % _BATCH == 0 or done == total):
                progress(done, total)
        return results
    return _extract_parallel(jobs, progress, processes, start_method)


def _extract_parallel(
    jobs: list[_Job], progress: Progress | None, processes: int, start_method: str
) -> list[ModuleFacts | None]:
    total = len(jobs)
    batches = [jobs[start : start + _BATCH] for start in range(0, total, _BATCH)]
    results: list[list[ModuleFacts | None] | None] = [None] * len(batches)
    done = 0
    try:
        context = get_context(start_method)
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            futures = {pool.submit(_extract_batch, batch): i for i, batch in enumerate(batches)}
            for future in as_completed(futures):
                position = futures[future]
                results[position] = future.result()
                done += len(batches[position])
                if progress is not None:
                    progress(done, total)
    except Exception as error:  # a broken pool must not stop indexing
        logger.warning("parallel indexing failed (%s); indexing serially", error)
        return [_extract_one(job) for job in jobs]
    return [facts for batch in results if batch is not None for facts in batch]


def _extract_batch(batch: list[_Job]) -> list[ModuleFacts | None]:
    return [_extract_one(job) for job in batch]


def _extract_one(job: _Job) -> ModuleFacts | None:
    try:
        text = job.path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return extract_facts(text, job.path, job.module, job.is_package)
    except Exception as error:  # one file must never stop the index
        logger.warning("%s: not indexed (%s: %s)", job.path, type(error).__name__, error)
        return None
