"""What the API-design rules read from route decorators, routers and status codes."""

from __future__ import annotations

import ast
import http
import re
from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.engine import knowledge
from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.engine.scopes import BindingKind
from fastapi_practices.fixes.request import FixRequest

ROUTER_CLASS = "fastapi.APIRouter"
APP_CLASS = "fastapi.FastAPI"
_STATUS_CLASS_KEY = re.compile(r"^([1-5])XX$", re.IGNORECASE)
_ALIASES = "api_design.import_aliases"
_ROUTES = "api_design.route_decorators"


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def has_unpacked_arguments(call: ast.Call) -> bool:
    """`f(*args)` or `f(**kwargs)`: any keyword may hide inside."""
    return any(k.arg is None for k in call.keywords) or any(
        isinstance(arg, ast.Starred) for arg in call.args
    )


def may_name(func: ast.expr, terminal: str, ctx: FileContext) -> bool:
    """A cheap filter before resolving: could `func` name the class `...terminal`?

    True for `x.terminal`, `terminal`, and names a module-level import binds to it
    (`from fastapi import FastAPI as Api`). The qualified name still has to prove it.
    """
    if isinstance(func, ast.Attribute):
        return func.attr == terminal
    if not isinstance(func, ast.Name):
        return False
    return func.id == terminal or func.id in _import_aliases(terminal, ctx)


def _import_aliases(terminal: str, ctx: FileContext) -> frozenset[str]:
    cache: dict[str, frozenset[str]] = ctx.rule_state_for(_ALIASES)
    found = cache.get(terminal)
    if found is None:
        suffix = f".{terminal}"
        found = cache[terminal] = frozenset(
            name
            for name, bindings in ctx.resolver.module_scope.bindings.items()
            if any(
                b.kind is BindingKind.IMPORT and (b.qualname or "").endswith(suffix)
                for b in bindings
            )
        )
    return found


def route_decorators(func: FunctionNode, ctx: FileContext) -> list[tuple[int, ast.Call]]:
    """Every `@app.<method>(...)` decorator of `func` with its index (call in the outer scope).

    Cached per function: several rules of the family ask about the same definition.
    """
    cache: dict[int, list[tuple[int, ast.Call]]] = ctx.rule_state_for(_ROUTES)
    cached = cache.get(id(func))
    if cached is None:
        cached = cache[id(func)] = _route_decorators(func, ctx)
    return cached


def _route_decorators(func: FunctionNode, ctx: FileContext) -> list[tuple[int, ast.Call]]:
    found = []
    for index, decorator in enumerate(func.decorator_list):
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in knowledge.ROUTE_METHODS
            and ctx.is_app_or_router(decorator.func.value)
        ):
            found.append((index, decorator))
    return found


def status_number(expr: ast.expr | None, ctx: FileContext) -> int | None:
    """The number of `404`, `status.HTTP_404_NOT_FOUND` or `HTTPStatus.NOT_FOUND`."""
    if expr is None:
        return None
    if isinstance(expr, ast.Constant):
        return expr.value if type(expr.value) is int else None
    if not isinstance(expr, ast.Attribute):
        return None
    name = ctx.qualname(expr)
    return knowledge.status_number(name) if name is not None else None


def reason_phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return f"Status {code}"


class DocumentedStatuses:
    """The status codes a literal `responses={...}` documents."""

    def __init__(self) -> None:
        self.codes: set[int] = set()
        self.classes: set[int] = set()
        self.everything = False

    def covers(self, code: int) -> bool:
        return self.everything or code in self.codes or code // 100 in self.classes

    def add_literal(self, responses: ast.expr, ctx: FileContext) -> bool:
        """Record the keys of a dict literal; False when they cannot all be read."""
        if not isinstance(responses, ast.Dict):
            return False
        for key in responses.keys:
            if key is None:
                return False
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                if not self._add_text_key(key.value):
                    return False
                continue
            number = status_number(key, ctx)
            if number is None:
                return False
            self.codes.add(number)
        return True

    def add_keys(self, keys: tuple[int | str, ...]) -> bool:
        """Record the keys the workspace facts read from a literal; False for one unreadable."""
        for key in keys:
            if isinstance(key, int):
                self.codes.add(key)
            elif not self._add_text_key(key):
                return False
        return True

    def _add_text_key(self, text: str) -> bool:
        text = text.strip()
        if text.isdigit():
            self.codes.add(int(text))
        elif text == "default":
            self.everything = True
        elif match := _STATUS_CLASS_KEY.match(text):
            self.classes.add(int(match.group(1)))
        else:
            return False
        return True


def router_responses(decorator: ast.Call, ctx: FileContext) -> tuple[bool, ast.expr | None]:
    """`responses=` of the router or app a route decorator belongs to, created in this file.

    The flag is False when it cannot be told (made elsewhere, or built with `**kwargs`).
    """
    receiver = decorator.func.value if isinstance(decorator.func, ast.Attribute) else None
    if not isinstance(receiver, ast.Name):
        return False, None
    bindings = ctx.scope.lookup(receiver.id)
    if not bindings or len(bindings) != 1:
        return False, None
    created = bindings[0].value
    if (
        not isinstance(created, ast.Call)
        or ctx.qualname(created.func) not in (ROUTER_CLASS, APP_CLASS)
        or has_unpacked_arguments(created)
    ):
        return False, None
    found = keyword(created, "responses")
    return True, found.value if found is not None else None


def function_at(request: FixRequest) -> FunctionNode | None:
    """The function whose `def` starts where the finding starts (for def-line findings)."""
    start = request.finding.range.start
    line_text = request.lines.line_text(start.line)
    byte_col = len(line_text[: start.column].encode("utf-8"))
    for node in request.index.by_start.get((start.line + 1, byte_col), ()):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = request.finding.data.get("function")
            return node if name in (None, node.name) else None
    return None


def router_domain(path: Path | None, settings: Settings) -> str | None:
    """`posts` for `src/posts/router.py`: the package holding a router module, else None."""
    if path is None:
        return None
    module = settings.role_modules.get("router", "router.py")
    if path.name != module:
        return None
    folder = path.parent
    if not folder.name.isidentifier() or folder.name == "src":
        return None
    root = settings.root
    if root is not None and _same_directory(folder, root):
        return None
    return folder.name


def _same_directory(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def preferred_quote(request: FixRequest, near: ast.AST) -> str:
    """The quote character the code around `near` (else the module) uses for strings."""
    for scope in (near, request.tree):
        for node in ast.walk(scope):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = request.segment(node).lstrip("rRbBuU")
                if text[:1] in ("'", '"'):
                    return text[0]
    return '"'
