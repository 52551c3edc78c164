"""FBP405: a plain `def` dependency that does no I/O still costs a trip to the threadpool."""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

if TYPE_CHECKING:
    from fastapi_practices.workspace.index import WorkspaceIndex

ADD_ASYNC = FixOption("add-async", "Make the dependency `async def`", Applicability.SAFE, True)

_MAX_NODES = 400
_BUILTIN_TYPES = frozenset(
    f"builtins.{name}"
    for name in (
        "str",
        "bytes",
        "bytearray",
        "int",
        "float",
        "complex",
        "bool",
        "list",
        "tuple",
        "dict",
        "set",
        "frozenset",
    )
)
_STRING_TYPES = frozenset({"builtins.str", "builtins.bytes"})
# Builtins that neither do I/O nor call back into code given to them.
_PURE_BUILTINS = frozenset(
    {
        "abs",
        "all",
        "any",
        "ascii",
        "bin",
        "bool",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "complex",
        "dict",
        "divmod",
        "enumerate",
        "float",
        "format",
        "frozenset",
        "getattr",
        "hasattr",
        "hash",
        "hex",
        "id",
        "int",
        "isinstance",
        "issubclass",
        "len",
        "list",
        "max",
        "min",
        "oct",
        "ord",
        "pow",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "slice",
        "sorted",
        "str",
        "sum",
        "tuple",
        "zip",
    }
)
# Those that iterate their arguments: an iterated value must be a builtin one (a cursor is not).
_ITERATING = frozenset(
    {
        "all",
        "any",
        "bytearray",
        "bytes",
        "dict",
        "enumerate",
        "frozenset",
        "list",
        "max",
        "min",
        "reversed",
        "set",
        "sorted",
        "sum",
        "tuple",
        "zip",
    }
)
_VALUE_BUILTINS = _PURE_BUILTINS - {"getattr", "max", "min", "sum"}
"""Builtins whose result is itself a builtin value."""
_EXCEPTIONS = frozenset(
    f"builtins.{name}"
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
) | {"fastapi.HTTPException", "fastapi.WebSocketException", "fastapi.exceptions.WebSocketException"}
_LITERALS = (
    ast.Constant,
    ast.JoinedStr,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Compare,
)
# Nested code, generators, context managers and imports: no longer provably I/O-free.
_REJECTED = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.Yield,
    ast.YieldFrom,
    ast.With,
    ast.Import,
    ast.ImportFrom,
)

_DEPS = "src/posts/dependencies.py"
_ROUTER = (
    "from typing import Annotated\n\nfrom fastapi import APIRouter, Depends\n\n"
    "from src.posts.dependencies import pagination\n\nrouter = APIRouter()\n\n\n"
    "@router.get('/posts')\n"
    "def list_posts(page: Annotated[dict[str, int], Depends(pagination)]):\n    return []\n"
)
_PAGINATION = (
    "from fastapi import HTTPException\n\n\n"
    "def pagination(limit: int = 20, offset: int = 0) -> dict[str, int]:\n"
    "    if limit < 1:\n"
    "        raise HTTPException(status_code=400, detail=f'bad limit {limit}')\n"
    "    return {'limit': min(limit, 100), 'offset': offset}\n"
)


