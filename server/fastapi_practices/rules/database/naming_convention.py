"""FBP601: SQLAlchemy metadata without a naming convention gives constraints unstable names."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.scopes import Binding, BindingKind
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.imports import ensure_import, header_lines, line_after
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid, terminal_names
from fastapi_practices.rules.database.orm import (
    DECLARATIVE_BASES,
    DECLARATIVE_FACTORIES,
    METADATA_CLASSES,
)
from fastapi_practices.rules.registry import register

ADD_CONVENTION = FixOption(
    "naming-convention",
    "Add the standard naming convention (ix, uq, ck, fk, pk)",
    Applicability.SAFE,
    is_preferred=True,
)
CONVENTION = (
    ("ix", "%(column_0_label)s_idx"),
    ("uq", "%(table_name)s_%(column_0_name)s_key"),
    ("ck", "%(table_name)s_%(constraint_name)s_check"),
    ("fk", "%(table_name)s_%(column_0_name)s_fkey"),
    ("pk", "%(table_name)s_pkey"),
)
_CONSTANT_NAMES = ("NAMING_CONVENTION", "DB_NAMING_CONVENTION", "SQL_NAMING_CONVENTION")
_CLASS_ATTRIBUTES = frozenset({"metadata", "registry"})
_NO_SPACE = cst.SimpleWhitespace("")


def convention_source(name: str, newline: str = "\n") -> str:
    entries = "".join(f'    "{key}": "{value}",{newline}' for key, value in CONVENTION)
    return f"{name} = {{{newline}{entries}}}{newline}"


_CONSTANT = convention_source("NAMING_CONVENTION")
_SA = "from sqlalchemy import MetaData\n\n" + _CONSTANT
_ORM = "from sqlalchemy import MetaData\nfrom sqlalchemy.orm import DeclarativeBase\n\n"


@register
class MetadataNamingConvention(Rule):
    code = "FBP601"
    name = "metadata-naming-convention"
    severity = Severity.WARNING
    call_names = terminal_names(METADATA_CLASSES | DECLARATIVE_FACTORIES)
    summary = "SQLAlchemy metadata is created without a `naming_convention`."
    why = (
        "Without a naming convention, the database picks the names of indexes and of unique, "
        "check, foreign-key and primary-key constraints, and each backend picks differently. "
        "Alembic autogenerate then writes migrations with unnamed or backend-specific "
        "constraints, and a later migration cannot drop or alter them by name. Setting the "
        "convention once, on the `MetaData` every model shares, makes every name predictable "
        "from the start; adding it later means renaming constraints in production."
    )
    recommended = _SA + "\n\nmetadata = MetaData(naming_convention=NAMING_CONVENTION)\n"
    fix_summary = (
        "Add a module-level `NAMING_CONVENTION` dict (ix, uq, ck, fk, pk) after the imports and "
        "pass it as `naming_convention=`; a `DeclarativeBase` subclass gets a "
        "`metadata = MetaData(naming_convention=...)` attribute, and `declarative_base()` a "
        "`metadata=` argument. An existing `NAMING_CONVENTION` dict is reused."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "from sqlalchemy import MetaData\n\nmetadata = MetaData()\n",
            line=3,
            fixed=_SA + "\nmetadata = MetaData(naming_convention=NAMING_CONVENTION)\n",
        ),
        Invalid(
            "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n"
            "    pass\n",
            line=4,
            fixed="from sqlalchemy.orm import DeclarativeBase\nfrom sqlalchemy import MetaData\n"
            "\n" + _CONSTANT + "\n\nclass Base(DeclarativeBase):\n"
            "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\n",
            note="the class line; `MetaData` is imported by the fix",
        ),
        Invalid(
            "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n",
            line=3,
            fixed="from sqlalchemy.orm import declarative_base\nfrom sqlalchemy import MetaData\n"
            "\n" + _CONSTANT + "\n"
            "Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))\n",
        ),
        Invalid(
            "import sqlalchemy as sa\n\nmetadata = sa.MetaData(\n    schema='shop',\n)\n",
            line=3,
            fixed="import sqlalchemy as sa\n\n" + _CONSTANT + "\nmetadata = sa.MetaData(\n"
            "    schema='shop',\n    naming_convention=NAMING_CONVENTION,\n)\n",
            note="keeps the trailing-comma layout",
        ),
        Invalid(
            _ORM + "NAMING_CONVENTION = {'pk': 'pk_%(table_name)s'}\n\n\n"
            "class Base(DeclarativeBase):\n    '''Every model derives from this.'''\n\n"
            "    type_annotation_map = {}\n",
            line=7,
            fixed=_ORM + "NAMING_CONVENTION = {'pk': 'pk_%(table_name)s'}\n\n\n"
            "class Base(DeclarativeBase):\n    '''Every model derives from this.'''\n\n"
            "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\n"
            "    type_annotation_map = {}\n",
            note="an existing convention dict is reused",
        ),
        Invalid(
            _ORM + '\nclass Base(DeclarativeBase):\n    """Modèles — base 😀."""\n',
            line=5,
            fixed=_ORM + _CONSTANT + "\n\nclass Base(DeclarativeBase):\n"
            '    """Modèles — base 😀."""\n'
            "    metadata = MetaData(naming_convention=NAMING_CONVENTION)\n",
            note="a docstring-only body keeps its docstring first",
        ),
        Invalid(
            "from sqlalchemy import MetaData\nfrom sqlalchemy.orm import declarative_base\n\n"
            "Base = declarative_base(metadata=MetaData(schema='app'))\n",
            line=4,
            count=1,
            note="only the inner `MetaData()` is reported",
        ),
        Valid(
            _SA + "\nmetadata = MetaData(naming_convention=NAMING_CONVENTION)\n",
        ),
        Valid(
            _ORM + "from app.db import NAMING\n\n\nclass Base(DeclarativeBase):\n"
            "    metadata = MetaData(naming_convention=NAMING)\n",
        ),
        Valid(
            "from sqlalchemy.orm import DeclarativeBase\n\nfrom app.db import metadata\n\n\n"
            "class Base(DeclarativeBase):\n    metadata = metadata\n",
            note="metadata defined elsewhere is checked where it is created",
        ),
        Valid(
            "from sqlalchemy.orm import DeclarativeBase\n\nfrom app.db import Base\n\n\n"
            "class User(Base):\n    __tablename__ = 'user'\n",
            note="a model inherits the base's metadata",
        ),
        Valid(
            "from app.schema import MetaData\n\nmetadata = MetaData()\n",
            note="another library's `MetaData`",
        ),
        Valid(
            "from sqlalchemy import MetaData\n\n\ndef build(**options):\n"
            "    return MetaData(**options)\n",
            note="arguments that cannot be seen",
        ),
        Valid(
            "from sqlalchemy.orm import DeclarativeBaseNoMeta\n\n\n"
            "class Base(DeclarativeBaseNoMeta):\n    pass\n",
            note="no metadata of its own",
        ),
        Valid(
            "from sqlalchemy.orm import declarative_base\n\nfrom app.db import metadata\n\n"
            "Base = declarative_base(metadata=metadata)\n",
        ),
    )

    # ----- detection --------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if not isinstance(func, (ast.Name, ast.Attribute)) or _has_unseen_arguments(node):
            return
        name = ctx.qualname(func)
        if name in METADATA_CLASSES:
            if len(node.args) < 3 and not _keyword(node, "naming_convention"):
                self._report(ctx, node, "`MetaData()` has no `naming_convention`", "metadata")
        elif (
            name in DECLARATIVE_FACTORIES and len(node.args) < 2 and not _keyword(node, "metadata")
        ):
            self._report(
                ctx,
                node,
                "`declarative_base()` creates a `MetaData` without a `naming_convention`",
                "declarative-base",
            )

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not node.bases or _assigns_class_attribute(node):
            return
        if not any(ctx.qualname(base) in DECLARATIVE_BASES for base in node.bases):
            return
        self._report(
            ctx,
            ctx.def_range(node),
            f"`{node.name}` subclasses `DeclarativeBase` without "
            "`metadata = MetaData(naming_convention=...)`",
            "class",
        )

    def _report(self, ctx: FileContext, where: ast.AST | Range, message: str, shape: str) -> None:
        ctx.report(
            self,
            where,
            f"{message}; constraint and index names are left to the database",
            fixes=(ADD_CONVENTION,),
            data={"shape": shape},
        )

    # ----- fix --------------------------------------------------------------------------------
    def fix_naming_convention(self, request: FixRequest) -> list[TextEdit] | None:
        shape = request.finding.data.get("shape")
        if shape == "class":
            cls = _class_at(request, request.finding.range.start)
            return _fix_class(request, cls) if cls is not None else None
        call = request.finding_node(ast.Call)
        if not isinstance(call, ast.Call):
            return None
        constant = _Constant.choose(request, call)
        if constant is None:
            return None
        if shape == "metadata":
            value: cst.BaseExpression = cst.Name(constant.name)
            keyword = "naming_convention"
        else:
            metadata = _metadata_name(request, call)
            if metadata is None:
                return None
            constant.import_edit = metadata[1]
            value = cst.parse_expression(f"{metadata[0]}(naming_convention={constant.name})")
            keyword = "metadata"
        argument = cst.Arg(
            value=value,
            keyword=cst.Name(keyword),
            equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
        )

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            return append_argument(expression, argument)

        edit = rewrite_expression(request, call, transform)
        if edit is None:
            return None
        return [edit, *constant.edits(request)]


def _fix_class(request: FixRequest, cls: ast.ClassDef) -> list[TextEdit] | None:
    constant = _Constant.choose(request, cls.body[0])
    metadata = _metadata_name(request, cls.body[0])
    if constant is None or metadata is None:
        return None
    constant.import_edit = metadata[1]
    statement = f"metadata = {metadata[0]}(naming_convention={constant.name})"
    edit = _class_statement_edit(request, cls, statement)
    return [edit, *constant.edits(request)] if edit is not None else None


def _class_statement_edit(
    request: FixRequest, cls: ast.ClassDef, statement: str
) -> TextEdit | None:
    """Put `statement` first in the class body: after its docstring, replacing a lone `pass`."""
    body = cls.body
    rest = body[1:] if _is_docstring(body[0]) else body
    if len(rest) == 1 and _is_placeholder(rest[0]):
        return TextEdit(request.lines.node_range(rest[0]), statement)
    anchor = rest[0] if rest else body[0]
    if anchor.lineno == cls.lineno:
        return None
    start = request.lines.node_range(anchor).start
    decorators = getattr(anchor, "decorator_list", None)
    if rest and decorators:
        # A decorated statement starts at its first decorator, not at its `def`.
        line = decorators[0].lineno - 1
        text = request.lines.line_text(line)
        start = Position(line, len(text) - len(text.lstrip(" \t")))
    indent = request.lines.line_text(start.line)[: start.column]
    if indent.strip():
        return None
    text = f"{indent}{statement}{request.newline}"
    line = start.line if rest else (anchor.end_lineno or anchor.lineno)
    if line >= len(request.lines.lines) and not request.text.endswith(("\n", "\r")):
        # The docstring ends the file without a line break.
        last = len(request.lines.lines) - 1
        end = Position(last, len(request.lines.line_text(last)))
        return TextEdit(Range(end, end), request.newline + text.rstrip("\r\n"))
    at = Position(line, 0)
    return TextEdit(Range(at, at), text)


class _Constant:
    """The module-level convention dict the fix refers to: reused, or inserted after imports."""

    def __init__(self, name: str, insert: bool) -> None:
        self.name = name
        self.insert = insert
        self.import_edit: TextEdit | None = None

    @classmethod
    def choose(cls, request: FixRequest, use: ast.AST) -> _Constant | None:
        module = request.resolver.module_scope
        names = module.bindings  # collecting the bindings also finds star imports
        if module.has_star_import:
            return None
        visible = request.scope_of(use)
        for name in _CONSTANT_NAMES:
            bindings = names.get(name)
            if visible.lookup(name) is not bindings:
                continue
            if bindings is None:
                return cls(name, insert=True)
            if _reusable(bindings, use):
                return cls(name, insert=False)
        return None

    def edits(self, request: FixRequest) -> list[TextEdit]:
        if not self.insert:
            return [self.import_edit] if self.import_edit else []
        line = _after_imports(request)
        at = Position(line, 0)
        newline = request.newline
        text = convention_source(self.name, newline)
        if request.lines.line_text(line).strip():
            text += newline
        if line > 0:
            text = newline + text
        if self.import_edit is not None:
            if self.import_edit.range != Range(at, at):
                return [self.import_edit, TextEdit(Range(at, at), text)]
            text = self.import_edit.new_text + text
        return [TextEdit(Range(at, at), text)]


def _reusable(bindings: list[Binding], use: ast.AST) -> bool:
    """One module-level dict assignment, made before the line that will use it."""
    if len(bindings) != 1:
        return False
    binding = bindings[0]
    return (
        binding.kind is BindingKind.ASSIGN
        and isinstance(binding.value, ast.Dict)
        and binding.node is not None
        and binding.node.lineno < use.lineno  # type: ignore[attr-defined]
    )


def _metadata_name(request: FixRequest, use: ast.AST) -> tuple[str, TextEdit | None] | None:
    """The local name of SQLAlchemy's `MetaData` at `use`, and the import edit it may need."""
    module = request.resolver.module_scope
    visible = request.scope_of(use)
    for name, bindings in module.bindings.items():
        if visible.lookup(name) is bindings and all(
            b.kind is BindingKind.IMPORT
            and b.qualname is not None
            and knowledge.canonical(b.qualname) in METADATA_CLASSES
            for b in bindings
        ):
            return name, None
    if visible.lookup("MetaData") is not module.bindings.get("MetaData"):
        return None
    return "MetaData", ensure_import(request, "sqlalchemy", "MetaData")


