"""FBP406: a dependency expects a `{x_id}` the route's path does not have."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode, Resolver
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.dependencies.path_params import _PLACEHOLDER, route_path
from fastapi_practices.rules.registry import register
from fastapi_practices.workspace.facts import plain_parameters

if TYPE_CHECKING:
    from fastapi_practices.workspace.facts import RouterFact
    from fastapi_practices.workspace.index import WorkspaceIndex

_MAX_DEPENDENCIES = 64
_MAX_INCLUDE_DEPTH = 8
_FASTAPI = frozenset({"fastapi.FastAPI"})

_DEPS = (
    "from fastapi import HTTPException\n\n\n"
    "async def valid_post_id(post_id: int) -> int:\n"
    "    if post_id < 1:\n        raise HTTPException(status_code=404)\n    return post_id\n"
)
_ROUTER = (
    "from fastapi import APIRouter, Depends\n\n"
    "from src.posts.dependencies import valid_post_id\n\n"
    "router = APIRouter(prefix='/comments')\n\n\n"
    "@router.get('/{comment_id}')\n"
    "async def read_comment(comment_id: int, post: int = Depends(valid_post_id)):\n"
    "    return {'post': post, 'comment': comment_id}\n"
)
_FILES = {"src/posts/dependencies.py": _DEPS}
_PATH = "src/comments/router.py"


@register
class PathParamMismatch(Rule):
    code = "FBP406"
    name = "path-param-mismatch"
    severity = Severity.WARNING
    needs_workspace_index = True
    summary = (
        "A dependency takes `x_id`, but the route's path has no `{x_id}` (it has another "
        "`{..._id}`)."
    )
    why = (
        "FastAPI fills a dependency's parameters the way it fills the route's: a name that is "
        "not a placeholder of the path becomes a query parameter. A `valid_post_id(post_id)` "
        "dependency reused on `/comments/{comment_id}` therefore no longer receives the id "
        "from the URL: the route answers 422 for a missing `?post_id=`, or loads whatever id "
        "the client puts in the query string. Name the placeholder like the dependency's "
        "parameter, or give the route a dependency that reads the id it really has."
    )
    recommended = (
        "from fastapi import APIRouter, Depends\n\n"
        "from src.posts.dependencies import valid_post_id\n\n"
        "router = APIRouter(prefix='/posts/{post_id}/comments')\n\n\n"
        "@router.get('/{comment_id}')\n"
        "async def read_comment(comment_id: int, post: int = Depends(valid_post_id)):\n"
        "    return {'post': post, 'comment': comment_id}\n"
    )
    examples = (
        Invalid(_ROUTER, path=_PATH, files=_FILES, line=9, note="a dependency of another module"),
        Invalid(
            "from fastapi import APIRouter, Depends\n\n"
            "from src.posts.dependencies import valid_comment\n\nrouter = APIRouter()\n\n\n"
            "@router.delete('/posts/{id}/comments/{comment_id}', status_code=204)\n"
            "async def delete_comment(comment: dict = Depends(valid_comment)) -> None:\n"
            "    return None\n",
            path=_PATH,
            files={
                "src/posts/dependencies.py": _DEPS.replace(
                    "HTTPException", "Depends, HTTPException", 1
                )
                + "\n\nasync def valid_comment(\n"
                "    comment_id: int, post: int = Depends(valid_post_id)\n) -> dict:\n"
                "    return {'id': comment_id, 'post': post}\n",
            },
            line=9,
            note="through a dependency of a dependency",
        ),
        Invalid(
            "from typing import Annotated\n\nfrom fastapi import Depends, FastAPI\n\n"
            "app = FastAPI()\n\n\ndef valid_user_id(user_id: int) -> int:\n"
            "    return user_id\n\n\nUserId = Annotated[int, Depends(valid_user_id)]\n\n\n"
            "@app.get('/accounts/{account_id}')\n"
            "def read_account(account_id: int, user: UserId):\n    return {}\n",
            line=16,
            note="one module, no index: an `Annotated` alias on the application itself",
        ),
        Invalid(
            "from fastapi import APIRouter, Depends\n\n"
            "from src.teams.dependencies import check_member\n\n"
            "router = APIRouter(dependencies=[Depends(check_member)])\n\n\n"
            "@router.get('/teams/{team_id}')\nasync def read_team(team_id: int):\n    return {}\n",
            path="src/teams/router.py",
            files={
                "src/teams/dependencies.py": (
                    "from uuid import UUID\n\n\n"
                    "def check_member(org_id: UUID | None = None) -> None:\n    return None\n"
                ),
            },
            line=9,
            note="a router-level dependency",
        ),
        Valid(
            _ROUTER.replace("{comment_id}", "{post_id}/{comment_id}"),
            path=_PATH,
            files=_FILES,
            note="the path has the placeholder",
        ),
        Valid(
            _ROUTER.replace("prefix='/comments'", "prefix='/posts/{post_id}/comments'"),
            path=_PATH,
            files=_FILES,
            note="the router's prefix has it",
        ),
        Valid(
            _ROUTER.replace("prefix='/comments'", ""),
            path=_PATH,
            files={
                **_FILES,
                "src/main.py": (
                    "from fastapi import FastAPI\n\nfrom src.comments.router import router\n\n"
                    "app = FastAPI()\n"
                    "app.include_router(router, prefix='/posts/{post_id}/comments')\n"
                ),
            },
            note="`include_router` gives it",
        ),
        Valid(
            _ROUTER,
            path=_PATH,
            files={
                "src/posts/dependencies.py": _DEPS.replace(
                    "post_id: int", "post_id: int = Query()"
                ).replace("import HTTPException", "import HTTPException, Query")
            },
            note="the dependency asks for a query parameter on purpose",
        ),
        Valid(
            _ROUTER.replace("'/{comment_id}'", "'/latest'").replace("comment_id: int, ", ""),
            path=_PATH,
            files=_FILES,
            note="no other `{..._id}` in the path: a filter by query",
        ),
        Valid(
            _ROUTER.replace("comment_id: int,", "comment_id: int, post_id: int,"),
            path=_PATH,
            files=_FILES,
            note="the route itself declares `post_id` as a query parameter",
        ),
        Valid(
            "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n\n"
            "def valid_post_id(post_id: int) -> int:\n    return post_id\n\n\n"
            "@router.get('/{comment_id}')\n"
            "def read_comment(comment_id: int, post: int = Depends(valid_post_id)):\n"
            "    return {}\n",
            note="no index: the router may be included under a prefix that has `{post_id}`",
        ),
        Valid(
            _ROUTER.replace("prefix='/comments'", "prefix=settings.PREFIX").replace(
                "router = ", "from src.config import settings\n\nrouter = "
            ),
            path=_PATH,
            files=_FILES,
            note="a prefix that is not a literal could hold the placeholder",
        ),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        self._check(node, ctx)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        self._check(node, ctx)

    def _check(self, func: FunctionNode, ctx: FileContext) -> None:
        if not func.decorator_list:
            return
        decorator = ctx.route_decorator(func)
        path = route_path(decorator) if decorator is not None else None
        if decorator is None or path is None:
            return
        project = ctx.project
        if project is None:
            found = _alone(func, decorator, path, ctx)
        else:
            found = _with_index(project, ctx, func, decorator)
        if found is None:
            return
        needed, placeholders = found
        own = _read_by_the_route(func, ctx, project)
        missing = {
            param: dependency
            for param, dependency in needed.items()
            if param.endswith("_id") and param not in placeholders and param not in own
        }
        others = sorted(p for p in placeholders if p.endswith("_id"))
        if not missing or not others:
            return
        present = ", ".join(f"`{{{p}}}`" for p in others)
        if len(missing) == 1:
            [(param, dependency)] = missing.items()
            message = (
                f"dependency `{_short(dependency)}` of `{func.name}` takes `{param}`, but the "
                f"path has no `{{{param}}}` (only {present}): FastAPI reads it from the query "
                "string instead"
            )
        else:
            taken = ", ".join(f"`{p}` ({_short(d)})" for p, d in sorted(missing.items()))
            message = (
                f"dependencies of `{func.name}` take {taken}, but the path has none of them "
                f"(only {present}): FastAPI reads them from the query string instead"
            )
        ctx.report(
            self,
            ctx.def_range(func),
            message,
            data={"parameters": sorted(missing), "placeholders": others},
        )


Found = tuple[dict[str, str], set[str]]
"""(parameter a dependency needs -> that dependency, placeholders of the full path)."""


# ----- with the project's index ----------------------------------------------------------------
def _with_index(
    project: WorkspaceIndex, ctx: FileContext, func: FunctionNode, decorator: ast.Call
) -> Found | None:
    facts = project.facts_for_path(ctx.path) if ctx.path is not None else None
    qualname = ctx.scope.qualify(func.name)
    function = project.function(qualname)
    if facts is None or function is None:
        return None
    route = next(
        (r for r in facts.routes if r.function == qualname and r.line == decorator.lineno), None
    )
    if route is None or route.path is None:
        return None
    routers: dict[str, RouterFact] = ctx.rule_state_for("FBP406.routers")
    if not routers:
        routers.update((router.qualname, router) for router in project.routers())
    router = routers.get(project.canonical(route.router))
    if router is None:
        return None
    starts = [*function.depends, *router.dependencies]
    starts.extend(
        target
        for name in function.annotation_names
        if (target := _alias_target(project, name)) is not None
    )
    needed = _needed(project, starts)
    placeholders = _placeholders(route.path)
    if all(p in placeholders or not p.endswith("_id") for p in needed):
        return None
    prefixes = _prefix_placeholders(project, routers, router, 0, set())
    if prefixes is None:
        return None
    return needed, placeholders | prefixes


def _needed(project: WorkspaceIndex, starts: list[str]) -> dict[str, str]:
    needed: dict[str, str] = {}
    pending = list(reversed(starts))
    seen: set[str] = set()
    while pending and len(seen) < _MAX_DEPENDENCIES:
        name = project.canonical(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        function = project.function(name)
        if function is None:
            continue
        for param in function.parameters:
            needed.setdefault(param, name)
        pending.extend(reversed(function.depends))
        pending.extend(
            target
            for annotation in function.annotation_names
            if (target := _alias_target(project, annotation)) is not None
        )
    return needed


def _alias_target(project: WorkspaceIndex, name: str) -> str | None:
    """The function an `X = Annotated[T, Depends(f)]` alias stands for."""
    alias = project.canonical(name)
    facts = project.facts_for(alias.rpartition(".")[0])
    if facts is None:
        return None
    for found, target in facts.dependency_aliases:
        if found == alias:
            return target
    return None


def _prefix_placeholders(
    project: WorkspaceIndex,
    routers: dict[str, RouterFact],
    router: RouterFact,
    depth: int,
    seen: set[str],
) -> set[str] | None:
    """Placeholders the router's own prefix and every `include_router` above it add; None when
    a prefix is not a literal (it could hold any placeholder)."""
    seen.add(router.qualname)
    found: set[str] = set()
    if "**" in router.keywords or ("prefix" in router.keywords and router.prefix is None):
        return None
    found |= _placeholders(router.prefix or "")
    for include in project.includes_of(router.qualname):
        if "**" in include.keywords or (include.has_prefix and include.prefix is None):
            return None
        found |= _placeholders(include.prefix or "")
        owner = routers.get(include.owner) if include.owner else None
        if owner is None or owner.qualname in seen:
            continue
        if depth >= _MAX_INCLUDE_DEPTH:
            return None
        above = _prefix_placeholders(project, routers, owner, depth + 1, seen)
        if above is None:
            return None
        found |= above
    return found


def _short(qualname: str) -> str:
    return qualname.rpartition(".")[2]


def _placeholders(path: str) -> set[str]:
    return set(_PLACEHOLDER.findall(path))


# ----- one module alone ------------------------------------------------------------------------
def _alone(func: FunctionNode, decorator: ast.Call, path: str, ctx: FileContext) -> Found | None:
    """Without an index: routes of a `FastAPI` app only (a router may be included under a prefix
    elsewhere), with the dependencies this module defines."""
    owner = ctx.instance_type(decorator.func.value)  # type: ignore[attr-defined]
    if owner is None or not ctx.resolver.is_subclass_of(owner, _FASTAPI):
        return None
    resolver = ctx.resolver
    starts = _signature_dependencies(func, resolver, ctx.scope)
    for keyword in decorator.keywords:
        if keyword.arg == "dependencies" and isinstance(keyword.value, (ast.List, ast.Tuple)):
            starts.extend(_targets(keyword.value.elts, resolver, ctx.scope))
    needed: dict[str, str] = {}
    pending = list(reversed(starts))
    seen: set[str] = set()
    while pending and len(seen) < _MAX_DEPENDENCIES:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        definition = resolver.local_definition(name)
        if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for param in plain_parameters(definition, resolver, resolver.module_scope):
            needed.setdefault(param, name)
        pending.extend(
            reversed(_signature_dependencies(definition, resolver, resolver.module_scope))
        )
    return needed, _placeholders(path)


def _signature_dependencies(func: FunctionNode, resolver: Resolver, scope: Scope) -> list[str]:
    """Targets of `Depends` in defaults, in `Annotated[...]` and in aliases of this module."""
    args = func.args
    found = _targets(
        [d for d in [*args.defaults, *args.kw_defaults] if d is not None], resolver, scope
    )
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        found.extend(_annotation_targets(arg.annotation, resolver, scope, None))
    return found


def _read_by_the_route(
    func: FunctionNode, ctx: FileContext, project: WorkspaceIndex | None
) -> set[str]:
    """The route's own parameters, except those a dependency fills."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    with_defaults = positional[len(positional) - len(args.defaults) :]
    defaults = {a.arg: d for a, d in zip(with_defaults, args.defaults, strict=True)}
    defaults.update(
        (a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
    )
    own = set()
    for arg in [*positional, *args.kwonlyargs]:
        default = defaults.get(arg.arg)
        if default is not None and ctx.resolver.dependency_target(default, ctx.scope) is not None:
            continue
        if not _annotation_targets(arg.annotation, ctx.resolver, ctx.scope, project):
            own.add(arg.arg)
    return own


def _annotation_targets(
    annotation: ast.expr | None, resolver: Resolver, scope: Scope, project: WorkspaceIndex | None
) -> list[str]:
    """The dependency an annotation declares: `Annotated[T, Depends(f)]`, or an alias of it
    defined in this module or (with the index) anywhere in the project."""
    if isinstance(annotation, ast.Name):
        local = _alias_value(annotation.id, resolver)
        if local is not None:
            annotation = local
        elif project is not None:
            name = resolver.qualname(annotation, scope)
            target = _alias_target(project, name) if name is not None else None
            return [target] if target is not None else []
    if (
        isinstance(annotation, ast.Subscript)
        and resolver.qualname(annotation.value, scope) in knowledge.ANNOTATED_WRAPPERS
        and isinstance(annotation.slice, ast.Tuple)
    ):
        return _targets(annotation.slice.elts[1:], resolver, scope)
    return []


def _alias_value(name: str, resolver: Resolver) -> ast.expr | None:
    bindings = resolver.module_scope.bindings.get(name)
    if not bindings or len(bindings) != 1 or bindings[0].kind is not BindingKind.ASSIGN:
        return None
    return bindings[0].value


def _targets(exprs: list[ast.expr], resolver: Resolver, scope: Scope) -> list[str]:
    names = []
    for expr in exprs:
        target = resolver.dependency_target(expr, scope)
        name = resolver.qualname(target, scope) if target is not None else None
        if name is not None:
            names.append(name)
    return names
