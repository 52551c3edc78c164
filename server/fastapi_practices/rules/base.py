"""What a rule is: metadata, detection hooks, examples (which are its tests) and fixers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from fastapi_practices.model import Applicability, FileEdit, Severity, TextEdit

if TYPE_CHECKING:
    from fastapi_practices.fixes.request import FixRequest


@dataclass(frozen=True)
class Valid:
    """Code the rule must stay silent on."""

    code: str
    path: str = "app/main.py"
    note: str = ""
    # Other files of the example's project (relative path → text). When given, the example runs
    # inside a project written to disk, so that rules which need the layout can see it.
    files: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag. `line` is the 1-based line of the first finding, when given.

    `fixed` is the expected text after applying the fix `fix_kind` to the first finding.
    """

    code: str
    line: int | None = None
    fixed: str | None = None
    fix_kind: str | None = None
    path: str = "app/main.py"
    count: int | None = None
    note: str = ""
    files: Mapping[str, str] = field(default_factory=dict, hash=False)


# A fixer's edits: `TextEdit`s change the analysed file, `FileEdit`s other files (cross-file fixes).
Fixer = Callable[["FixRequest"], "Sequence[TextEdit | FileEdit] | None"]


class Rule:
    """Base of every rule. Subclasses declare metadata and `visit_<AstNode>` hooks.

    Hooks receive `(node, ctx)` during the shared traversal; `finish(ctx)` runs once at the end.
    Fixers are methods named `fix_<kind>` returning edits (see `Fixer`), built only when asked for.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    why: ClassVar[str]
    recommended: ClassVar[str] = ""
    fix_summary: ClassVar[str | None] = None
    fix_applicability: ClassVar[Applicability | None] = None
    examples: ClassVar[tuple[Valid | Invalid, ...]] = ()
    # When set, `visit_Call` only sees calls whose callee's last name is one of these (for a
    # plain name, either as written or as its import resolves: `sleep as zz` counts as `sleep`).
    call_names: ClassVar[frozenset[str] | None] = None
    # True for rules that read facts only the whole-project index has (FBP403, FBP503, ...).
    needs_workspace_index: ClassVar[bool] = False
    # Non-Python files the rule reads (`alembic.ini`); it then implements `check_file(ctx)`.
    file_names: ClassVar[frozenset[str]] = frozenset()

    @property
    def family(self) -> str:
        return self.code[3]

    def fixer(self, kind: str) -> Fixer | None:
        method = getattr(self, f"fix_{kind.replace('-', '_')}", None)
        return method if callable(method) else None

    @property
    def valid_examples(self) -> list[Valid]:
        return [e for e in self.examples if isinstance(e, Valid)]

    @property
    def invalid_examples(self) -> list[Invalid]:
        return [e for e in self.examples if isinstance(e, Invalid)]


def terminal_names(qualnames: frozenset[str]) -> frozenset[str]:
    """The last component of each qualified name, for `Rule.call_names`."""
    return frozenset(name.rpartition(".")[2] for name in qualnames)
