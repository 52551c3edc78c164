"""Where a module sits in the project's layout, for the structure rules (FBP1xx).

Structure rules only speak about modules of a domain package; the source root itself and
projects without domains are never judged.
"""

from __future__ import annotations

import ast
import builtins
from typing import ClassVar

from fastapi_practices.engine.context import FileContext
from fastapi_practices.rules.base import Rule

_ROLE_KEY = "structure.role"

# The other files of the projects the rules' examples run in.
EXAMPLE_PROJECT = {
    "src/__init__.py": "",
    "src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "src/posts/__init__.py": "",
    "src/posts/router.py": "",
}
FLAT_PROJECT = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}

BUILTIN_EXCEPTIONS = frozenset(
    f"builtins.{name}"
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
EXCEPTION_BASES = BUILTIN_EXCEPTIONS | {"fastapi.HTTPException"}


def domain_role(ctx: FileContext) -> tuple[str | None, str | None]:
    """(domain, role) of the file being analysed; (None, None) outside every domain."""
    state = ctx.rule_state_for(_ROLE_KEY)
    found: tuple[str | None, str | None] | None = state.get("role")
    if found is None:
        if ctx.layout is None or ctx.path is None:
            found = (None, None)
        else:
            found = ctx.layout.role_of(ctx.path)
        state["role"] = found
    return found


def misplaced_in(ctx: FileContext, expected_role: str) -> str | None:
    """The domain name when the file is a domain module whose role is not `expected_role`."""
    domain, role = domain_role(ctx)
    if domain is None or role == expected_role:
        return None
    return domain


def role_file(ctx: FileContext, role: str) -> str:
    """The file name that holds `role` in this project (after `role-modules` renames)."""
    if ctx.layout is not None:
        for file_name, named_role in ctx.layout.roles.items():
            if named_role == role:
                return file_name
    return f"{role}.py"


def file_name(ctx: FileContext) -> str:
    return ctx.path.name if ctx.path is not None else "this module"


def is_module_level(ctx: FileContext) -> bool:
    return isinstance(ctx.parent, ast.Module)


def is_exception_class(ctx: FileContext, cls: ast.ClassDef) -> bool:
    """True when a base of `cls` is proven to be an exception class."""
    for base in cls.bases:
        name = ctx.qualname(base)
        if name is not None and ctx.resolver.is_subclass_of(name, EXCEPTION_BASES):
            return True
    return False


def declares_table_name(cls: ast.ClassDef) -> bool:
    """The class body assigns `__tablename__` (or `__table__`)."""
    for statement in cls.body:
        targets: list[ast.expr] = []
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if statement.name == "__tablename__":
                return True
            continue
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        if any(
            isinstance(target, ast.Name) and target.id in ("__tablename__", "__table__")
            for target in targets
        ):
            return True
    return False


class MisplacedClassRule(Rule):
    """A module-level class of one kind that belongs in the domain's `expected_role` module."""

    expected_role: ClassVar[str]
    label: ClassVar[str]

    def is_kind(self, node: ast.ClassDef, ctx: FileContext) -> bool:
        raise NotImplementedError

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not node.bases or not is_module_level(ctx):
            return
        domain = misplaced_in(ctx, self.expected_role)
        if domain is None or not self.is_kind(node, ctx):
            return
        ctx.report(
            self,
            ctx.def_range(node),
            f"{self.label} `{node.name}` is defined in `{file_name(ctx)}` of the `{domain}` "
            f"domain; move it to `{domain}/{role_file(ctx, self.expected_role)}`.",
        )
