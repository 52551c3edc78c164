"""FBP401: `Depends(f())` hands FastAPI the result of one call instead of the dependency."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.dependencies.factories import definition_of, is_plain_function
from fastapi_practices.rules.registry import register

PASS_FUNCTION = FixOption(
    "pass-function", "Pass the function itself, without calling it", Applicability.SAFE, True
)


def _dependency_call(call: ast.Call) -> ast.Call | None:
    """The call written as the dependency of `Depends(...)`, if it is one."""
    target: ast.expr | None = call.args[0] if call.args else None
    if target is None:
        target = next((k.value for k in call.keywords if k.arg == "dependency"), None)
    return target if isinstance(target, ast.Call) else None


@register
class DependsCalled(Rule):
    code = "FBP401"
    name = "depends-called"
    severity = Severity.ERROR
    call_names = frozenset({"Depends", "Security"})
    summary = "`Depends(f())` / `Security(f())` calls the dependency instead of passing it."
    why = (
        "`Depends()` expects a callable that FastAPI calls for every request, resolving its "
        "parameters and sub-dependencies. Writing `Depends(get_db())` calls `get_db` once, "
        "when the module is imported, and hands FastAPI the result: a generator, a coroutine "
        "or a plain value. The app then fails at startup, or every request shares one object "
        "that was never meant to be shared. Calling a factory that returns a callable "
        "(`Depends(require_role('admin'))`) is fine."
    )
    recommended = (
        "from fastapi import Depends, FastAPI\n\napp = FastAPI()\n\n\n"
        "def get_db():\n    db = connect()\n    try:\n        yield db\n    finally:\n"
        "        db.close()\n\n\n@app.get('/items')\ndef list_items(db=Depends(get_db)):\n"
        "    return db.items()\n"
    )
    fix_summary = (
        "Remove the call: `Depends(f())` becomes `Depends(f)` (only when `f()` has no arguments)."
    )
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            "from fastapi import Depends, FastAPI\n\napp = FastAPI()\n\n\ndef get_db():\n"
            "    db = {}\n    try:\n        yield db\n    finally:\n        db.clear()\n\n\n"
            "@app.get('/items')\ndef items(db=Depends(get_db())):\n    return []\n",
            line=15,
            fixed="from fastapi import Depends, FastAPI\n\napp = FastAPI()\n\n\ndef get_db():\n"
            "    db = {}\n    try:\n        yield db\n    finally:\n        db.clear()\n\n\n"
            "@app.get('/items')\ndef items(db=Depends(get_db)):\n    return []\n",
        ),
        Invalid(
            "from typing import Annotated\nfrom fastapi import Security\n\n\n"
            "async def current_user():\n    return {'id': 1}\n\n\n"
            "async def me(user: Annotated[dict, Security(current_user( ))]):\n    return user\n",
            line=9,
            fixed="from typing import Annotated\nfrom fastapi import Security\n\n\n"
            "async def current_user():\n    return {'id': 1}\n\n\n"
            "async def me(user: Annotated[dict, Security(current_user)]):\n    return user\n",
            note="Security, inside Annotated",
        ),
        Invalid(
            "import fastapi\n\nrouter = fastapi.APIRouter()\n\n\nclass Settings:\n"
            "    def __init__(self, env):\n        self.env = env\n\n\ndef get_settings(env):\n"
            "    return Settings(env)\n\n\n"
            "@router.get('/', dependencies=[fastapi.Depends(get_settings('prod'))])\n"
            "def index():\n    return {}\n",
            line=15,
            note="arguments: reported without a fix",
        ),
        Invalid(
            "from fastapi import Depends as Inject\n\n\ndef get_token():\n    return 'secret'\n\n\n"
            "def handler(token: str = Inject(dependency=get_token())):\n    return token\n",
            line=8,
            fixed="from fastapi import Depends as Inject\n\n\ndef get_token():\n"
            "    return 'secret'\n\n\n"
            "def handler(token: str = Inject(dependency=get_token)):\n    return token\n",
        ),
        Valid(
            "from fastapi import Depends\n\n\ndef get_db():\n    yield {}\n\n\n"
            "def items(db=Depends(get_db)):\n    return db\n",
        ),
        Valid(
            "from fastapi import Depends\n\n\nclass RequireRole:\n"
            "    def __init__(self, role):\n        self.role = role\n\n"
            "    def __call__(self):\n        return self.role\n\n\n"
            "def admin(role=Depends(RequireRole('admin'))):\n    return role\n",
            note="a class: its instance is the dependency",
        ),
        Valid(
            "from fastapi import Depends\n\n\ndef require_role(role):\n"
            "    def checker():\n        return role\n    return checker\n\n\n"
            "def admin(role=Depends(require_role('admin'))):\n    return role\n",
            note="factory returning an inner function",
        ),
        Valid(
            "from fastapi import Depends\n\n\ndef constant(value):\n    return lambda: value\n\n\n"
            "def handler(v=Depends(constant(3))):\n    return v\n",
            note="factory returning a lambda",
        ),
        Valid(
            "from fastapi import Depends\n\n\nclass Limiter:\n    def __call__(self):\n"
            "        return True\n\n\ndef limiter():\n    return Limiter()\n\n\n"
            "def handler(ok=Depends(limiter())):\n    return ok\n",
            note="factory returning an object with `__call__`",
        ),
        Valid(
            "from injector import Depends\n\n\ndef get_db():\n    return {}\n\n\n"
            "def handler(db=Depends(get_db())):\n    return db\n",
            note="not FastAPI's Depends",
        ),
        Valid(
            "from fastapi import Depends\nfrom fastapi.security import HTTPBearer\n"
            "from app.auth import make_checker\n\n\n"
            "def handler(a=Depends(HTTPBearer()), b=Depends(make_checker())):\n    return a, b\n",
            note="unknown callees stay silent",
        ),
        Valid(
            "from fastapi import Depends\nfrom app.cache import memoize\n\n\n@memoize\n"
            "def get_client():\n    return {}\n\n\ndef handler(c=Depends(get_client())):\n"
            "    return c\n",
            note="an unknown decorator may return anything",
        ),
        Valid(
            "from fastapi import Depends\n\n\ndef get_db():\n    yield {}\n\n\n"
            "def build(Depends):\n    return Depends(get_db())\n",
            note="a parameter shadows `Depends`",
        ),
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        inner = _dependency_call(node)
        if inner is None or ctx.dependency_target(node) is None:
            return
        callee = ctx.qualname(inner.func)
        found = definition_of(callee, ctx.resolver) if callee else None
        if found is None:
            return
        resolver, definition = found
        if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        if not is_plain_function(resolver, definition):
            return
        wrapper = "Security" if ctx.qualname(node.func) == "fastapi.Security" else "Depends"
        name = ast.unparse(inner.func)
        fixable = not inner.args and not inner.keywords
        ctx.report(
            self,
            node,
            f"`{wrapper}()` receives the result of `{name}()` instead of the dependency; "
            f"pass `{name}` itself so FastAPI calls it for each request",
            fixes=(PASS_FUNCTION,) if fixable else (),
        )

    def fix_pass_function(self, request: FixRequest) -> list[TextEdit] | None:
        call = request.finding_node(ast.Call)
        inner = _dependency_call(call) if isinstance(call, ast.Call) else None
        if inner is None or inner.args or inner.keywords:
            return None
        return [TextEdit(request.lines.node_range(inner), request.segment(inner.func))]
