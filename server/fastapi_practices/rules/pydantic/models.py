"""Recognising pydantic models, settings classes and validators from evidence in the code.

A class is a model when its base chain reaches a known pydantic base through imports and
definitions (in this file or elsewhere in the workspace). `pydantic.v1` is deliberately not
recognised: code that imports it asks for the v1 API on purpose.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode, Resolver
from fastapi_practices.engine.scopes import BindingKind, Scope

MODEL_BASES = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic.RootModel",
        "pydantic.root_model.RootModel",
        "sqlmodel.SQLModel",
        "sqlmodel.main.SQLModel",
    }
)
SETTINGS_BASES = frozenset(
    {
        "pydantic_settings.BaseSettings",
        "pydantic_settings.main.BaseSettings",
        "pydantic.BaseSettings",
        "pydantic.env_settings.BaseSettings",
    }
)

V1_FIELD_VALIDATORS = frozenset(
    {
        "pydantic.validator",
        "pydantic.class_validators.validator",
        "pydantic.deprecated.class_validators.validator",
    }
)
V1_ROOT_VALIDATORS = frozenset(
    {
        "pydantic.root_validator",
        "pydantic.class_validators.root_validator",
        "pydantic.deprecated.class_validators.root_validator",
    }
)
V2_FIELD_VALIDATORS = frozenset(
    {"pydantic.field_validator", "pydantic.functional_validators.field_validator"}
)
V2_MODEL_VALIDATORS = frozenset(
    {"pydantic.model_validator", "pydantic.functional_validators.model_validator"}
)
FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field"})

_MODEL_CACHE = "pydantic.model-kinds"
_VALIDATOR_CACHE = "pydantic.validators"
_ALIAS_CACHE = "pydantic.validator-aliases"


class ModelKind(enum.Enum):
    MODEL = "model"
    SETTINGS = "settings"


def model_kind(ctx: FileContext, cls: ast.ClassDef, scope: Scope) -> ModelKind | None:
    """What `cls` is; `scope` is the scope its bases are evaluated in. Cached per file."""
    cache = ctx.rule_state_for(_MODEL_CACHE)
    key = id(cls)
    if key not in cache:
        cache[key] = classify(ctx.resolver, cls, scope)
    kind: ModelKind | None = cache[key]
    return kind


def classify(resolver: Resolver, cls: ast.ClassDef, scope: Scope) -> ModelKind | None:
    if _is_table(cls):
        return None
    found: ModelKind | None = None
    for base in cls.bases:
        expr = base.value if isinstance(base, ast.Subscript) else base
        name = resolver.qualname(expr, scope)
        if name is None:
            continue
        if resolver.is_subclass_of(name, SETTINGS_BASES):
            return ModelKind.SETTINGS
        if resolver.is_subclass_of(name, MODEL_BASES):
            found = ModelKind.MODEL
    return found


def _is_table(cls: ast.ClassDef) -> bool:
    """`class Hero(SQLModel, table=True)` is an ORM table, not a pydantic model."""
    return any(
        k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in cls.keywords
    )


def enclosing_model(ctx: FileContext) -> tuple[ast.ClassDef, ModelKind] | None:
    """The model whose body directly holds the node being visited."""
    parent = ctx.parent
    if not isinstance(parent, ast.ClassDef) or ctx.scope.parent is None:
        return None
    kind = model_kind(ctx, parent, ctx.scope.parent)
    return (parent, kind) if kind is not None else None


class ValidatorStyle(enum.Enum):
    V1_FIELD = "validator"
    V1_ROOT = "root_validator"
    V2_FIELD = "field_validator"
    V2_MODEL = "model_validator"

    @property
    def is_v1(self) -> bool:
        return self in (ValidatorStyle.V1_FIELD, ValidatorStyle.V1_ROOT)


_STYLES = {
    **dict.fromkeys(V1_FIELD_VALIDATORS, ValidatorStyle.V1_FIELD),
    **dict.fromkeys(V1_ROOT_VALIDATORS, ValidatorStyle.V1_ROOT),
    **dict.fromkeys(V2_FIELD_VALIDATORS, ValidatorStyle.V2_FIELD),
    **dict.fromkeys(V2_MODEL_VALIDATORS, ValidatorStyle.V2_MODEL),
}


@dataclass(frozen=True)
class ValidatorDecorator:
    """One pydantic validator decorator: `node` is the expression after `@`."""

    node: ast.expr
    style: ValidatorStyle

    @property
    def call(self) -> ast.Call | None:
        return self.node if isinstance(self.node, ast.Call) else None

    def keyword(self, name: str) -> ast.expr | None:
        call = self.call
        if call is None:
            return None
        return next((k.value for k in call.keywords if k.arg == name), None)

    @property
    def field_names(self) -> list[str] | None:
        """The field names a field validator names, when they are all plain strings."""
        call = self.call
        if call is None or not call.args:
            return None
        names = [a.value for a in call.args if isinstance(a, ast.Constant)]
        if len(names) != len(call.args) or not all(isinstance(n, str) for n in names):
            return None
        return [str(n) for n in names]


def may_be_validator(func: FunctionNode, aliases: frozenset[str] = frozenset()) -> bool:
    """Cheap test before resolving names: some decorator is spelled `...validator`, or is
    one of the `aliases` a module gave pydantic's validators on import."""
    for decorator in func.decorator_list:
        name = _decorator_name(decorator)
        if name.endswith("validator") or name in aliases:
            return True
    return False


