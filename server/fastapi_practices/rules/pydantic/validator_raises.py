"""FBP310: a validator raising something pydantic does not turn into a validation error."""

from __future__ import annotations

import ast
import builtins

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.models import function_validators
from fastapi_practices.rules.registry import register

RAISE_VALUE_ERROR = FixOption(
    "value-error", "Raise `ValueError` with the same message", Applicability.SAFE, True
)
HTTP_EXCEPTIONS = frozenset({"fastapi.HTTPException"})
# Raised in a validator, these still become validation errors (or a documented signal).
PYDANTIC_SIGNALS = frozenset(
    f"{module}.{name}"
    for module in ("pydantic_core", "pydantic_core._pydantic_core")
    for name in (
        "PydanticCustomError",
        "PydanticKnownError",
        "PydanticOmit",
        "PydanticUseDefault",
        "ValidationError",
    )
) | {"pydantic.ValidationError", "pydantic.PydanticCustomError"}
# Known third-party exceptions that are not ValueError subclasses.
ESCAPING = HTTP_EXCEPTIONS | {
    "fastapi.exceptions.RequestValidationError",
    "fastapi.exceptions.WebSocketRequestValidationError",
    "fastapi.WebSocketException",
    "fastapi.exceptions.WebSocketException",
    "starlette.exceptions.WebSocketException",
}
_V2_ALLOWED: tuple[type[BaseException], ...] = (ValueError, AssertionError)
_V1_ALLOWED: tuple[type[BaseException], ...] = (ValueError, AssertionError, TypeError)
_MAX_DEPTH = 8

_MODEL = "from fastapi import HTTPException\nfrom pydantic import BaseModel, field_validator\n\n\n"


