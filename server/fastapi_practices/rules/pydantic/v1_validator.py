"""FBP308: pydantic v1 `@validator` / `@root_validator` decorators."""

from __future__ import annotations

import ast

import libcst as cst

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode, Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.fixes.expressions import rewrite_expression
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.models import (
    ValidatorDecorator,
    ValidatorStyle,
    function_validators,
    has_plain_signature,
    name_usable,
    validator_decorators,
)
from fastapi_practices.rules.pydantic.source_edits import import_name, line_indent
from fastapi_practices.rules.registry import register

USE_V2_VALIDATOR = FixOption(
    "v2-validator", "Rewrite as a pydantic v2 validator", Applicability.SAFE, is_preferred=True
)
_CLASSMETHOD = "builtins.classmethod"
_REPLACEMENTS = {
    ValidatorStyle.V1_FIELD: "field_validator",
    ValidatorStyle.V1_ROOT: "model_validator",
}
_FIELD_KEYWORDS = frozenset({"pre", "allow_reuse", "check_fields"})
_NO_FIX_REASONS = {
    "always": "`always=True` becomes `Field(validate_default=True)` on the field in v2",
    "each_item": "`each_item=True` has no v2 equivalent; validate the items' own type",
    "whole": "`whole=` has no v2 equivalent",
    "skip_on_failure": "v2 model validators have no `skip_on_failure`",
}
_POST_ROOT = (
    "a v1 root validator without `pre=True` receives the values dict, while a v2 "
    '`mode="after"` validator receives the model instance'
)
_SIGNATURE = "the v1 `values`, `config` and `field` parameters are replaced by `info` in v2"

_HEAD = "from pydantic import BaseModel, validator\n\n\n"


