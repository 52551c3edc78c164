"""FBP304: a validator that only checks membership in a fixed set: a `Literal` or an Enum."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.validator_shapes import membership_values, validator_guard
from fastapi_practices.rules.registry import register

_HEAD = "from pydantic import BaseModel, field_validator\n\n\n"
_SHOWN_VALUES = 5


@register
class MembershipValidator(Rule):
    code = "FBP304"
    name = "membership-validator"
    severity = Severity.INFO
    summary = "A validator whose only job is to check that the value is one of a fixed set."
    why = (
        "A `Literal[...]` or an `Enum` type says the same thing declaratively: pydantic "
        "rejects other values with a 422 that lists the allowed ones, the choices appear in "
        "the OpenAPI schema as an `enum`, and type checkers know every possible value."
    )
    recommended = (
        "from typing import Literal\n\nfrom pydantic import BaseModel\n\n\n"
        "class Order(BaseModel):\n    status: Literal['pending', 'paid', 'shipped']\n"
    )
    examples = (
        Invalid(
            _HEAD + "class Order(BaseModel):\n    status: str\n\n    @field_validator('status')\n"
            "    @classmethod\n    def known_status(cls, v: str) -> str:\n"
            "        if v not in {'pending', 'paid', 'shipped'}:\n"
            "            raise ValueError('unknown status')\n        return v\n",
            line=9,
        ),
        Invalid(
            "from pydantic import BaseModel, validator\n\nCURRENCIES = ('EUR', 'USD')\n\n\n"
            "class Price(BaseModel):\n    currency: str\n\n    @validator('currency')\n"
            "    def supported(cls, value):\n        assert value in CURRENCIES, 'unsupported'\n"
            "        return value\n",
            line=10,
            note="v1 validator, module constant, assert",
        ),
        Invalid(
            _HEAD + "class Job(BaseModel):\n    priority: int\n\n    @field_validator('priority')\n"
            "    @classmethod\n    def known(cls, v):\n        if v in frozenset({1, 2, 3}):\n"
            "            return v\n        raise ValueError('priority must be 1, 2 or 3')\n",
            line=9,
        ),
        Valid(
            "from typing import Literal\n\nfrom pydantic import BaseModel\n\n\n"
            "class Order(BaseModel):\n    status: Literal['pending', 'paid']\n",
        ),
        Valid(
            _HEAD + "class Order(BaseModel):\n    status: str\n\n    @field_validator('status')\n"
            "    @classmethod\n    def known_status(cls, v: str) -> str:\n"
            "        if v.lower() not in {'pending', 'paid'}:\n"
            "            raise ValueError('unknown status')\n        return v.lower()\n",
            note="normalises the value as well",
        ),
        Valid(
            _HEAD + "class Order(BaseModel):\n    status: str\n\n    @field_validator('status')\n"
            "    @classmethod\n    def known_status(cls, v, info):\n"
            "        if v not in info.context['statuses']:\n"
            "            raise ValueError('unknown status')\n        return v\n",
            note="the allowed values come at run time",
        ),
        Valid(
            _HEAD + "class User(BaseModel):\n    name: str\n\n    @field_validator('name')\n"
            "    @classmethod\n    def not_reserved(cls, v):\n        if v in {'root', 'admin'}:\n"
            "            raise ValueError('reserved name')\n        return v\n",
            note="a deny list, not a set of allowed values",
        ),
        Valid(
            "class Choices:\n    def check(self, v):\n        if v not in {'a', 'b'}:\n"
            "            raise ValueError('no')\n        return v\n",
            note="not a validator",
        ),
        Valid(
            "from dataclasses import dataclass\nfrom pydantic import field_validator\n\n\n"
            "@dataclass\nclass Order:\n    status: str\n\n    @field_validator('status')\n"
            "    def known(cls, v):\n        if v not in {'a', 'b'}:\n"
            "            raise ValueError('no')\n        return v\n",
            note="not a pydantic model",
        ),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        guard = validator_guard(ctx, node)
        if guard is None:
            return
        values = membership_values(guard, ctx.resolver, ctx.scope)
        if values is None:
            return
        shown = ", ".join(repr(v) for v in values[:_SHOWN_VALUES])
        if len(values) > _SHOWN_VALUES:
            shown += ", ..."
        ctx.report(
            self,
            ctx.def_range(node),
            f"`{node.name}` only checks the value against a fixed set; "
            f"type the field as `Literal[{shown}]` or an Enum",
        )
