"""FBP303: a validator that only matches a constant regex, where `Field(pattern=...)` would do."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode, Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.models import (
    FIELD_FUNCTIONS,
    ValidatorStyle,
    name_usable,
    validator_decorators,
)
from fastapi_practices.rules.pydantic.regex_patterns import field_pattern_affixes
from fastapi_practices.rules.pydantic.source_edits import (
    import_name,
    node_starting_at,
    remove_lines,
)
from fastapi_practices.rules.pydantic.string_fields import plain_str_node
from fastapi_practices.rules.pydantic.validator_shapes import (
    Guard,
    RegexCheck,
    guard_of,
    regex_check,
    single_field_validator,
    validator_guard,
)
from fastapi_practices.rules.registry import register

USE_FIELD_PATTERN = FixOption(
    "field-pattern",
    "Declare the regex as `Field(pattern=...)` and remove the validator",
    Applicability.SAFE,
    is_preferred=True,
)
_CLASSMETHOD = "builtins.classmethod"

_HEAD = "import re\n\nfrom pydantic import BaseModel, field_validator\n\n\n"


@dataclass(frozen=True)
class _Plan:
    field: ast.AnnAssign
    pattern: str


@register
class RegexValidator(Rule):
    code = "FBP303"
    name = "regex-validator"
    severity = Severity.INFO
    summary = "A validator whose only job is to match a fixed regular expression."
    why = (
        "pydantic checks a pattern itself with `Field(pattern=...)`: one line next to the "
        "field instead of a decorated method, the pattern appears in the OpenAPI schema so "
        "clients can validate before sending, and the check runs in pydantic's compiled core."
    )
    recommended = (
        "from pydantic import BaseModel, Field\n\n\nclass Product(BaseModel):\n"
        '    sku: str = Field(pattern=r"^[A-Z]{3}-\\d{4}$")\n'
    )
    fix_summary = (
        "Add `pattern=` to the field (`re.match` gains a leading `^`, `re.fullmatch` also a "
        "trailing `$`) and delete the validator. Offered only for the plain shape "
        "`if not re.match(PATTERN, v): raise ValueError(...)` then `return v`, for a `str` "
        "field of the same class, and for patterns that pydantic's Rust regex engine reads the "
        "same way as Python. The error message becomes pydantic's own; imports the validator "
        "used are left for your linter."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _HEAD + "class Product(BaseModel):\n    name: str\n    sku: str\n\n"
            "    @field_validator('sku')\n    @classmethod\n"
            "    def check_sku(cls, v: str) -> str:\n"
            '        if not re.match(r"^[A-Z]{3}-\\d{4}$", v):\n'
            "            raise ValueError('SKU must look like ABC-1234')\n        return v\n",
            line=12,
            fixed="import re\n\nfrom pydantic import BaseModel, field_validator, Field\n\n\n"
            "class Product(BaseModel):\n    name: str\n"
            '    sku: str = Field(pattern=r"^[A-Z]{3}-\\d{4}$")\n',
        ),
        Invalid(
            "import re\n\nfrom pydantic import BaseModel, Field, validator\n\n"
            "ZIP_CODE = r'^\\d{5}$'\n\n\nclass Address(BaseModel):\n"
            "    zip_code: str = Field(..., description='US ZIP')\n\n"
            "    @validator('zip_code')\n    def zip_ok(cls, value):\n"
            "        if re.fullmatch(ZIP_CODE, value) is None:\n"
            "            raise ValueError('bad ZIP code')\n        return value\n\n"
            "    city: str\n",
            line=12,
            fixed="import re\n\nfrom pydantic import BaseModel, Field, validator\n\n"
            "ZIP_CODE = r'^\\d{5}$'\n\n\nclass Address(BaseModel):\n"
            "    zip_code: str = Field(..., description='US ZIP', pattern=ZIP_CODE)\n\n"
            "    city: str\n",
            note="v1 validator, module constant, existing Field()",
        ),
        Invalid(
            _HEAD + "class Tag(BaseModel):\n    slug: str = 'general'\n\n"
            "    @field_validator('slug')\n    @classmethod\n    def slug_ok(cls, v):\n"
            "        if not re.match('[a-z0-9-]+', v):\n"
            "            raise ValueError('bad slug')\n        return v\n",
            line=11,
            fixed="import re\n\nfrom pydantic import BaseModel, field_validator, Field\n\n\n"
            "class Tag(BaseModel):\n    slug: str = Field('general', pattern='^[a-z0-9-]+')\n",
            note="re.match anchors at the start only",
        ),
        Invalid(
            _HEAD + "SLUG = re.compile(r'[a-z]+', re.IGNORECASE)\n\n\n"
            "class Tag(BaseModel):\n    slug: str\n\n    @field_validator('slug')\n"
            "    @classmethod\n    def slug_ok(cls, v):\n"
            "        assert SLUG.fullmatch(v), 'bad slug'\n"
            "        return v\n",
            line=14,
            note="compiled pattern with flags and an assert: reported without a fix",
        ),
        Invalid(
            _HEAD + "class User(BaseModel):\n    handle: str\n\n    @field_validator('handle')\n"
            "    @classmethod\n    def handle_ok(cls, v):\n"
            "        if not re.match(r'^(?!admin)\\w+$', v):\n"
            "            raise ValueError('reserved handle')\n        return v\n",
            line=11,
            note="a look-ahead, which pydantic's default regex engine rejects: no fix",
        ),
        Valid(
            "from pydantic import BaseModel, Field\n\n\nclass Product(BaseModel):\n"
            "    sku: str = Field(pattern=r'^[A-Z]{3}-\\d{4}$')\n",
        ),
        Valid(
            _HEAD + "class Product(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def check_sku(cls, v: str) -> str:\n"
            "        v = v.strip().upper()\n"
            "        if not re.match(r'^[A-Z]{3}-\\d{4}$', v):\n"
            "            raise ValueError('bad SKU')\n        return v\n",
            note="also normalises the value",
        ),
        Valid(
            _HEAD + "class Product(BaseModel):\n    sku: str\n    prefix: str\n\n"
            "    @field_validator('sku')\n    @classmethod\n    def check_sku(cls, v, info):\n"
            "        if not re.match(info.data['prefix'], v):\n"
            "            raise ValueError('bad SKU')\n        return v\n",
            note="the pattern is not a constant",
        ),
        Valid(
            "import re\n\n\nclass Form:\n    def validator(self, v):\n"
            "        if not re.match(r'^\\d+$', v):\n            raise ValueError('digits')\n"
            "        return v\n",
            note="not a pydantic validator",
        ),
        Valid(
            "import re\n\nfrom somelib import field_validator\nfrom pydantic import BaseModel\n\n"
            "\nclass Product(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    def check_sku(cls, v):\n        if not re.match(r'^\\d+$', v):\n"
            "            raise ValueError('digits')\n        return v\n",
            note="`field_validator` from another library",
        ),
        Valid(
            _HEAD + "class Product(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def check_sku(cls, v):\n"
            "        if v.startswith('X'):\n            raise ValueError('no X')\n"
            "        return v\n",
            note="no regex",
        ),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        guard = validator_guard(ctx, node)
        if guard is None:
            return
        check = regex_check(guard, ctx.resolver, ctx.scope)
        if check is None:
            return
        cls = ctx.parent
        assert isinstance(cls, ast.ClassDef)
        plan = _plan(
            ctx.resolver,
            ctx.scope,
            cls,
            guard,
            check,
            lambda n: ctx.lines.source_segment(ctx.range_of(n)),
        )
        fixable = plan is not None and name_usable(ctx.scope, "Field", FIELD_FUNCTIONS)
        ctx.report(
            self,
            ctx.def_range(node),
            f"`{node.name}` only checks a fixed regular expression; "
            "declare it with `Field(pattern=...)`",
            fixes=(USE_FIELD_PATTERN,) if fixable else (),
        )

    def fix_field_pattern(self, request: FixRequest) -> list[TextEdit] | None:
        func = node_starting_at(request, request.finding.range.start, ast.FunctionDef)
        if not isinstance(func, ast.FunctionDef):
            return None
        ancestors = request.ancestors(func)
        cls = ancestors[0] if ancestors else None
        if not isinstance(cls, ast.ClassDef):
            return None
        scope = request.scope_of(func)
        decorator = single_field_validator(validator_decorators(request.resolver, func, scope))
        guard = guard_of(func, decorator) if decorator is not None else None
        check = regex_check(guard, request.resolver, scope) if guard is not None else None
        if guard is None or check is None:
            return None
        plan = _plan(request.resolver, scope, cls, guard, check, request.segment)
        if plan is None:
            return None
        first = min(d.lineno for d in func.decorator_list) - 1
        if not request.lines.line_text(first).lstrip().startswith("@"):
            return None
        import_edit = import_name(request, "pydantic", "Field", FIELD_FUNCTIONS)
        field_edit = _field_edit(request, plan)
        if field_edit is None:
            return None
        removal = remove_lines(request, first, (func.end_lineno or func.lineno) - 1)
        return [field_edit, removal, *([import_edit] if import_edit else [])]


def _plan(
    resolver: Resolver,
    scope: Scope,
    cls: ast.ClassDef,
    guard: Guard,
    check: RegexCheck,
    segment: Callable[[ast.AST], str],
) -> _Plan | None:
    """What the fix would write, or None when the validator is not exactly the plain shape."""
    if check.has_flags or not guard.if_raise_return or guard.raise_node is None:
        return None
    exc = guard.raise_node.exc
    if not isinstance(exc, ast.Call) or resolver.qualname(exc.func, scope) != "builtins.ValueError":
        return None
    if not _plain_decorators(resolver, scope, guard) or _referenced(cls, guard.function):
        return None
    fields = guard.decorator.field_names
    if fields is None or len(fields) != 1:
        return None
    field = _field(cls, fields[0])
    # Only a required-type `str`: with `Optional[str]` the validator also sees `None`.
    if field is None or not isinstance(field.annotation, ast.Name):
        return None
    if plain_str_node(field.annotation, lambda e: resolver.qualname(e, scope)) is None:
        return None
    if not _field_value_accepts_pattern(field.value, resolver, scope):
        return None
    pattern = _pattern_source(check, segment)
    return _Plan(field, pattern) if pattern is not None else None


def _plain_decorators(resolver: Resolver, scope: Scope, guard: Guard) -> bool:
    """Only the validator (after-mode, no options) and possibly `@classmethod`."""
    decorator = guard.decorator
    call = decorator.call
    if call is None:
        return False
    for keyword in call.keywords:
        if decorator.style is ValidatorStyle.V2_FIELD and keyword.arg == "mode":
            if not (isinstance(keyword.value, ast.Constant) and keyword.value.value == "after"):
                return False
        elif not (decorator.style is ValidatorStyle.V1_FIELD and keyword.arg == "allow_reuse"):
            return False
    return all(
        d is decorator.node or resolver.qualname(d, scope) == _CLASSMETHOD
        for d in guard.function.decorator_list
    )


def _referenced(cls: ast.ClassDef, func: FunctionNode) -> bool:
    """Something in the class mentions the validator by name (it is more than a check)."""
    for node in ast.walk(cls):
        if (isinstance(node, ast.Name) and node.id == func.name) or (
            isinstance(node, ast.Attribute) and node.attr == func.name
        ):
            return True
    return False


def _field(cls: ast.ClassDef, name: str) -> ast.AnnAssign | None:
    found = [
        s
        for s in cls.body
        if isinstance(s, ast.AnnAssign | ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in _targets(s))
    ]
    return found[0] if len(found) == 1 and isinstance(found[0], ast.AnnAssign) else None


def _targets(statement: ast.AnnAssign | ast.Assign) -> list[ast.expr]:
    return [statement.target] if isinstance(statement, ast.AnnAssign) else statement.targets


def _field_value_accepts_pattern(value: ast.expr | None, resolver: Resolver, scope: Scope) -> bool:
    if value is None or isinstance(value, ast.Constant):
        return True
    if (
        not isinstance(value, ast.Call)
        or resolver.qualname(value.func, scope) not in FIELD_FUNCTIONS
    ):
        return False
    if len(value.args) > 1 or any(isinstance(a, ast.Starred) for a in value.args):
        return False
    return all(k.arg is not None and k.arg not in ("pattern", "regex") for k in value.keywords)


def _pattern_source(check: RegexCheck, segment: Callable[[ast.AST], str]) -> str | None:
    affixes = field_pattern_affixes(check.pattern_text, check.how)
    if affixes is None:
        return None
    source = segment(check.pattern)
    if affixes == ("", ""):
        return source
    if not isinstance(check.pattern, ast.Constant) or not _single_string_token(source):
        return None
    prefix, suffix = affixes
    opening = len(source) - len(source.lstrip("rRuU")) + 1
    return source[:opening] + prefix + source[opening:-1] + suffix + source[-1]


def _single_string_token(source: str) -> bool:
    """One plain string literal (not triple-quoted, not implicitly concatenated, no f-string)."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, SyntaxError):
        return False
    if len(tokens) != 1 or tokens[0].type != tokenize.STRING:
        return False
    body = source.lstrip("rRuU")
    return body[:3] not in ('"""', "'''") and body[:1] in ("'", '"')


def _field_edit(request: FixRequest, plan: _Plan) -> TextEdit | None:
    field = plan.field
    value = field.value
    keyword = f"pattern={plan.pattern}"
    if value is None:
        end = request.lines.node_range(field.annotation).end
        return TextEdit(Range(end, end), f" = Field({keyword})")
    if isinstance(value, ast.Constant):
        return TextEdit(
            request.lines.node_range(value), f"Field({request.segment(value)}, {keyword})"
        )
    if not isinstance(value, ast.Call):
        return None
    arguments: list[ast.AST] = [*value.args, *value.keywords]
    if arguments:
        end = request.lines.node_range(arguments[-1]).end
        return TextEdit(Range(end, end), f", {keyword}")
    close = request.lines.node_range(value).end
    before = close.__class__(close.line, close.column - 1)
    return TextEdit(Range(before, before), keyword)