@register
class PydanticV1Validator(Rule):
    code = "FBP308"
    name = "pydantic-v1-validator"
    severity = Severity.WARNING
    summary = "A pydantic v1 `@validator` or `@root_validator` decorator."
    why = (
        "`@validator` and `@root_validator` are deprecated in pydantic v2 and will be removed. "
        "Their v2 replacements, `@field_validator` and `@model_validator`, state the mode "
        "(`before`/`after`) explicitly, pass a typed `ValidationInfo` instead of the loosely "
        "shaped `values`/`config`/`field` arguments, and are what current documentation and "
        "type checkers expect."
    )
    recommended = (
        "from pydantic import BaseModel, field_validator\n\n\nclass User(BaseModel):\n"
        "    name: str\n\n    @field_validator('name')\n    @classmethod\n"
        "    def strip_name(cls, v: str) -> str:\n        return v.strip()\n"
    )
    fix_summary = (
        '`@validator(...)` becomes `@field_validator(...)` (`pre=True` → `mode="before"`, '
        "`allow_reuse` dropped) and `@root_validator(pre=True)` becomes "
        '`@model_validator(mode="before")`, with `@classmethod` added and the new name '
        "imported. Offered only for validators taking exactly `(cls, value)`, without "
        "`always`, `each_item` or `skip_on_failure`, and never for `@root_validator` without "
        "`pre=True`, whose v2 form receives the model instead of a dict."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _HEAD + "class User(BaseModel):\n    name: str\n\n    @validator('name')\n"
            "    def strip_name(cls, v):\n        return v.strip()\n",
            line=7,
            fixed="from pydantic import BaseModel, validator, field_validator\n\n\n"
            "class User(BaseModel):\n    name: str\n\n    @field_validator('name')\n"
            "    @classmethod\n    def strip_name(cls, v):\n        return v.strip()\n",
        ),
        Invalid(
            _HEAD + "class User(BaseModel):\n    first: str\n    last: str\n\n"
            "    @validator('first', 'last', pre=True, allow_reuse=True)\n    @classmethod\n"
            "    def lower(cls, v):\n        return v.lower()\n",
            line=8,
            fixed="from pydantic import BaseModel, validator, field_validator\n\n\n"
            "class User(BaseModel):\n    first: str\n    last: str\n\n"
            "    @field_validator('first', 'last', mode='before')\n    @classmethod\n"
            "    def lower(cls, v):\n        return v.lower()\n",
        ),
        Invalid(
            "import pydantic\n\n\nclass Window(pydantic.BaseModel):\n    width: int\n\n"
            "    @pydantic.root_validator(pre=True)\n    def defaults(cls, values):\n"
            "        values.setdefault('width', 80)\n        return values\n",
            line=7,
            fixed="import pydantic\n\n\nclass Window(pydantic.BaseModel):\n    width: int\n\n"
            '    @pydantic.model_validator(mode="before")\n    @classmethod\n'
            "    def defaults(cls, values):\n        values.setdefault('width', 80)\n"
            "        return values\n",
        ),
        Invalid(
            "from pydantic import BaseModel, root_validator\n\n\nclass Range(BaseModel):\n"
            "    low: int\n    high: int\n\n    @root_validator\n    def ordered(cls, values):\n"
            "        assert values['low'] <= values['high']\n        return values\n",
            line=8,
            note="post root validator: no fix",
        ),
        Invalid(
            _HEAD + "class Signup(BaseModel):\n    password: str\n    confirm: str\n\n"
            "    @validator('confirm')\n    def same(cls, v, values):\n"
            "        if v != values.get('password'):\n            raise ValueError('mismatch')\n"
            "        return v\n",
            line=8,
            note="uses `values`: no fix",
        ),
        Invalid(
            _HEAD + "class Tags(BaseModel):\n    tags: list[str]\n\n"
            "    @validator('tags', each_item=True)\n    def strip(cls, v):\n"
            "        return v.strip()\n",
            line=7,
            note="`each_item=True`: no fix",
        ),
        Valid(
            "from pydantic import BaseModel, field_validator\n\n\nclass User(BaseModel):\n"
            "    name: str\n\n    @field_validator('name')\n    @classmethod\n"
            "    def strip_name(cls, v):\n        return v.strip()\n",
        ),
        Valid(
            "from pydantic import BaseModel, model_validator\n\n\nclass Range(BaseModel):\n"
            "    low: int\n    high: int\n\n    @model_validator(mode='after')\n"
            "    def ordered(self):\n        return self\n",
        ),
        Valid(
            "from wtforms import validators as validator\n\n\nclass Form:\n"
            "    @validator('name')\n    def check(self, v):\n        return v\n",
            note="not pydantic",
        ),
        Valid(
            "from pydantic.v1 import BaseModel, validator\n\n\nclass Legacy(BaseModel):\n"
            "    name: str\n\n    @validator('name')\n    def strip(cls, v):\n"
            "        return v.strip()\n",
            note="the pydantic.v1 compatibility API",
        ),
        Valid(
            "from marshmallow import validates as validator\n\n\nclass Schema:\n"
            "    @validator('email')\n    def check(self, value):\n        return value\n",
        ),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        validators = function_validators(ctx, node, ctx.scope)
        if not any(v.style.is_v1 for v in validators):
            return
        in_class = isinstance(ctx.parent, ast.ClassDef)
        for decorator in validators:
            if not decorator.style.is_v1:
                continue
            reason = _no_fix_reason(ctx.resolver, ctx.scope, node, decorator) if in_class else ""
            fixable = reason is None and _names_usable(ctx.scope, decorator, node, ctx)
            new = _REPLACEMENTS[decorator.style]
            message = f"`@{decorator.style.value}` is pydantic v1 API; use `@{new}`"
            if reason:
                message += f". No automatic fix: {reason}"
            ctx.report(self, decorator.node, message, fixes=(USE_V2_VALIDATOR,) if fixable else ())

    def fix_v2_validator(self, request: FixRequest) -> list[TextEdit] | None:
        node = request.finding_node(ast.Call)
        ancestors = request.ancestors(node) if node is not None else []
        func = ancestors[0] if ancestors else None
        if not isinstance(func, ast.FunctionDef) or len(ancestors) < 2:
            return None
        if not isinstance(ancestors[1], ast.ClassDef):
            return None
        scope = request.scope_of(func)
        decorator = next(
            (d for d in validator_decorators(request.resolver, func, scope) if d.node is node),
            None,
        )
        if decorator is None or _no_fix_reason(request.resolver, scope, func, decorator):
            return None
        new = _REPLACEMENTS[decorator.style]
        edits: list[TextEdit] = []
        call = decorator.call
        assert call is not None
        if isinstance(call.func, ast.Name):
            import_edit = import_name(
                request, "pydantic", new, frozenset({f"pydantic.functional_validators.{new}"})
            )
            edits.extend([import_edit] if import_edit else [])
        quote = _quote_style(request, call)

        def transform(expression: cst.BaseExpression) -> cst.BaseExpression:
            assert isinstance(expression, cst.Call)
            return _rewritten(expression, new, quote)

        rewritten = rewrite_expression(request, call, transform)
        if rewritten is None:
            return None
        edits.append(rewritten)
        if not _has_classmethod(request.resolver, scope, func):
            line = func.lineno - 1
            indent = line_indent(request, line)
            if request.lines.line_text(line)[len(indent) :].startswith(("def ", "async ")):
                where = Position(line, 0)
                edits.append(
                    TextEdit(Range(where, where), f"{indent}@classmethod{request.newline}")
                )
            else:
                return None
        return edits


