"""FBP502: `raise Exception(...)` / `raise RuntimeError(...)` in a domain module."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.errors.raise_sites import domain_role, exceptions_module, raised_name
from fastapi_practices.rules.registry import register

GENERIC_EXCEPTIONS = frozenset({"builtins.Exception", "builtins.RuntimeError"})

_PROJECT = {
    "src/__init__.py": "",
    "src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "src/orders/__init__.py": "",
    "src/orders/router.py": "",
}
_SERVICE = (
    "async def pay(order: dict, amount: int) -> None:\n    if order['paid']:\n"
    "        raise Exception('order already paid')\n    order['paid'] = amount\n"
)


@register
class GenericException(Rule):
    code = "FBP502"
    name = "generic-exception"
    severity = Severity.INFO
    summary = "A domain module raises a bare `Exception` or `RuntimeError`."
    why = (
        "`Exception('order already paid')` can only be told apart from any other failure by "
        "its message: callers cannot catch it without catching every bug as well, and an "
        "exception handler cannot give it a status code. A small exception class per domain "
        "error, kept in the domain's `exceptions.py`, names the situation, lets the router or "
        "a handler answer it precisely, and leaves real bugs to surface as bugs."
    )
    recommended = (
        "# src/orders/exceptions.py\nclass OrderAlreadyPaid(Exception):\n    pass\n\n\n"
        "# src/orders/service.py\nfrom src.orders.exceptions import OrderAlreadyPaid\n\n\n"
        "async def pay(order: dict, amount: int) -> None:\n    if order['paid']:\n"
        "        raise OrderAlreadyPaid(order['id'])\n    order['paid'] = amount\n"
    )
    examples = (
        Invalid(_SERVICE, line=3, path="src/orders/service.py", files=_PROJECT),
        Invalid(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/orders/{order_id}/ship')\nasync def ship(order_id: int) -> None:\n"
            "    raise RuntimeError\n",
            line=8,
            path="src/orders/router.py",
            files=_PROJECT,
            note="the class itself, in a path operation",
        ),
        Invalid(
            "import builtins\n\nTAX_RATES = {'fr': 20}\n\n\ndef tax(country: str) -> int:\n"
            "    try:\n        return TAX_RATES[country]\n    except KeyError as error:\n"
            "        raise builtins.RuntimeError(f'no rate for {country}') from error\n",
            line=10,
            path="src/orders/utils.py",
            files=_PROJECT,
            note="through the `builtins` module, with a cause",
        ),
        Invalid(
            "class Order:\n    def cancel(self) -> None:\n"
            "        raise Exception('cannot cancel')\n\n    def refund(self) -> None:\n"
            "        raise RuntimeError('cannot refund')\n",
            count=2,
            path="src/orders/models.py",
            files=_PROJECT,
        ),
        Valid(
            "from src.orders.exceptions import OrderAlreadyPaid\n\n\n"
            "async def pay(order: dict, amount: int) -> None:\n    if order['paid']:\n"
            "        raise OrderAlreadyPaid(order['id'])\n    order['paid'] = amount\n",
            path="src/orders/service.py",
            files={**_PROJECT, "src/orders/exceptions.py": "class OrderAlreadyPaid(Exception):\n"},
        ),
        Valid(
            "def tax(rate: int) -> int:\n    if rate < 0:\n"
            "        raise ValueError('negative rate')\n    if rate > 100:\n"
            "        raise NotImplementedError\n    return rate\n",
            path="src/orders/utils.py",
            files=_PROJECT,
            note="specific builtin exceptions",
        ),
        Valid(
            "class OrderError(Exception):\n    pass\n\n\ndef fail() -> None:\n"
            "    raise OrderError('x')\n",
            path="src/orders/exceptions.py",
            files=_PROJECT,
            note="subclassing `Exception` is the point",
        ),
        Valid(_SERVICE, path="src/main.py", files=_PROJECT, note="the source root"),
        Valid(
            _SERVICE,
            path="orders/helpers.py",
            files={"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"},
            note="a project without domains",
        ),
        Valid(
            "from src.orders.errors import RuntimeError\n\n\ndef fail() -> None:\n"
            "    raise RuntimeError('x')\n",
            path="src/orders/service.py",
            files=_PROJECT,
            note="a project class that shadows the builtin",
        ),
        Valid(
            "def retry(action) -> None:\n    try:\n        action()\n    except Exception:\n"
            "        raise\n",
            path="src/orders/service.py",
            files=_PROJECT,
            note="re-raising what was caught",
        ),
        Valid(_SERVICE, path="src/orders/service.py", note="no project on disk: nothing is known"),
    )

    def visit_Raise(self, node: ast.Raise, ctx: FileContext) -> None:
        if node.exc is None:
            return
        name = raised_name(node, ctx)
        if name not in GENERIC_EXCEPTIONS:
            return
        domain, _ = domain_role(ctx)
        if domain is None:
            return
        short = name.removeprefix("builtins.")
        ctx.report(
            self,
            node,
            f"`{short}` says nothing about what failed: define a specific exception in "
            f"`{exceptions_module(ctx, domain)}` and raise that",
        )
