"""Validators whose whole body is one check and one raise: the shapes FBP303/FBP304 replace
with declarative constraints (a `Field(pattern=...)`, a `Literal[...]`)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode, Resolver
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.rules.pydantic.models import (
    ValidatorDecorator,
    ValidatorStyle,
    enclosing_model,
    function_validators,
    value_parameter,
)

REGEX_FUNCTIONS = {"re.match": "match", "re.fullmatch": "fullmatch", "re.search": "search"}
_SET_BUILDERS = frozenset({"builtins.frozenset", "builtins.set", "builtins.tuple", "builtins.list"})


@dataclass(frozen=True)
class Guard:
    """A one-check validator: the value is valid exactly when `bool(condition)` equals
    `truthy_is_valid`; `raise_node` rejects it (None for `assert`). `if_raise_return` marks
    the plain `if ...: raise ...` then `return value` form."""

    function: FunctionNode
    decorator: ValidatorDecorator
    value: str
    condition: ast.expr
    truthy_is_valid: bool
    raise_node: ast.Raise | None
    if_raise_return: bool


@dataclass(frozen=True)
class RegexCheck:
    how: str
    pattern: ast.expr
    pattern_text: str
    has_flags: bool


def single_field_validator(decorators: list[ValidatorDecorator]) -> ValidatorDecorator | None:
    """The field validator, when it is the function's only pydantic validator and receives
    the field value itself (not a `mode="wrap"` handler)."""
    if len(decorators) != 1:
        return None
    decorator = decorators[0]
    if decorator.style not in (ValidatorStyle.V1_FIELD, ValidatorStyle.V2_FIELD):
        return None
    mode = decorator.keyword("mode")
    if isinstance(mode, ast.Constant) and mode.value == "wrap":
        return None
    return decorator


def guard_of(func: FunctionNode, decorator: ValidatorDecorator) -> Guard | None:
    """The check when the body is `if <invalid>: raise ...` / `assert <valid>` then
    `return value`, or `if <valid>: return value` then `raise ...`."""
    value = value_parameter(func)
    body = func.body
    if body and _is_docstring(body[0]):
        body = body[1:]
    if value is None or len(body) != 2:
        return None
    first, second = body
    if _returns(second, value):
        if isinstance(first, ast.Assert):
            condition, valid = _normalise(first.test, True)
            return Guard(func, decorator, value, condition, valid, None, False)
        if (
            isinstance(first, ast.If)
            and not first.orelse
            and len(first.body) == 1
            and isinstance(first.body[0], ast.Raise)
        ):
            condition, valid = _normalise(first.test, False)
            return Guard(func, decorator, value, condition, valid, first.body[0], True)
        return None
    if (
        isinstance(first, ast.If)
        and isinstance(second, ast.Raise)
        and not first.orelse
        and len(first.body) == 1
        and _returns(first.body[0], value)
    ):
        condition, valid = _normalise(first.test, True)
        return Guard(func, decorator, value, condition, valid, second, False)
    return None


def _normalise(test: ast.expr, valid: bool) -> tuple[ast.expr, bool]:
    """Strip `not` and `is None`/`is not None` from a test whose truth means `valid`."""
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, valid = test.operand, not valid
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is | ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return test.left, valid if isinstance(test.ops[0], ast.IsNot) else not valid
    return test, valid


def _returns(statement: ast.stmt, value: str) -> bool:
    return (
        isinstance(statement, ast.Return)
        and isinstance(statement.value, ast.Name)
        and statement.value.id == value
    )


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def regex_check(guard: Guard, resolver: Resolver, scope: Scope) -> RegexCheck | None:
    """`re.match(P, value)`-like checks of a constant pattern (or a compiled constant)."""
    call = guard.condition
    params = _parameter_names(guard.function)
    if not guard.truthy_is_valid or not isinstance(call, ast.Call) or call.keywords:
        return None
    func = call.func
    if isinstance(func, ast.Attribute) and _root_name(func) in params:
        return None
    name = resolver.qualname(func, scope)
    if name in REGEX_FUNCTIONS:
        if len(call.args) not in (2, 3) or not _is_name(call.args[1], guard.value):
            return None
        text = constant_string(call.args[0], resolver, scope, params)
        if text is None:
            return None
        return RegexCheck(REGEX_FUNCTIONS[name], call.args[0], text, len(call.args) == 3)
    if not isinstance(func, ast.Attribute) or func.attr not in ("match", "fullmatch", "search"):
        return None
    if len(call.args) != 1 or not _is_name(call.args[0], guard.value):
        return None
    compiled = _compiled_pattern(func.value, resolver, scope, params)
    if compiled is None or not compiled.args:
        return None
    text = constant_string(compiled.args[0], resolver, scope, params)
    if text is None:
        return None
    flags = len(compiled.args) > 1 or bool(compiled.keywords)
    return RegexCheck(func.attr, compiled.args[0], text, flags)


def _compiled_pattern(
    expr: ast.expr, resolver: Resolver, scope: Scope, params: frozenset[str]
) -> ast.Call | None:
    if isinstance(expr, ast.Name) and expr.id not in params:
        bound = module_constant(resolver, scope, expr.id)
        expr = bound if bound is not None else expr
    if isinstance(expr, ast.Call) and resolver.qualname(expr.func, scope) == "re.compile":
        return expr
    return None


def membership_values(guard: Guard, resolver: Resolver, scope: Scope) -> list[object] | None:
    """The constants of `value in {...}` (inline or a module constant), when that is the check."""
    test = guard.condition
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.In | ast.NotIn)
        and isinstance(test.ops[0], ast.In) == guard.truthy_is_valid
        and _is_name(test.left, guard.value)
    ):
        return None
    collection = test.comparators[0]
    params = _parameter_names(guard.function)
    if isinstance(collection, ast.Name) and collection.id not in params:
        bound = module_constant(resolver, scope, collection.id)
        collection = bound if bound is not None else collection
    if (
        isinstance(collection, ast.Call)
        and len(collection.args) == 1
        and not collection.keywords
        and resolver.qualname(collection.func, scope) in _SET_BUILDERS
    ):
        collection = collection.args[0]
    if not isinstance(collection, ast.Set | ast.Tuple | ast.List) or not collection.elts:
        return None
    values: list[object] = []
    for element in collection.elts:
        if not isinstance(element, ast.Constant) or isinstance(element.value, bytes | float):
            return None
        values.append(element.value)
    return values


def constant_string(
    expr: ast.expr, resolver: Resolver, scope: Scope, params: frozenset[str]
) -> str | None:
    if isinstance(expr, ast.Name) and expr.id not in params:
        bound = module_constant(resolver, scope, expr.id)
        expr = bound if bound is not None else expr
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def module_constant(resolver: Resolver, scope: Scope, name: str) -> ast.expr | None:
    """The value of a module-level name assigned exactly once, when `name` here refers to it."""
    bindings = scope.lookup(name)
    module_bindings = resolver.module_scope.bindings.get(name)
    if not bindings or bindings is not module_bindings or len(bindings) != 1:
        return None
    binding = bindings[0]
    return binding.value if binding.kind is BindingKind.ASSIGN else None


def _parameter_names(func: FunctionNode) -> frozenset[str]:
    args = func.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return frozenset(names)


def _root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _is_name(expr: ast.expr, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name


def validator_guard(ctx: FileContext, func: FunctionNode) -> Guard | None:
    """During the traversal: `func` is a one-check field validator of a model."""
    decorator = single_field_validator(function_validators(ctx, func, ctx.scope))
    if decorator is None or enclosing_model(ctx) is None:
        return None
    return guard_of(func, decorator)