def append_argument(call: cst.Call, argument: cst.Arg) -> cst.Call:
    """`call` with `argument` added last, keeping a trailing comma and one-per-line layout."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[argument])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        before = call.whitespace_before_args
        spacing = (
            before if isinstance(before, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
        )
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=spacing))
        args.append(argument.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(argument)
    return call.with_changes(args=args)


def _after_imports(request: FixRequest) -> int:
    """The zero-based line just after the module's docstring and leading imports."""
    body = request.tree.body
    line = header_lines(request)
    index = 0
    if body and _is_docstring(body[0]):
        line = line_after(request, body[0])
        index = 1
    while index < len(body) and isinstance(body[index], (ast.Import, ast.ImportFrom)):
        line = line_after(request, body[index])
        index += 1
    return line


def _class_at(request: FixRequest, start: Position) -> ast.ClassDef | None:
    line_text = request.lines.line_text(start.line)
    byte_col = len(line_text[: start.column].encode("utf-8"))
    for node in request.index.by_start.get((start.line + 1, byte_col), ()):
        if isinstance(node, ast.ClassDef):
            return node
    return None


def _assigns_class_attribute(cls: ast.ClassDef) -> bool:
    for statement in cls.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        if any(isinstance(t, ast.Name) and t.id in _CLASS_ATTRIBUTES for t in targets):
            return True
    return False


def _has_unseen_arguments(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    )


def _keyword(call: ast.Call, name: str) -> bool:
    return any(k.arg == name for k in call.keywords)


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_placeholder(node: ast.stmt) -> bool:
    return isinstance(node, ast.Pass) or (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and node.value.value is Ellipsis
    )