def _no_fix_reason(
    resolver: Resolver, scope: Scope, func: FunctionNode, decorator: ValidatorDecorator
) -> str | None:
    """Why no faithful rewrite exists ("" when there is no simple explanation), or None."""
    call = decorator.call
    if call is None:
        return _POST_ROOT if decorator.style is ValidatorStyle.V1_ROOT else ""
    if any(k.arg is None for k in call.keywords):
        return ""
    for keyword in call.keywords:
        if keyword.arg in _NO_FIX_REASONS:
            return _NO_FIX_REASONS[keyword.arg]
    keywords = {k.arg: k.value for k in call.keywords}
    if decorator.style is ValidatorStyle.V1_ROOT:
        pre = keywords.get("pre")
        if call.args or not (isinstance(pre, ast.Constant) and pre.value is True):
            return _POST_ROOT
        if set(keywords) - {"pre", "allow_reuse"}:
            return ""
    else:
        if not call.args or not all(
            isinstance(a, ast.Starred) or (isinstance(a, ast.Constant) and isinstance(a.value, str))
            for a in call.args
        ):
            return ""
        if set(keywords) - _FIELD_KEYWORDS:
            return ""
        pre = keywords.get("pre")
        if pre is not None and not (isinstance(pre, ast.Constant) and isinstance(pre.value, bool)):
            return ""
    if not has_plain_signature(func):
        return _SIGNATURE
    if not _plain_decorator_stack(resolver, scope, func):
        return ""
    return None


def _plain_decorator_stack(resolver: Resolver, scope: Scope, func: FunctionNode) -> bool:
    """Only pydantic validators, with `@classmethod` (if any) last, right above the `def`."""
    validators = {id(d.node) for d in validator_decorators(resolver, func, scope)}
    decorators = func.decorator_list
    for index, decorator in enumerate(decorators):
        if id(decorator) in validators:
            continue
        if index != len(decorators) - 1 or resolver.qualname(decorator, scope) != _CLASSMETHOD:
            return False
    return True


def _has_classmethod(resolver: Resolver, scope: Scope, func: FunctionNode) -> bool:
    return any(resolver.qualname(d, scope) == _CLASSMETHOD for d in func.decorator_list)


def _names_usable(
    scope: Scope, decorator: ValidatorDecorator, func: FunctionNode, ctx: FileContext
) -> bool:
    call = decorator.call
    if call is None:
        return False
    new = _REPLACEMENTS[decorator.style]
    if isinstance(call.func, ast.Name) and not name_usable(
        scope, new, frozenset({f"pydantic.{new}", f"pydantic.functional_validators.{new}"})
    ):
        return False
    return _has_classmethod(ctx.resolver, scope, func) or scope.lookup("classmethod") is None


def _quote_style(request: FixRequest, call: ast.Call) -> str:
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            text = request.segment(arg).lstrip("rRuU")
            return text[:1] if text[:1] in ("'", '"') else '"'
    return '"'


def _rewritten(call: cst.Call, new: str, quote: str) -> cst.Call:
    func = call.func
    if isinstance(func, cst.Attribute):
        new_func: cst.BaseExpression = func.with_changes(attr=cst.Name(new))
    else:
        new_func = cst.Name(new)
    mode = cst.SimpleString(f"{quote}before{quote}")
    args: list[cst.Arg] = []
    for arg in call.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword == "allow_reuse":
            continue
        if keyword == "pre":
            value = arg.value
            if isinstance(value, cst.Name) and value.value == "True":
                args.append(arg.with_changes(keyword=cst.Name("mode"), value=mode))
            continue
        args.append(arg)
    if args and call.args and args[-1] is not call.args[-1]:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=new_func, args=args)