@register
class ValidatorRaisesNonValueError(Rule):
    code = "FBP310"
    name = "validator-raises-non-valueerror"
    severity = Severity.WARNING
    summary = "A validator raises an exception pydantic does not turn into a validation error."
    why = (
        "pydantic collects `ValueError`, `AssertionError` and `PydanticCustomError` from "
        "validators into a `ValidationError`, which FastAPI answers with a 422 that lists "
        "every problem. Anything else, `HTTPException` included, escapes validation as an "
        "ordinary exception: the other errors are lost, and when the model is built outside "
        "request parsing (in a service, for a response) the client gets a 500."
    )
    recommended = (
        "from pydantic import BaseModel, field_validator\n\n\nclass Order(BaseModel):\n"
        "    quantity: int\n\n    @field_validator('quantity')\n    @classmethod\n"
        "    def positive(cls, v: int) -> int:\n        if v <= 0:\n"
        "            raise ValueError('quantity must be positive')\n        return v\n"
    )
    fix_summary = (
        "Raise `ValueError` with the exception's message: the `detail` of an `HTTPException`, "
        "or the single argument of a builtin exception."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _MODEL + "class Order(BaseModel):\n    quantity: int\n\n"
            "    @field_validator('quantity')\n    @classmethod\n"
            "    def positive(cls, v: int) -> int:\n        if v <= 0:\n"
            "            raise HTTPException(status_code=400, detail='quantity must be positive')\n"
            "        return v\n",
            line=12,
            fixed=_MODEL + "class Order(BaseModel):\n    quantity: int\n\n"
            "    @field_validator('quantity')\n    @classmethod\n"
            "    def positive(cls, v: int) -> int:\n        if v <= 0:\n"
            "            raise ValueError('quantity must be positive')\n"
            "        return v\n",
        ),
        Invalid(
            "from fastapi import HTTPException, status\nfrom pydantic import BaseModel, validator\n"
            "\n\nclass Signup(BaseModel):\n    password: str\n\n    @validator('password')\n"
            "    def strong(cls, v):\n        if len(v) < 12:\n"
            "            raise HTTPException(status.HTTP_400_BAD_REQUEST, 'too short') from None\n"
            "        return v\n",
            line=11,
            fixed="from fastapi import HTTPException, status\n"
            "from pydantic import BaseModel, validator\n"
            "\n\nclass Signup(BaseModel):\n    password: str\n\n    @validator('password')\n"
            "    def strong(cls, v):\n        if len(v) < 12:\n"
            "            raise ValueError('too short') from None\n"
            "        return v\n",
            note="positional detail, v1 validator, `from` clause kept",
        ),
        Invalid(
            "from pydantic import BaseModel, model_validator\n\n\nclass Range(BaseModel):\n"
            "    low: int\n    high: int\n\n    @model_validator(mode='after')\n"
            "    def ordered(self):\n        if self.low > self.high:\n"
            "            raise TypeError('low must not exceed high')\n        return self\n",
            line=11,
            fixed="from pydantic import BaseModel, model_validator\n\n\nclass Range(BaseModel):\n"
            "    low: int\n    high: int\n\n    @model_validator(mode='after')\n"
            "    def ordered(self):\n        if self.low > self.high:\n"
            "            raise ValueError('low must not exceed high')\n        return self\n",
            note="TypeError is not converted in pydantic v2",
        ),
        Invalid(
            "from pydantic import BaseModel, field_validator\n\n\nclass NotAllowed(Exception):\n"
            "    pass\n\n\nclass Tag(BaseModel):\n    name: str\n\n    @field_validator('name')\n"
            "    @classmethod\n    def known(cls, v):\n        if v == 'admin':\n"
            "            raise NotAllowed(v)\n        return v\n",
            line=15,
            note="a workspace exception deriving from Exception: no fix",
        ),
        Valid(
            _MODEL + "class Order(BaseModel):\n    quantity: int\n\n"
            "    @field_validator('quantity')\n    @classmethod\n"
            "    def positive(cls, v: int) -> int:\n        if v <= 0:\n"
            "            raise ValueError('quantity must be positive')\n        return v\n",
        ),
        Valid(
            "from pydantic import BaseModel, field_validator\nfrom pydantic_core import "
            "PydanticCustomError\n\n\nclass Order(BaseModel):\n    quantity: int\n\n"
            "    @field_validator('quantity')\n    @classmethod\n    def positive(cls, v):\n"
            "        if v <= 0:\n"
            "            raise PydanticCustomError('positive', 'must be positive')\n"
            "        assert v < 1000, 'too many'\n        return v\n",
        ),
        Valid(
            "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n\n\n"
            "@app.get('/orders/{order_id}')\nasync def get_order(order_id: int):\n"
            "    raise HTTPException(status_code=404, detail='not found')\n",
            note="a path operation, not a validator",
        ),
        Valid(
            "from pydantic import BaseModel, field_validator\n\n\nclass BadSku(ValueError):\n"
            "    pass\n\n\nclass Item(BaseModel):\n    sku: str\n\n    @field_validator('sku')\n"
            "    @classmethod\n    def check(cls, v):\n        if not v:\n"
            "            raise BadSku(v)\n        return v\n",
            note="a ValueError subclass",
        ),
        Valid(
            "from pydantic import BaseModel, validator\n\n\nclass Item(BaseModel):\n"
            "    qty: int\n\n    @validator('qty')\n    def check(cls, v):\n        if v < 0:\n"
            "            raise TypeError('negative')\n        return v\n",
            note="pydantic v1 validators convert TypeError",
        ),
        Valid(
            "from fastapi import HTTPException\nfrom pydantic import BaseModel, field_validator\n"
            "\n\nclass Item(BaseModel):\n    qty: int\n\n    @field_validator('qty')\n"
            "    @classmethod\n    def check(cls, v):\n        def fail():\n"
            "            raise HTTPException(400)\n        return v\n",
            note="raised in a nested function",
        ),
        Valid(
            "from fastapi import HTTPException\nfrom mylib import validator\n\n\nclass Item:\n"
            "    @validator('qty')\n    def check(cls, v):\n        raise HTTPException(400)\n",
            note="`validator` from another library",
        ),
        Valid(
            "from pydantic import BaseModel, field_validator\nfrom vendor.errors import "
            "VendorError\n\n\nclass Item(BaseModel):\n    qty: int\n\n"
            "    @field_validator('qty')\n    @classmethod\n    def check(cls, v):\n"
            "        raise VendorError(v)\n",
            note="unknown third-party class: it may derive from ValueError",
        ),
    )

    def visit_Raise(self, node: ast.Raise, ctx: FileContext) -> None:
        frame = ctx.function
        if node.exc is None or frame is None:
            return
        if frame.scope.parent is None:
            return
        validators = function_validators(ctx, frame.node, frame.scope.parent)
        if not validators:
            return
        exc = node.exc
        target = exc.func if isinstance(exc, ast.Call) else exc
        if not isinstance(target, ast.Name | ast.Attribute):
            return
        name = ctx.qualname(target)
        if name is None:
            return
        allowed = _V1_ALLOWED if all(v.style.is_v1 for v in validators) else _V2_ALLOWED
        if escapes(ctx.resolver, name, allowed) is not True:
            return
        short = name.rsplit(".", 1)[-1]
        fixable = (
            isinstance(exc, ast.Call)
            and _message_argument(exc, name) is not None
            and ctx.scope.lookup("ValueError") is None
        )
        ctx.report(
            self,
            node,
            f"`{short}` raised in a validator is not turned into a validation error (only "
            "`ValueError`, `AssertionError` and `PydanticCustomError` are); raise `ValueError`",
            fixes=(RAISE_VALUE_ERROR,) if fixable else (),
        )

    def fix_value_error(self, request: FixRequest) -> list[TextEdit] | None:
        node = request.finding_node(ast.Raise)
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            return None
        name = request.resolver.qualname(node.exc.func, request.scope_of(node))
        message = _message_argument(node.exc, name) if name else None
        if message is None:
            return None
        text = f"ValueError({request.segment(message)})"
        return [TextEdit(request.lines.node_range(node.exc), text)]


def _message_argument(call: ast.Call, name: str) -> ast.expr | None:
    """The human message of the exception being built: what `ValueError` should carry."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    if name in HTTP_EXCEPTIONS:
        detail = next((k.value for k in call.keywords if k.arg == "detail"), None)
        return detail or (call.args[1] if len(call.args) >= 2 else None)
    if name.startswith("builtins.") and len(call.args) == 1 and not call.keywords:
        return call.args[0]
    return None


def escapes(
    resolver: Resolver,
    name: str,
    allowed: tuple[type[BaseException], ...],
    depth: int = 0,
) -> bool | None:
    """True when exception class `name` is proven not to be a validation error; None: unknown."""
    if depth > _MAX_DEPTH:
        return None
    if name.startswith("builtins."):
        cls = getattr(builtins, name[len("builtins.") :], None)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            return None
        return not issubclass(cls, allowed)
    if name in PYDANTIC_SIGNALS:
        return False
    if name in ESCAPING:
        return True
    local = resolver.local_definition(name)
    found = (resolver, local) if local is not None else resolver.foreign_definition(name)
    if found is None:
        return None
    owner, cls_node = found
    if not isinstance(cls_node, ast.ClassDef) or not cls_node.bases:
        return None
    verdicts: list[bool | None] = []
    for base in cls_node.bases:
        base_name = owner.qualname(base, owner.module_scope)
        verdicts.append(
            escapes(owner, base_name, allowed, depth + 1) if base_name is not None else None
        )
    if False in verdicts:
        return False
    if None in verdicts:
        return None
    return True
