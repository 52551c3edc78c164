"""FBP306: `class Config:` inside a model, the pydantic v1 way to configure it."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.config_keys import EXTRA_ENUMS, v2_name
from fastapi_practices.rules.pydantic.models import (
    ModelKind,
    classify,
    enclosing_model,
    name_usable,
)
from fastapi_practices.rules.pydantic.source_edits import import_name, node_starting_at
from fastapi_practices.rules.registry import register

USE_CONFIG_DICT = FixOption(
    "config-dict",
    "Replace with `model_config = ConfigDict(...)`",
    Applicability.SAFE,
    is_preferred=True,
)
USE_SETTINGS_CONFIG_DICT = FixOption(
    "settings-config-dict",
    "Replace with `model_config = SettingsConfigDict(...)`",
    Applicability.SAFE,
    is_preferred=True,
)
CONFIG_DICTS = {
    ModelKind.MODEL: ("pydantic", "ConfigDict", frozenset({"pydantic.config.ConfigDict"})),
    ModelKind.SETTINGS: (
        "pydantic_settings",
        "SettingsConfigDict",
        frozenset({"pydantic_settings.main.SettingsConfigDict"}),
    ),
}
_MAX_LINE = 100
_HEADER_COMMENT = re.compile(r"class\s+Config\s*:\s*(#.*)?$")


@dataclass
class _Option:
    key: str
    value: ast.expr
    value_text: str | None = None
    string_value: str | None = None


@dataclass
class _Conversion:
    options: list[_Option] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    plain: bool = True

    @property
    def fixable(self) -> bool:
        keys = [o.key for o in self.options]
        return self.plain and not self.unmapped and len(keys) == len(set(keys))


@register
class PydanticV1Config(Rule):
    code = "FBP306"
    name = "pydantic-v1-config"
    severity = Severity.WARNING
    summary = "A model or settings class is configured with a nested `class Config:`."
    why = (
        "pydantic v2 reads configuration from `model_config`. A nested `class Config` still "
        "works but is deprecated and will be removed, and several of its option names "
        "changed: `orm_mode` is silently ignored in v2, for instance, so `from_orm`-style "
        "loading from ORM objects stops working. `ConfigDict` is typed, so editors check the "
        "option names."
    )
    recommended = (
        "from pydantic import BaseModel, ConfigDict\n\n\nclass ProductResponse(BaseModel):\n"
        "    model_config = ConfigDict(from_attributes=True)\n\n    id: int\n"
    )
    fix_summary = (
        "Replace the nested class with `model_config = ConfigDict(...)` "
        "(`SettingsConfigDict` from `pydantic_settings` for settings), renaming v1 options "
        "(`orm_mode` → `from_attributes`, `allow_population_by_field_name` → "
        "`populate_by_name`, `schema_extra` → `json_schema_extra`, `anystr_*` → `str_*`, "
        "`validate_all` → `validate_default`, `allow_mutation = False` → `frozen=True`, ...), "
        "and import it. Not offered when an option has no v2 equivalent (such as "
        "`smart_union` or `fields`): the message names it."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "from pydantic import BaseModel\n\n\nclass ProductResponse(BaseModel):\n"
            "    id: int\n    name: str\n\n    class Config:\n        orm_mode = True\n",
            line=8,
            fixed="from pydantic import BaseModel, ConfigDict\n\n\n"
            "class ProductResponse(BaseModel):\n    id: int\n    name: str\n\n"
            "    model_config = ConfigDict(from_attributes=True)\n",
        ),
        Invalid(
            "from pydantic import BaseModel, Extra\n\n\nclass User(BaseModel):\n"
            "    class Config:\n        # clients may send either spelling\n"
            "        allow_population_by_field_name = True\n"
            "        extra = Extra.forbid  # reject unknown keys\n"
            "        schema_extra = {\n            'example': {'name': 'Ada'},\n        }\n\n"
            "    name: str\n",
            line=5,
            fixed="from pydantic import BaseModel, Extra, ConfigDict\n\n\nclass User(BaseModel):\n"
            "    model_config = ConfigDict(\n        # clients may send either spelling\n"
            "        populate_by_name=True,\n        extra='forbid',  # reject unknown keys\n"
            "        json_schema_extra={\n            'example': {'name': 'Ada'},\n        },\n"
            "    )\n\n    name: str\n",
            note="comments and a multi-line value are kept",
        ),
        Invalid(
            "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            "    database_url: str\n\n    class Config:\n        env_file = '.env'\n"
            "        env_prefix = 'SHOP_'\n",
            line=7,
            fixed="from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
            "class Settings(BaseSettings):\n    database_url: str\n\n"
            "    model_config = SettingsConfigDict(env_file='.env', env_prefix='SHOP_')\n",
        ),
        Invalid(
            "from datetime import datetime\n\nfrom pydantic import BaseModel\n\n\n"
            "class AppBaseModel(BaseModel):\n    class Config:\n"
            "        from_attributes = True\n"
            "        json_encoders = {datetime: lambda v: v.isoformat()}\n"
            "        allow_mutation = False\n",
            line=7,
            fixed="from datetime import datetime\n\nfrom pydantic import BaseModel, ConfigDict\n\n"
            "\nclass AppBaseModel(BaseModel):\n    model_config = ConfigDict(\n"
            "        from_attributes=True, json_encoders={datetime: lambda v: v.isoformat()}, "
            "frozen=True\n    )\n",
            note="the seed's base model; too long for one line",
        ),
        Invalid(
            "from pydantic import BaseModel\n\n\nclass Shape(BaseModel):\n    class Config:\n"
            "        smart_union = True\n",
            line=5,
            note="`smart_union` has no v2 equivalent: no fix",
        ),
        Invalid(
            "import pydantic\n\n\nclass Base(pydantic.BaseModel):\n    pass\n\n\n"
            "class Item(Base):\n    class Config:\n        title = 'Item'\n\n"
            "        @staticmethod\n        def schema_extra(schema):\n"
            "            schema.pop('title')\n",
            line=9,
            note="a method inside Config: no fix",
        ),
        Valid(
            "from pydantic import BaseModel, ConfigDict\n\n\nclass User(BaseModel):\n"
            "    model_config = ConfigDict(from_attributes=True)\n",
        ),
        Valid(
            "class Service:\n    class Config:\n        timeout = 5\n",
            note="not a pydantic model",
        ),
        Valid(
            "from pydantic.v1 import BaseModel\n\n\nclass Legacy(BaseModel):\n"
            "    class Config:\n        orm_mode = True\n",
            note="the pydantic.v1 compatibility API",
        ),
        Valid(
            "from sqlmodel import SQLModel\n\n\nclass Hero(SQLModel, table=True):\n"
            "    class Config:\n        arbitrary_types_allowed = True\n",
            note="a SQLModel table",
        ),
        Valid(
            "from pydantic import BaseModel\n\n\nclass Config(BaseModel):\n"
            "    debug: bool = False\n",
            note="a model named Config",
        ),
        Valid(
            "from pydantic import BaseModel\n\n\ndef make():\n    class Config:\n"
            "        orm_mode = True\n    return Config\n",
            note="not inside a class",
        ),
    )

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if node.name != "Config":
            return
        model = enclosing_model(ctx)
        if model is None:
            return
        outer, kind = model
        conversion = _convert(node, kind, ctx.resolver, ctx.scope)
        module, name, accepted = CONFIG_DICTS[kind]
        fixable = (
            conversion.fixable
            and not _has_model_config(outer)
            and name_usable(ctx.scope, name, accepted | {f"{module}.{name}"})
        )
        message = f"`class Config` is pydantic v1 style; use `model_config = {name}(...)`"
        if conversion.unmapped:
            names = ", ".join(f"`{key}`" for key in conversion.unmapped)
            verb = "has" if len(conversion.unmapped) == 1 else "have"
            message += f". No automatic fix: {names} {verb} no v2 equivalent"
        option = USE_SETTINGS_CONFIG_DICT if kind is ModelKind.SETTINGS else USE_CONFIG_DICT
        ctx.report(self, ctx.def_range(node), message, fixes=(option,) if fixable else ())

    def fix_config_dict(self, request: FixRequest) -> list[TextEdit] | None:
        return _fix(request, ModelKind.MODEL)

    def fix_settings_config_dict(self, request: FixRequest) -> list[TextEdit] | None:
        return _fix(request, ModelKind.SETTINGS)


def _has_model_config(cls: ast.ClassDef) -> bool:
    for statement in cls.body:
        targets = (
            statement.targets
            if isinstance(statement, ast.Assign)
            else [statement.target]
            if isinstance(statement, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets):
            return True
    return False


def _convert(
    config: ast.ClassDef, kind: ModelKind, resolver: Resolver, scope: Scope
) -> _Conversion:
    conversion = _Conversion()
    conversion.plain = not (config.bases or config.keywords or config.decorator_list)
    for statement in config.body:
        if isinstance(statement, ast.Pass) or (
            isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
        ):
            continue
        target, value = _simple_assignment(statement)
        if target is None or value is None:
            conversion.plain = False
            continue
        option = _option(target, value, kind, resolver, scope)
        if option is None:
            conversion.unmapped.append(target)
        else:
            conversion.options.append(option)
    return conversion


def _simple_assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def _option(
    key: str, value: ast.expr, kind: ModelKind, resolver: Resolver, scope: Scope
) -> _Option | None:
    if key == "allow_mutation":
        if isinstance(value, ast.Constant) and value.value is False:
            return _Option("frozen", value, "True")
        return None
    new_key = v2_name(key, kind is ModelKind.SETTINGS)
    if new_key is None:
        return None
    if (
        key == "extra"
        and isinstance(value, ast.Attribute)
        and resolver.qualname(value.value, scope) in EXTRA_ENUMS
        and value.attr in ("allow", "forbid", "ignore")
    ):
        return _Option(new_key, value, string_value=value.attr)
    return _Option(new_key, value)


def _fix(request: FixRequest, expected: ModelKind) -> list[TextEdit] | None:
    config = node_starting_at(request, request.finding.range.start, ast.ClassDef)
    ancestors = request.ancestors(config) if config is not None else []
    outer = ancestors[0] if ancestors else None
    if not isinstance(config, ast.ClassDef) or not isinstance(outer, ast.ClassDef):
        return None
    outer_scope = request.scope_of(outer)
    if classify(request.resolver, outer, outer_scope) is not expected:
        return None
    scope = request.scope_of(config)
    conversion = _convert(config, expected, request.resolver, scope)
    if not conversion.fixable or _has_model_config(outer):
        return None
    header = request.lines.node_range(config).start
    indent = request.lines.line_text(header.line)[: header.column]
    if indent.strip():
        return None
    module, name, accepted = CONFIG_DICTS[expected]
    import_edit = import_name(request, module, name, accepted)
    text = _render(request, config, conversion, indent, name)
    end_line = (config.end_lineno or config.lineno) - 1
    end = header.__class__(end_line, len(request.lines.line_text(end_line)))
    return [TextEdit(Range(header, end), text), *([import_edit] if import_edit else [])]


def _render(
    request: FixRequest, config: ast.ClassDef, conversion: _Conversion, indent: str, name: str
) -> str:
    """`model_config = Name(...)`, on one line when it fits and holds no comments."""
    items: list[tuple[list[str], str, str]] = []
    comments = _leading_comments(request, config)
    by_value = {id(o.value): o for o in conversion.options}
    quote = _quote_style(request.segment(config))
    previous_end = config.lineno
    for statement in config.body:
        between = _comment_lines(request, previous_end, statement.lineno - 1)
        comments.extend(between)
        previous_end = statement.end_lineno or statement.lineno
        value = getattr(statement, "value", None)
        option = by_value.get(id(value))
        if option is None:
            continue
        text = option.value_text or request.segment(option.value)
        if option.string_value is not None:
            text = f"{quote}{option.string_value}{quote}"
        items.append((comments, f"{option.key}={text}", _trailing_comment(request, statement)))
        comments = []
    newline = request.newline
    single = f"{indent}model_config = {name}({', '.join(item for _, item, _ in items)})"
    has_comments = comments or any(before or after for before, _, after in items)
    if not has_comments and "\n" not in single and len(single) <= _MAX_LINE:
        return single.lstrip()
    inner = indent + "    "
    joined = ", ".join(item for _, item, _ in items)
    if not has_comments and "\n" not in joined and len(inner + joined) <= _MAX_LINE:
        return f"model_config = {name}({newline}{inner}{joined}{newline}{indent})"
    lines = [f"model_config = {name}("]
    for before, item, after in items:
        lines.extend(f"{inner}{comment}" for comment in before)
        lines.append(f"{inner}{item},{'  ' + after if after else ''}")
    lines.extend(f"{inner}{comment}" for comment in comments)
    lines.append(f"{indent})")
    return newline.join(lines)


def _leading_comments(request: FixRequest, config: ast.ClassDef) -> list[str]:
    header = request.lines.line_text(config.lineno - 1)
    match = _HEADER_COMMENT.search(header, config.col_offset)
    return [match.group(1).strip()] if match and match.group(1) else []


def _comment_lines(request: FixRequest, first: int, stop: int) -> list[str]:
    """Full-line comments on zero-based lines `first`..`stop - 1`."""
    found = []
    for line in range(first, stop):
        text = request.lines.line_text(line).strip()
        if text.startswith("#"):
            found.append(text)
    return found


def _trailing_comment(request: FixRequest, statement: ast.stmt) -> str:
    end = request.lines.node_range(statement).end
    rest = request.lines.line_text(end.line)[end.column :].strip()
    return rest if rest.startswith("#") else ""


def _quote_style(source: str) -> str:
    """The quote the surrounding code uses most, for strings the fix writes."""
    return "'" if source.count("'") > source.count('"') else '"'
