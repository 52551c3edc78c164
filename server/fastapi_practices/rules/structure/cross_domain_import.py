"""FBP106: a domain importing names straight out of another domain's module."""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.structure.module_imports import qualifiable_uses
from fastapi_practices.rules.structure.placement import (
    EXAMPLE_PROJECT,
    FLAT_PROJECT,
    domain_role,
)

IMPORT_MODULE = FixOption(
    "module-import", "Import the module and qualify its names", Applicability.SAFE, True
)
_PROJECT = {
    **EXAMPLE_PROJECT,
    "src/auth/__init__.py": "",
    "src/auth/service.py": "async def get_user(user_id: int) -> str:\n    return ''\n",
    "src/auth/constants.py": "MAX_LENGTH = 50\nADMIN = 'admin'\n",
    "src/shared/__init__.py": "",
}
_AUTHOR = "async def author(user_id: int) -> str:\n    return await {}(user_id)\n"
_BEFORE = "from src.auth.service import get_user\n\n\n" + _AUTHOR.format("get_user")
_AFTER = "from src.auth import service as auth_service\n\n\n" + _AUTHOR.format(
    "auth_service.get_user"
)
_NAMES_BEFORE = (
    "from src.auth.constants import ADMIN, MAX_LENGTH as LIMIT\n\n\n"
    "def allowed(role: str, name: str) -> bool:\n    return role == ADMIN and len(name) <= LIMIT\n"
)
_NAMES_AFTER = (
    "from src.auth import constants as auth_constants\n\n\n"
    "def allowed(role: str, name: str) -> bool:\n"
    "    return role == auth_constants.ADMIN and len(name) <= auth_constants.MAX_LENGTH\n"
)


@register
class CrossDomainImport(Rule):
    code = "FBP106"
    name = "cross-domain-import"
    severity = Severity.INFO
    summary = "A domain imports names directly from a module of another domain."
    why = (
        "When `posts` writes `from src.auth.service import get_user`, the call site no longer "
        "shows that `get_user` belongs to another domain. Importing the module under a "
        "domain-qualified name (`auth_service.get_user`) keeps the dependency between domains "
        "visible everywhere it is used and avoids clashes between same-named helpers."
    )
    recommended = (
        "# src/posts/service.py\nfrom src.auth import service as auth_service\n\n\n"
        + _AUTHOR.format("auth_service.get_user")
    )
    fix_summary = (
        "Rewrites the import to `from src.<domain> import <module> as <domain>_<module>` and "
        "qualifies every use of the imported names. Offered only when none of them is "
        "rebound, shadowed or mentioned in a string."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(_BEFORE, line=1, fixed=_AFTER, path="src/posts/service.py", files=_PROJECT),
        Invalid(
            _NAMES_BEFORE, line=1, fixed=_NAMES_AFTER, path="src/posts/router.py", files=_PROJECT
        ),
        Invalid(
            "async def author(user_id: int) -> str:\n"
            "    from src.auth.service import get_user\n\n    return await get_user(user_id)\n",
            line=2,
            path="src/posts/utils.py",
            files=_PROJECT,
            note="inside a function",
        ),
        Invalid(
            "from src.auth.service import get_user\n\n\n"
            "async def author(get_user: str) -> str:\n    return get_user\n",
            line=1,
            path="src/posts/service.py",
            files=_PROJECT,
            note="flagged, but a shadowed name gets no automatic fix",
        ),
        Valid(_AFTER, path="src/posts/service.py", files=_PROJECT),
        Valid(
            "from src.posts.schemas import PostRead\n",
            path="src/posts/service.py",
            files=_PROJECT,
            note="the same domain",
        ),
        Valid(
            "from src.auth.service import get_user\n",
            path="src/main.py",
            files=_PROJECT,
            note="the source root is no domain",
        ),
        Valid(
            "from src.shared.pagination import Page\n",
            path="src/posts/service.py",
            files=_PROJECT,
            note="`shared` has no role module, so it is no domain",
        ),
        Valid(
            "from .service import get_user\nimport src.auth.service\n",
            path="src/posts/router.py",
            files=_PROJECT,
        ),
        Valid(_BEFORE, path="items/service.py", files=FLAT_PROJECT, note="no domains"),
    )

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: FileContext) -> None:
        if node.level or not node.module or ctx.layout is None:
            return
        domain, _ = domain_role(ctx)
        if domain is None:
            return
        target = _foreign_module(ctx, node.module, domain)
        if target is None or any(alias.name == "*" for alias in node.names):
            return
        package, other, module = target
        alias = f"{other}_{module}"
        ctx.report(
            self,
            node,
            f"`{domain}` imports from `{node.module}`, a module of the `{other}` domain; "
            f"import the module instead: `from {package} import {module} as {alias}`.",
            fixes=(IMPORT_MODULE,),
            data={"package": package, "module": module, "alias": alias},
        )

    def fix_module_import(self, request: FixRequest) -> list[TextEdit] | None:
        statement = request.finding_node(ast.ImportFrom)
        data = request.finding.data
        if not isinstance(statement, ast.ImportFrom):
            return None
        package, module, alias = str(data["package"]), str(data["module"]), str(data["alias"])
        uses = qualifiable_uses(request.tree, statement, alias)
        if uses is None:
            return None
        replacement = cst.ImportFrom(
            module=cst.parse_expression(package),  # type: ignore[arg-type]
            names=[cst.ImportAlias(name=cst.Name(module), asname=cst.AsName(cst.Name(alias)))],
        )
        edits = [
            TextEdit(
                request.lines.node_range(statement),
                cst.Module(body=[]).code_for_node(replacement),
            )
        ]
        original = {a.asname or a.name: a.name for a in statement.names}
        for local, names in uses.items():
            qualified = cst.Attribute(value=cst.Name(alias), attr=cst.Name(original[local]))
            for name in names:
                edit = rewrite_expression(request, name, _replace_with(qualified))
                if edit is None:
                    return None
                edits.append(edit)
        return edits


def _replace_with(
    new: cst.BaseExpression,
) -> Callable[[cst.BaseExpression], cst.BaseExpression]:
    def transform(_old: cst.BaseExpression) -> cst.BaseExpression:
        return new

    return transform


def _foreign_module(ctx: FileContext, module: str, domain: str) -> tuple[str, str, str] | None:
    """(package, other domain, module) for `module` = `<source root>.<other>.<module>`."""
    layout = ctx.layout
    if layout is None or layout.source_root is None:
        return None
    try:
        prefix = layout.source_root.relative_to(layout.root).parts
    except ValueError:
        return None
    parts = tuple(module.split("."))
    if len(parts) != len(prefix) + 2 or parts[: len(prefix)] != prefix:
        return None
    other, name = parts[len(prefix)], parts[len(prefix) + 1]
    if other == domain or other not in layout.domains:
        return None
    return ".".join((*prefix, other)), other, name