@register
class SyncDependencyWithoutIO(Rule):
    code = "FBP405"
    name = "sync-dependency-without-io"
    severity = Severity.INFO
    needs_workspace_index = True
    summary = "A plain `def` dependency that does no I/O is sent to the threadpool for nothing."
    why = (
        "FastAPI runs every `def` dependency in a worker thread so that blocking code cannot "
        "stall the event loop. A dependency that only checks its arguments, parses a string or "
        "builds a dict never blocks, yet it still pays the hand-off to the threadpool on each "
        "request and holds one of its limited threads. Declared `async def`, it runs inline on "
        "the event loop. Only functions used nowhere but in `Depends(...)` are flagged: a "
        "direct call elsewhere would receive a coroutine after the change."
    )
    recommended = _PAGINATION.replace("def pagination", "async def pagination")
    fix_summary = "Add `async` to the `def` (FastAPI awaits it; its callers are all `Depends`)."
    fix_applicability = Applicability.SAFE
    examples = (
        Invalid(
            _PAGINATION,
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER},
            line=4,
            fixed=_PAGINATION.replace("def pagination", "async def pagination"),
            note="checks and builds a dict: builtins and an exception only",
        ),
        Invalid(
            "from typing import Annotated\n\nfrom fastapi import Depends\n\n\n"
            "def parse_tags(tags: str = '') -> list[str]:\n"
            "    return tags.lower().replace(' ', '').split(',') if tags else []\n\n\n"
            "Tags = Annotated[list[str], Depends(parse_tags)]\n",
            path=_DEPS,
            files={
                "src/posts/router.py": (
                    "from fastapi import APIRouter\n\nfrom src.posts.dependencies import Tags\n\n"
                    "router = APIRouter()\n\n\n@router.get('/posts')\n"
                    "async def list_posts(tags: Tags):\n    return tags\n"
                ),
            },
            line=6,
            fixed="from typing import Annotated\n\nfrom fastapi import Depends\n\n\n"
            "async def parse_tags(tags: str = '') -> list[str]:\n"
            "    return tags.lower().replace(' ', '').split(',') if tags else []\n\n\n"
            "Tags = Annotated[list[str], Depends(parse_tags)]\n",
            note="methods of a `str`, used through an `Annotated` alias",
        ),
        Invalid(
            "from src.auth.exceptions import NotAdmin\n\n\n"
            "def require_admin(role: str = 'user') -> None:\n"
            "    if role.strip() not in {'admin', 'owner'}:\n        raise NotAdmin(role)\n",
            path="src/auth/dependencies.py",
            files={
                "src/auth/exceptions.py": "class NotAdmin(PermissionError):\n    pass\n",
                "src/auth/router.py": (
                    "from fastapi import APIRouter, Security\n\n"
                    "from src.auth import dependencies\n\n"
                    "router = APIRouter(dependencies=[Security(dependencies.require_admin)])\n"
                ),
                "tests/test_auth.py": (
                    "from src.auth.dependencies import require_admin\nfrom src.main import app\n"
                    "\napp.dependency_overrides[require_admin] = lambda: None\n"
                ),
            },
            line=4,
            note="a domain exception; overriding it in tests is no call",
        ),
        Valid(
            _PAGINATION,
            path=_DEPS,
            files={
                "src/posts/router.py": _ROUTER,
                "tests/test_pagination.py": (
                    "from src.posts.dependencies import pagination\n\n\n"
                    "def test_default():\n    assert pagination(10, 0)['limit'] == 10\n"
                ),
            },
            note="a test calls it directly: `async` would hand the test a coroutine",
        ),
        Valid(
            _PAGINATION,
            path=_DEPS,
            note="without the project's index, other modules' calls cannot be ruled out",
        ),
        Valid(
            "from fastapi import Depends\n\n\ndef get_tags() -> list[str]:\n"
            "    tags = ['a']\n    yield tags\n    tags.clear()\n",
            path=_DEPS,
            files={
                "src/posts/router.py": _ROUTER.replace("pagination", "get_tags"),
            },
            note="a generator dependency",
        ),
        Valid(
            _PAGINATION.replace("    return {", "    print(limit)\n    return {"),
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER},
            note="`print` writes to a stream",
        ),
        Valid(
            "from src.config import settings\n\n\n"
            "def pagination(limit: int = 20) -> dict[str, int]:\n"
            "    return {'limit': min(limit, settings.max_page())}\n",
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER},
            note="calls something that is not a builtin",
        ),
        Valid(
            "from functools import lru_cache\n\n\n@lru_cache\n"
            "def pagination() -> dict[str, int]:\n    return {'limit': 20}\n",
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER},
            note="decorated: a cached coroutine could be awaited only once",
        ),
        Valid(
            "def pagination(rows: list, limit: int = 20) -> list:\n"
            "    return rows[:limit]\n\n\ndef first(rows: list) -> object:\n"
            "    return pagination(rows, 1)\n",
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER},
            note="also called by a function of its own module",
        ),
        Valid(
            "from fastapi import Depends\n\nfrom src.db import get_cursor\n\n\n"
            "def pagination(cursor=Depends(get_cursor)) -> list:\n"
            "    return [len(row) for row in cursor]\n",
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER},
            note="iterating a cursor fetches rows",
        ),
        Valid(
            "def clamp(value: int) -> int:\n    return min(value, 100)\n",
            path=_DEPS,
            files={"src/posts/router.py": _ROUTER.replace("import pagination", "import clamp")},
            note="never used as a dependency",
        ),
    )

    def finish(self, ctx: FileContext) -> None:
        module_scope = ctx.resolver.module_scope
        project: WorkspaceIndex | None = None
        for statement in ctx.tree.body:
            if not isinstance(statement, ast.FunctionDef) or statement.decorator_list:
                continue
            scope = ctx.resolver.scope_for(statement, module_scope)
            if not _does_no_io(statement, ctx.resolver, scope):
                continue
            project = project or ctx.project
            if project is None:
                return
            qualname = module_scope.qualify(statement.name)
            if not _used_only_as_dependency(project, qualname, statement.name):
                continue
            ctx.report(
                self,
                ctx.def_range(statement),
                f"`{statement.name}` is a plain `def` dependency that does no I/O, so FastAPI "
                "runs it in the threadpool for nothing; make it `async def`",
                fixes=(ADD_ASYNC,),
            )

    def fix_add_async(self, request: FixRequest) -> list[TextEdit] | None:
        start = request.finding.range.start
        rest = request.lines.line_text(start.line)[start.column :]
        if not rest.startswith("def") or rest[3:4] not in (" ", "\t"):
            return None
        return [TextEdit(Range(start, start), "async ")]


