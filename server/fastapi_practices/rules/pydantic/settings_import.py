"""FBP307: `from pydantic import BaseSettings`, which pydantic v2 moved to `pydantic_settings`."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.expressions import code_for_node
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.source_edits import line_indent, starts_its_line
from fastapi_practices.rules.registry import register

USE_PYDANTIC_SETTINGS = FixOption(
    "pydantic-settings",
    "Import `BaseSettings` from `pydantic_settings`",
    Applicability.SAFE,
    is_preferred=True,
)
V1_MODULES = frozenset({"pydantic", "pydantic.env_settings"})
_FALLBACK_ERRORS = frozenset(
    {
        "builtins.ImportError",
        "builtins.ModuleNotFoundError",
        "builtins.Exception",
        "builtins.BaseException",
        "pydantic.errors.PydanticImportError",
        "pydantic.PydanticImportError",
    }
)


@register
class PydanticV1SettingsImport(Rule):
    code = "FBP307"
    name = "pydantic-v1-settings-import"
    severity = Severity.ERROR
    summary = "`BaseSettings` is imported from `pydantic`, where pydantic v2 no longer has it."
    why = (
        "Since pydantic 2.0, `BaseSettings` lives in the separate `pydantic-settings` "
        "package. `from pydantic import BaseSettings` raises `PydanticImportError` as soon as "
        "the module is imported, so the application does not start."
    )
    recommended = (
        "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
        "    debug: bool = False\n"
    )
    fix_summary = (
        "Import `BaseSettings` from `pydantic_settings` instead, keeping any other names in "
        "the `pydantic` import. The project needs the `pydantic-settings` package."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "from pydantic import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            "    debug: bool = False\n",
            line=1,
            fixed="from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            "    debug: bool = False\n",
        ),
        Invalid(
            "from pydantic import BaseModel, BaseSettings as Base, Field\n\n\n"
            "class Settings(Base):\n    debug: bool = Field(False)\n",
            line=1,
            fixed="from pydantic import BaseModel, Field\n"
            "from pydantic_settings import BaseSettings as Base\n\n\n"
            "class Settings(Base):\n    debug: bool = Field(False)\n",
            note="other names stay with pydantic",
        ),
        Invalid(
            "import os\nfrom pydantic import (\n    BaseModel,\n    BaseSettings,\n)\n",
            line=2,
            fixed="import os\nfrom pydantic import (\n    BaseModel,\n)\n"
            "from pydantic_settings import BaseSettings\n",
            note="parenthesised, several lines",
        ),
        Invalid(
            "def load():\n    from pydantic.env_settings import BaseSettings\n"
            "    return BaseSettings\n",
            line=2,
            fixed="def load():\n    from pydantic_settings import BaseSettings\n"
            "    return BaseSettings\n",
        ),
        Valid("from pydantic_settings import BaseSettings, SettingsConfigDict\n"),
        Valid("from pydantic import BaseModel, Field\n"),
        Valid(
            "from pydantic.v1 import BaseSettings\n",
            note="the v1 compatibility API",
        ),
        Valid(
            "try:\n    from pydantic_settings import BaseSettings\nexcept ImportError:\n"
            "    from pydantic import BaseSettings\n",
            note="a fallback for pydantic v1",
        ),
        Valid(
            "try:\n    from pydantic import BaseSettings\nexcept ImportError:\n"
            "    from pydantic_settings import BaseSettings\n",
            note="a fallback for pydantic v2",
        ),
        Valid(
            "from .pydantic import BaseSettings\n",
            note="a local module named pydantic",
        ),
    )

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: FileContext) -> None:
        if node.level or node.module not in V1_MODULES:
            return
        if not any(alias.name == "BaseSettings" for alias in node.names):
            return
        if self._in_fallback(node, ctx):
            return
        start = ctx.range_of(node).start
        # Splitting the import writes a second line, which needs the statement to own its line.
        fixable = (
            len(node.names) == 1 or not ctx.lines.line_text(start.line)[: start.column].strip()
        )
        ctx.report(
            self,
            node,
            f"`BaseSettings` is not in `{node.module}` since pydantic 2; "
            "import it from `pydantic_settings`",
            fixes=(USE_PYDANTIC_SETTINGS,) if fixable else (),
        )

    @staticmethod
    def _in_fallback(node: ast.ImportFrom, ctx: FileContext) -> bool:
        """Inside `try:` or `except ImportError:` of a version-compatibility import."""
        parent = ctx.parent
        if isinstance(parent, ast.Try) and any(s is node for s in parent.body):
            return any(_catches_import_error(h, ctx) for h in parent.handlers)
        return isinstance(parent, ast.ExceptHandler) and _catches_import_error(parent, ctx)

    def fix_pydantic_settings(self, request: FixRequest) -> list[TextEdit] | None:
        node = request.finding_node(ast.ImportFrom)
        if not isinstance(node, ast.ImportFrom):
            return None
        settings = [a for a in node.names if a.name == "BaseSettings"]
        rest = [a for a in node.names if a.name != "BaseSettings"]
        rng = request.lines.node_range(node)
        new_import = "from pydantic_settings import " + ", ".join(
            f"BaseSettings as {a.asname}" if a.asname else "BaseSettings" for a in settings
        )
        if not rest:
            return [TextEdit(rng, new_import)]
        kept = _without_base_settings(request.segment(node), request.newline)
        if kept is None or not starts_its_line(request, node):
            return None
        indent = line_indent(request, rng.start.line)
        return [TextEdit(rng, f"{kept}{request.newline}{indent}{new_import}")]


def _catches_import_error(handler: ast.ExceptHandler, ctx: FileContext) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(ctx.qualname(t) in _FALLBACK_ERRORS for t in types)


def _without_base_settings(source: str, newline: str) -> str | None:
    """The import statement's source without its `BaseSettings` names, formatting kept."""
    try:
        statement = cst.parse_statement(source)
    except cst.ParserSyntaxError:
        return None
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        return None
    names = [a for a in node.names if not _is_base_settings(a)]
    if not names:
        return None
    original_last = node.names[-1]
    if node.lpar is None:
        names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    elif names[-1] is not original_last:
        # The closing parenthesis keeps the layout the removed last name had.
        names[-1] = names[-1].with_changes(comma=original_last.comma)
    return code_for_node(node.with_changes(names=names), source, newline)


def _is_base_settings(alias: cst.ImportAlias) -> bool:
    return isinstance(alias.name, cst.Name) and alias.name.value == "BaseSettings"
