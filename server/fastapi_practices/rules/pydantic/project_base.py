"""The project's own base model (FBP305): which class it is, and how a module can name it."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.scopes import Binding, BindingKind

if TYPE_CHECKING:
    from fastapi_practices.workspace.index import WorkspaceIndex

BASE_MODEL_NAMES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})
MIN_EXTENDERS = 2
_STATE_KEY = "pydantic.project-bases"


@dataclass(frozen=True)
class ProjectBase:
    spelling: str
    """The dotted name as configured or found; its module is the one imports name."""
    canonical: str
    """The same class through the index's re-exports (the spelling without an index)."""
    module: str | None
    name: str

    @classmethod
    def parse(cls, spelling: str, ctx: FileContext) -> ProjectBase | None:
        dotted = spelling.strip().replace(":", ".")
        if not dotted or not all(part.isidentifier() for part in dotted.split(".")):
            return None
        module, _, name = dotted.rpartition(".")
        project = ctx.project
        canonical = project.canonical(dotted) if project is not None else dotted
        return cls(dotted, canonical, module or None, name)

    @property
    def canonical_module(self) -> str:
        return self.canonical.rpartition(".")[0]

    def in_module(self, ctx: FileContext) -> bool:
        """The file being analysed is the module that defines this base."""
        if self.module is None:
            return True
        module = ctx.module_name
        if module in (self.module, self.canonical_module):
            return True
        # Without an index a module is named from its path alone (`models` for src/models.py).
        return ctx.project is None and self.module.endswith(f".{module}")

    def is_class(self, node: ast.ClassDef, ctx: FileContext) -> bool:
        return ctx.scope.is_module and node.name == self.name and self.in_module(ctx)

    def is_spelled_by(self, qualname: str, ctx: FileContext) -> bool:
        if qualname in (self.spelling, self.canonical):
            return True
        project = ctx.project
        return project is not None and project.canonical(qualname) == self.canonical


@dataclass(frozen=True)
class ProjectBases:
    all: tuple[ProjectBase, ...]
    chosen: ProjectBase | None
    """The base to suggest: None when the project has several."""


@dataclass(frozen=True)
class BaseReference:
    """How the file being analysed can name the base: `local`, after importing it if asked."""

    local: str
    needs_import: bool
    module: str | None
    name: str

    def data(self) -> dict[str, object]:
        return {
            "local": self.local,
            "import": self.needs_import,
            "module": self.module,
            "name": self.name,
        }


def project_bases(ctx: FileContext) -> ProjectBases:
    """The configured `base-model`, else the field-less `BaseModel` subclasses that at least
    two classes of the project extend directly (cached per file)."""
    state = ctx.rule_state_for(_STATE_KEY)
    found = state.get("bases")
    if found is None:
        found = state["bases"] = _find_bases(ctx)
    bases: ProjectBases = found
    return bases


def _find_bases(ctx: FileContext) -> ProjectBases:
    configured = ctx.settings.base_model
    if configured:
        base = ProjectBase.parse(configured, ctx)
        return ProjectBases((base,), base) if base is not None else ProjectBases((), None)
    project = ctx.project
    if project is None:
        return ProjectBases((), None)
    spellings = project.derived("FBP305.candidates", _candidate_spellings)
    bases = tuple(
        b for spelling in spellings if (b := ProjectBase.parse(spelling, ctx)) is not None
    )
    # Several candidates (a settings family, a wire-format family...) do not prove which one
    # is *the* project base: only a configured `base-model` settles that.
    return ProjectBases(bases, bases[0]) if len(bases) == 1 else ProjectBases((), None)


def _candidate_spellings(project: WorkspaceIndex) -> tuple[str, ...]:
    """How the project imports each field-less base that enough classes extend."""
    names = sorted(
        name
        for name, count in project.custom_base_models().items()
        if count >= MIN_EXTENDERS and not name.rpartition(".")[2].startswith("_")
    )
    return tuple(_spelling(name, project) for name in names)


def _spelling(canonical: str, project: WorkspaceIndex) -> str:
    """How the project's modules import the class: `src.models.X` and `models.X` may name the
    same file; the spelling most importers use wins, the canonical name when none imports it."""
    counts: Counter[str] = Counter()
    for importer in project.dependents_of(canonical.rpartition(".")[0], transitive=False):
        facts = project.facts_for(importer)
        for _, target in facts.aliases if facts is not None else ():
            if project.canonical(target) == canonical:
                counts[target] += 1
    if not counts:
        return canonical
    return min(counts, key=lambda spelling: (-counts[spelling], spelling))


def base_reference(base: ProjectBase, node: ast.ClassDef, ctx: FileContext) -> BaseReference | None:
    """How `node`'s module can name `base` in `node`'s bases; None when no safe way exists."""
    module_scope = ctx.resolver.module_scope
    if base.in_module(ctx):
        # Named by its own definition, which must run before this class does.
        bindings = module_scope.bindings.get(base.name)
        if (
            bindings is not None
            and len(bindings) == 1
            and isinstance(bindings[0].node, ast.ClassDef)
            and _at_top_level(bindings[0], ctx)
            and bindings[0].node.lineno < node.lineno
            and ctx.scope.lookup(base.name) is bindings
        ):
            return BaseReference(base.name, False, None, base.name)
        return None
    if base.module is None or not _importable(base, ctx):
        return None
    for local, bindings in module_scope.bindings.items():
        if (
            all(
                b.kind is BindingKind.IMPORT
                and b.qualname is not None
                and _at_top_level(b, ctx)
                and base.is_spelled_by(b.qualname, ctx)
                for b in bindings
            )
            and ctx.scope.lookup(local) is bindings
        ):
            return BaseReference(local, False, base.module, base.name)
    if ctx.scope.lookup(base.name) is None and not module_scope.star_import_visible():
        return BaseReference(base.name, True, base.module, base.name)
    return None


def _at_top_level(binding: Binding, ctx: FileContext) -> bool:
    """Bound by a statement of the module body itself (not under `if TYPE_CHECKING:`)."""
    return any(statement is binding.node for statement in ctx.tree.body)


def _importable(base: ProjectBase, ctx: FileContext) -> bool:
    """Importing the base here cannot fail: when the index knows its module, the class is
    defined there and that module does not import this one (which would close a cycle)."""
    project = ctx.project
    if project is None:
        return True
    owner = base.canonical_module
    facts = project.facts_for(owner)
    if facts is None:
        return True
    if not any(klass.qualname == base.canonical for klass in facts.classes):
        return False
    return owner not in project.dependents_of(ctx.module_name)