def _does_no_io(func: ast.FunctionDef, resolver: Resolver, scope: Scope) -> bool:
    """The body calls only exception classes, builtin values' methods and pure builtins."""
    stack: list[ast.AST] = list(func.body)
    seen = 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > _MAX_NODES or isinstance(node, _REJECTED):
            return False
        if isinstance(node, ast.Call) and not _harmless_call(node, resolver, scope):
            return False
        if isinstance(node, (ast.For, ast.comprehension)) and not _builtin_value(
            node.iter, resolver, scope
        ):
            return False
        stack.extend(ast.iter_child_nodes(node))
    return True


def _harmless_call(call: ast.Call, resolver: Resolver, scope: Scope) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and _builtin_value(func.value, resolver, scope):
        return True
    if not isinstance(func, (ast.Name, ast.Attribute)):
        return False
    name = resolver.qualname(func, scope)
    if name is None:
        return False
    if name.startswith("builtins."):
        short = name[len("builtins.") :]
        if name in _EXCEPTIONS:
            return True
        if short not in _PURE_BUILTINS or any(k.arg == "key" for k in call.keywords):
            return False
        if short in _ITERATING:
            return all(_builtin_value(_unstarred(arg), resolver, scope) for arg in call.args)
        return True
    return name in _EXCEPTIONS or resolver.is_subclass_of(name, _EXCEPTIONS)


def _builtin_value(expr: ast.expr, resolver: Resolver, scope: Scope) -> bool:
    """`expr` is proven to be a `str`, `int`, `list`, `dict`, ... (literal, annotation, call)."""
    if isinstance(expr, _LITERALS):
        return True
    if isinstance(expr, (ast.Name, ast.Attribute)):
        return resolver.instance_type(expr, scope) in _BUILTIN_TYPES
    if isinstance(expr, ast.BinOp):
        return _builtin_value(expr.left, resolver, scope) and _builtin_value(
            expr.right, resolver, scope
        )
    if isinstance(expr, ast.BoolOp):
        return all(_builtin_value(value, resolver, scope) for value in expr.values)
    if isinstance(expr, ast.IfExp):
        return _builtin_value(expr.body, resolver, scope) and _builtin_value(
            expr.orelse, resolver, scope
        )
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute):
            # A method of a string gives a string, a list of strings, a bool or an int.
            return _string_value(func.value, resolver, scope)
        if isinstance(func, ast.Name):
            name = resolver.qualname(func, scope) or ""
            return name.startswith("builtins.") and name[len("builtins.") :] in _VALUE_BUILTINS
    return False


def _string_value(expr: ast.expr, resolver: Resolver, scope: Scope) -> bool:
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, (str, bytes))
    if isinstance(expr, ast.JoinedStr):
        return True
    if isinstance(expr, (ast.Name, ast.Attribute)):
        return resolver.instance_type(expr, scope) in _STRING_TYPES
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        return _string_value(expr.func.value, resolver, scope)
    return False


def _unstarred(expr: ast.expr) -> ast.expr:
    return expr.value if isinstance(expr, ast.Starred) else expr


def _used_only_as_dependency(project: WorkspaceIndex, qualname: str, name: str) -> bool:
    """Some `Depends`/`Security` names the function, and nothing in the project uses it
    otherwise (calls, callbacks, values)."""
    target = project.canonical(qualname)

    def names_it(found: str) -> bool:
        return found.rpartition(".")[2] == name and project.canonical(found) == target

    used = False
    for facts in project.all_facts():
        if any(names_it(found) for found in facts.references):
            return False
        used = used or any(names_it(found) for found in facts.dependencies)
    return used
