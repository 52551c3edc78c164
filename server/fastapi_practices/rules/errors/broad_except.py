"""FBP505: `except Exception:`, `except BaseException:` or a bare `except:` in a path operation."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Position, Range, Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

BROAD_EXCEPTIONS = frozenset({"builtins.Exception", "builtins.BaseException"})
_EXCEPT = len("except")

_APP = (
    "from fastapi import APIRouter, HTTPException\n\nfrom app.orders import service\n\n"
    "router = APIRouter()\n\n\n"
)


@register
class BroadExceptInRoute(Rule):
    code = "FBP505"
    name = "broad-except-in-route"
    severity = Severity.INFO
    summary = "A path operation catches `Exception`, `BaseException`, or everything."
    why = (
        "A broad `except` in a route also catches the `HTTPException`s raised below it, so a "
        "404 from a dependency or a service turns into whatever the handler returns, and real "
        "bugs become a vague 400 or a `None` body with no traceback. Catch the specific "
        "(domain) exceptions the route can answer, and leave the rest to exception handlers "
        "registered on the app, which turn errors into responses in one place. This holds "
        "even for a handler that logs and re-raises: logging and rollback belong in a "
        "middleware, an exception handler, or a `yield` dependency, not in each route."
    )
    recommended = (
        _APP + "@router.post('/orders/{order_id}/pay')\nasync def pay(order_id: int):\n"
        "    try:\n        return await service.pay(order_id)\n"
        "    except service.PaymentDeclined:\n"
        "        raise HTTPException(status_code=402, detail='Payment declined')\n"
    )
    examples = (
        Invalid(
            _APP + "@router.post('/orders/{order_id}/pay')\nasync def pay(order_id: int):\n"
            "    try:\n        return await service.pay(order_id)\n"
            "    except Exception as exc:\n"
            "        raise HTTPException(status_code=400, detail=str(exc))\n",
            line=12,
        ),
        Invalid(
            _APP + "@router.get('/orders')\ndef orders():\n    try:\n"
            "        return service.list_orders()\n    except:\n        return []\n",
            line=12,
            note="a bare `except:`",
        ),
        Invalid(
            _APP + "@router.delete('/orders/{order_id}')\nasync def cancel(order_id: int):\n"
            "    try:\n        await service.cancel(order_id)\n"
            "    except (service.AlreadyShipped, BaseException):\n        raise\n",
            line=12,
            note="`BaseException` in a tuple; re-raising is still reported",
        ),
        Invalid(
            "import builtins\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/')\nasync def index():\n    try:\n        return 1 / 0\n"
            "    except ValueError:\n        return 0\n    except builtins.Exception:\n"
            "        return -1\n",
            line=14,
        ),
        Valid(
            _APP + "@router.post('/orders/{order_id}/pay')\nasync def pay(order_id: int):\n"
            "    try:\n        return await service.pay(order_id)\n"
            "    except service.PaymentDeclined:\n        raise HTTPException(status_code=402)\n",
        ),
        Valid(
            _APP + "@router.get('/orders/{order_id}')\nasync def read(order_id: int):\n"
            "    try:\n        return await service.get(order_id)\n"
            "    except (ValueError, KeyError):\n        raise HTTPException(status_code=404)\n",
        ),
        Valid(
            "def parse(text: str) -> int:\n    try:\n        return int(text)\n"
            "    except Exception:\n        return 0\n",
            note="not a path operation",
        ),
        Valid(
            _APP + "@router.get('/orders')\nasync def orders():\n"
            "    def safe():\n        try:\n            return service.list_orders()\n"
            "        except Exception:\n            return []\n    return safe()\n",
            note="a nested helper function",
        ),
        Valid(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\nclass Exception(Exception):\n"
            "    pass\n\n\n@app.get('/')\nasync def index():\n    try:\n        return 1\n"
            "    except Exception:\n        return 0\n",
            note="a project class that shadows the builtin",
        ),
        Valid(
            "from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n\n"
            "app = FastAPI()\n\n\n@app.exception_handler(Exception)\n"
            "async def on_error(request, exc):\n    try:\n        detail = str(exc)\n"
            "    except Exception:\n        detail = 'error'\n"
            "    return JSONResponse({'detail': detail}, status_code=500)\n",
            note="an exception handler is not a path operation",
        ),
    )

    def visit_ExceptHandler(self, node: ast.ExceptHandler, ctx: FileContext) -> None:
        if not ctx.in_path_operation:
            return
        caught = node.type
        if caught is None:
            label = "bare `except:`"
        else:
            broad = _broad_name(caught, ctx)
            if broad is None:
                return
            label = f"`except {broad}`"
        ctx.report(
            self,
            _header_range(node, ctx),
            f"{label} in a path operation also catches `HTTPException` and hides bugs; catch "
            "specific exceptions and leave the rest to exception handlers",
        )


def _broad_name(caught: ast.expr, ctx: FileContext) -> str | None:
    members = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    for member in members:
        if isinstance(member, (ast.Name, ast.Attribute)):
            name = ctx.qualname(member)
            if name is not None and name in BROAD_EXCEPTIONS:
                return name.removeprefix("builtins.")
    return None


def _header_range(handler: ast.ExceptHandler, ctx: FileContext) -> Range:
    """From `except` to the end of the caught type (or of the keyword, when bare)."""
    start = ctx.lines.position(handler.lineno, handler.col_offset)
    if handler.type is not None:
        return Range(start, ctx.range_of(handler.type).end)
    return Range(start, Position(start.line, start.column + _EXCEPT))
