"""FBP704 across the project: what an operation's dependencies raise, which statuses the
exception handlers give, and what routers and `include_router` calls elsewhere document.

Only dependencies are followed (`Depends`, `Annotated` aliases, router-level `dependencies=`),
never the helpers and services a body calls.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi_practices.rules.api_design.routes import DocumentedStatuses
from fastapi_practices.workspace.facts import ClassFact, IncludeFact, RouterFact
from fastapi_practices.workspace.index import WorkspaceIndex

# How far up include chains and class hierarchies the answers look.
_MAX_STEPS = 32


class ProjectStatuses:
    """One file's questions to the index, with answers kept for the file's other operations."""

    def __init__(self, project: WorkspaceIndex) -> None:
        self.project = project
        self._includes: dict[str, tuple[IncludeFact, ...]] = {}
        self._documentation: dict[str, DocumentedStatuses] = {}
        self._covered: dict[tuple[str, int], bool] = {}
        self._handlers: dict[str, int | None] | None = None

    # ----- what the operation can answer ------------------------------------------------------
    def dependency_statuses(
        self, operation: str | None, router: str | None
    ) -> tuple[set[int], set[str]]:
        """Statuses and exceptions raised by the operation's dependencies, to any depth."""
        targets = list(self.project.function_dependencies(operation)) if operation else []
        if router is not None:
            targets.extend(self._router_dependencies(router))
        statuses: set[int] = set()
        exceptions: set[str] = set()
        for target in dict.fromkeys(targets):
            raised = self.project.dependency_raises(target, follow_calls=False)
            statuses |= raised.statuses
            exceptions |= raised.exceptions
        return statuses, exceptions

    def handled_statuses(self, exceptions: Iterable[str]) -> set[int]:
        """The statuses that registered handlers give for these workspace exception classes."""
        found: set[int] = set()
        for exception in exceptions:
            status = self._handler_status(self.project.canonical(exception))
            if status is not None:
                found.add(status)
        return found

    def _router_dependencies(self, router: str) -> list[str]:
        """`dependencies=` of the router and of every app or router that includes it."""
        found: list[str] = []
        for current in self._router_chain(router):
            fact = self.router_fact(current)
            if fact is not None:
                found.extend(self.project.canonical(name) for name in fact.dependencies)
        return found

    def _router_chain(self, router: str) -> list[str]:
        chain: list[str] = []
        pending = [router]
        while pending and len(chain) < _MAX_STEPS:
            current = pending.pop()
            if current in chain:
                continue
            chain.append(current)
            pending.extend(i.owner for i in self._includes_of(current) if i.owner)
        return chain

    def _handler_status(self, exception: str) -> int | None:
        """The status of the handler for the class or its nearest workspace base that has one."""
        if self._handlers is None:
            self._handlers = {h.exception: h.status for h in self.project.exception_handlers()}
        handlers = self._handlers
        pending = [exception]
        seen: set[str] = set()
        while pending and len(seen) < _MAX_STEPS:
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            klass = self._class_fact(current)
            if klass is None:
                continue  # not a workspace class: a catch-all handler is no domain answer
            if current in handlers:
                return handlers[current]
            pending.extend(self.project.canonical(base) for base in klass.bases)
        return None

    def _class_fact(self, qualname: str) -> ClassFact | None:
        facts = self.project.facts_for(qualname.rpartition(".")[0])
        if facts is None:
            return None
        return next((c for c in facts.classes if c.qualname == qualname), None)

    # ----- what the project documents ---------------------------------------------------------
    def router_fact(self, router: str) -> RouterFact | None:
        facts = self.project.facts_for(router.rpartition(".")[0])
        if facts is None:
            return None
        return next((r for r in facts.routers if r.qualname == router), None)

    def router_documentation(self, router: str) -> DocumentedStatuses:
        """What the router's (or app's) own `responses=` documents; all when unreadable."""
        found = self._documentation.get(router)
        if found is None:
            fact = self.router_fact(router)
            found = self._documentation[router] = (
                _documented(fact.keywords, fact.responses)
                if fact is not None
                else DocumentedStatuses()
            )
        return found

    def covered_by_includes(self, router: str, code: int) -> bool:
        """Whether every `include_router` of `router` documents `code`: in its own
        `responses=`, in the including router's, or in every include of that one in turn."""
        return self._covered_by_includes(router, code, ())

    def _covered_by_includes(self, router: str, code: int, path: tuple[str, ...]) -> bool:
        key = (router, code)
        cached = self._covered.get(key)
        if cached is not None:
            return cached
        includes = self._includes_of(router)
        if not includes or router in path or len(path) > _MAX_STEPS:
            return False
        covered = all(
            _documented(include.keywords, include.responses).covers(code)
            or (
                include.owner is not None
                and (
                    self.router_documentation(include.owner).covers(code)
                    or self._covered_by_includes(include.owner, code, (*path, router))
                )
            )
            for include in includes
        )
        self._covered[key] = covered
        return covered

    def _includes_of(self, router: str) -> tuple[IncludeFact, ...]:
        found = self._includes.get(router)
        if found is None:
            found = self._includes[router] = self.project.includes_of(router)
        return found


def _documented(
    keywords: tuple[str, ...], responses: tuple[int | str, ...] | None
) -> DocumentedStatuses:
    """What a `responses=` fact documents; everything when it cannot be read."""
    documented = DocumentedStatuses()
    readable = "**" not in keywords and (
        documented.add_keys(responses) if responses is not None else "responses" not in keywords
    )
    if not readable:
        documented.everything = True
    return documented