def validator_aliases(ctx: FileContext) -> frozenset[str]:
    """Module-level names imported as a pydantic validator under another name."""
    cache = ctx.rule_state_for(_ALIAS_CACHE)
    found = cache.get("aliases")
    if found is None:
        found = cache["aliases"] = frozenset(
            name
            for name, bindings in ctx.resolver.module_scope.bindings.items()
            if not name.endswith("validator")
            and any(b.kind is BindingKind.IMPORT and b.qualname in _STYLES for b in bindings)
        )
    aliases: frozenset[str] = found
    return aliases


def _decorator_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


def validator_decorators(
    resolver: Resolver, func: FunctionNode, scope: Scope
) -> list[ValidatorDecorator]:
    """The pydantic validator decorators of `func`; `scope` is where decorators run."""
    found = []
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        style = _STYLES.get(resolver.qualname(target, scope) or "")
        if style is not None:
            found.append(ValidatorDecorator(decorator, style))
    return found


def function_validators(
    ctx: FileContext, func: FunctionNode, scope: Scope
) -> list[ValidatorDecorator]:
    """`validator_decorators`, cached per file (several rules ask about one function)."""
    cache = ctx.rule_state_for(_VALIDATOR_CACHE)
    key = id(func)
    if key not in cache:
        cache[key] = (
            validator_decorators(ctx.resolver, func, scope)
            if may_be_validator(func, validator_aliases(ctx))
            else []
        )
    found: list[ValidatorDecorator] = cache[key]
    return found


def value_parameter(func: FunctionNode) -> str | None:
    """The parameter receiving the value: the one after `cls`."""
    positional = [*func.args.posonlyargs, *func.args.args]
    return positional[1].arg if len(positional) >= 2 else None


def has_plain_signature(func: FunctionNode) -> bool:
    """Exactly `(cls, value)`: no defaults, no `*args`, no keyword-only parameters."""
    args = func.args
    return (
        len(args.posonlyargs) + len(args.args) == 2
        and not args.defaults
        and args.vararg is None
        and args.kwarg is None
        and not args.kwonlyargs
    )


def name_usable(scope: Scope, name: str, accepted: frozenset[str]) -> bool:
    """`name` is unbound here (so an import can add it) or already imported as `accepted`."""
    bindings = scope.lookup(name)
    if bindings is None:
        return not scope.star_import_visible()
    return all(b.kind is BindingKind.IMPORT and b.qualname in accepted for b in bindings)
