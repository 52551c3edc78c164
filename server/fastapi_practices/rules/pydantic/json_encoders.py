"""FBP311: `json_encoders` in a model's configuration, deprecated in pydantic v2."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Position, Range, Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid, terminal_names
from fastapi_practices.rules.pydantic.models import enclosing_model, model_kind
from fastapi_practices.rules.registry import register

CONFIG_DICT_TYPES = frozenset(
    {
        "pydantic.ConfigDict",
        "pydantic.config.ConfigDict",
        "pydantic_settings.SettingsConfigDict",
        "pydantic_settings.main.SettingsConfigDict",
    }
)
_KEY = "json_encoders"
_MESSAGE = (
    "`json_encoders` is deprecated in pydantic v2; serialise the field with a "
    "`@field_serializer` (or an `Annotated[..., PlainSerializer(...)]` type)"
)


@register
class JsonEncodersDeprecated(Rule):
    code = "FBP311"
    name = "json-encoders-deprecated"
    severity = Severity.INFO
    call_names = terminal_names(CONFIG_DICT_TYPES)
    summary = "A model's configuration sets `json_encoders`."
    why = (
        "pydantic v2 keeps `json_encoders` only for compatibility and documents it as "
        "deprecated. It applies to JSON output only (not `model_dump()`), its lookup by type "
        "is easy to get wrong with subclasses, and it is slated for removal. "
        "`@field_serializer` names the fields it formats and works for every output mode."
    )
    recommended = (
        "from datetime import datetime\n\nfrom pydantic import BaseModel, field_serializer\n\n"
        "\nclass Event(BaseModel):\n    starts_at: datetime\n\n"
        "    @field_serializer('starts_at')\n    def iso(self, value: datetime) -> str:\n"
        "        return value.isoformat()\n"
    )
    examples = (
        Invalid(
            "from datetime import datetime\n\nfrom pydantic import BaseModel, ConfigDict\n\n\n"
            "class AppBaseModel(BaseModel):\n    model_config = ConfigDict(\n"
            "        from_attributes=True,\n"
            "        json_encoders={datetime: lambda v: v.isoformat()},\n    )\n",
            line=9,
        ),
        Invalid(
            "from datetime import date\n\nfrom pydantic import BaseModel\n\n\n"
            "class Report(BaseModel):\n    day: date\n\n    class Config:\n"
            "        json_encoders = {date: str}\n",
            line=10,
        ),
        Invalid(
            "from decimal import Decimal\n\nfrom pydantic_settings import BaseSettings\n"
            "from pydantic_settings import SettingsConfigDict as Conf\n\n\n"
            "class Settings(BaseSettings):\n"
            "    model_config = Conf(json_encoders={Decimal: str})\n",
            line=8,
        ),
        Invalid(
            "from pydantic import BaseModel\n\n\nclass Money(BaseModel):\n"
            "    model_config = {'json_encoders': {float: round}}\n",
            line=5,
            note="a plain dict as model_config",
        ),
        Valid(
            "from datetime import datetime\n\nfrom pydantic import BaseModel, field_serializer"
            "\n\n\nclass Event(BaseModel):\n    at: datetime\n\n    @field_serializer('at')\n"
            "    def iso(self, value):\n        return value.isoformat()\n",
        ),
        Valid(
            "import json\n\n\nclass Exporter:\n    json_encoders = {set: list}\n\n"
            "    class Config:\n        json_encoders = {set: list}\n",
            note="not a pydantic model",
        ),
        Valid(
            "from mylib import ConfigDict\n\nsettings = ConfigDict(json_encoders={})\n",
            note="some other ConfigDict",
        ),
        Valid(
            "from pydantic import BaseModel, ConfigDict\n\n\nclass User(BaseModel):\n"
            "    model_config = ConfigDict(from_attributes=True)\n    json_encoders: str = ''\n",
            note="a field that happens to be called json_encoders",
        ),
        Valid(
            "from pydantic.v1 import BaseModel\n\n\nclass Legacy(BaseModel):\n"
            "    class Config:\n        json_encoders = {set: list}\n",
            note="the pydantic.v1 compatibility API",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        keyword = next((k for k in node.keywords if k.arg == _KEY), None)
        if keyword is None or ctx.qualname(node.func) not in CONFIG_DICT_TYPES:
            return
        start = ctx.lines.position(keyword.lineno, keyword.col_offset)
        ctx.report(self, Range(start, Position(start.line, start.column + len(_KEY))), _MESSAGE)

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        target = node.targets[0].id
        if target == _KEY:
            if self._in_model_config_class(ctx):
                ctx.report(self, node.targets[0], _MESSAGE)
        elif target == "model_config" and isinstance(node.value, ast.Dict):
            key = next(
                (k for k in node.value.keys if isinstance(k, ast.Constant) and k.value == _KEY),
                None,
            )
            if key is not None and enclosing_model(ctx) is not None:
                ctx.report(self, key, _MESSAGE)

    @staticmethod
    def _in_model_config_class(ctx: FileContext) -> bool:
        """The assignment sits directly in a `class Config` nested in a model."""
        parents = ctx.parents
        if len(parents) < 3:
            return False
        config, outer = parents[-2], parents[-3]
        if not (isinstance(config, ast.ClassDef) and config.name == "Config"):
            return False
        if not isinstance(outer, ast.ClassDef):
            return False
        outer_scope = ctx.scope.parent.parent if ctx.scope.parent else None
        return outer_scope is not None and model_kind(ctx, outer, outer_scope) is not None
