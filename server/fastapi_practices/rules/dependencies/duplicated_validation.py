"""FBP403: several path operations repeat the same load-and-raise for the same path parameter."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.model import Position, Range, RelatedLocation, Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.dependencies.load_and_raise import load_and_raise
from fastapi_practices.rules.dependencies.path_params import path_parameters
from fastapi_practices.rules.registry import register

if TYPE_CHECKING:
    from fastapi_practices.workspace.facts import RouteFact
    from fastapi_practices.workspace.index import WorkspaceIndex

Validation = tuple[str, str]
_NAMED = 3
_RELATED = 50
"""Related locations shown at most (a generated project can repeat one check hundreds of times)."""
"""(path parameter, signature of the load-and-raise)."""

_HEAD = (
    "from fastapi import APIRouter, HTTPException\n\nfrom app.posts import service\n\n"
    "router = APIRouter()\n\n\n"
)
_READ = (
    "@router.get('/posts/{post_id}')\nasync def read_post(post_id: int):\n"
    "    post = await service.get_by_id(post_id)\n    if post is None:\n"
    "        raise HTTPException(status_code=404)\n    return post\n"
)
_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"


@dataclass(frozen=True)
class _Place:
    """One path operation: where its `def name` is, and what it checks."""

    path: str
    name: str
    range: Range
    validations: frozenset[Validation]


@register
class DuplicatedValidation(Rule):
    code = "FBP403"
    name = "duplicated-validation"
    severity = Severity.INFO
    needs_workspace_index = True
    summary = "Several path operations repeat the same load-and-raise for the same path parameter."
    why = (
        "When the read, the update and the delete of a resource each load it by id and raise "
        "when it is missing, the check exists in as many copies as there are routes, and the "
        "copies drift: one forgets the ownership test, another answers 400 instead of 404. One "
        "`valid_<name>` dependency holds the check once; every route declares it and receives "
        "the loaded object. The finding lists every other place with the same check."
    )
    recommended = (
        "from fastapi import APIRouter, Depends, HTTPException\n\nfrom app.posts import service\n"
        "from app.posts.models import Post\n\nrouter = APIRouter()\n\n\n"
        "async def valid_post_id(post_id: int) -> Post:\n"
        "    post = await service.get_by_id(post_id)\n    if post is None:\n"
        "        raise HTTPException(status_code=404)\n    return post\n\n\n"
        "@router.get('/posts/{post_id}')\n"
        "async def read_post(post: Post = Depends(valid_post_id)) -> Post:\n    return post\n\n\n"
        "@router.delete('/posts/{post_id}', status_code=204)\n"
        "async def delete_post(post: Post = Depends(valid_post_id)) -> None:\n"
        "    await service.delete(post)\n"
    )
    examples = (
        Invalid(
            _HEAD + _READ + "\n\n@router.delete('/posts/{post_id}', status_code=204)\n"
            "async def delete_post(post_id: int) -> None:\n"
            "    post = await service.get_by_id(post_id)\n    if not post:\n"
            "        raise HTTPException(404, detail='Post not found')\n"
            "    await service.delete(post)\n",
            line=9,
            count=2,
            note="two operations of one module; the detail message does not matter",
        ),
        Invalid(
            _HEAD + _READ,
            path="src/posts/router.py",
            files={
                "src/posts/admin.py": (
                    "from fastapi import APIRouter, HTTPException, status\n\n"
                    "from app.posts import service as posts\n\nadmin = APIRouter()\n\n\n"
                    "@admin.put('/admin/posts/{post_id}')\n"
                    "async def hide_post(post_id: int):\n"
                    "    if (post := await posts.get_by_id(post_id)) is None:\n"
                    "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
                    "    await posts.hide(post)\n"
                ),
            },
            line=9,
            count=1,
            note="the other copy is in another module, spelled differently",
        ),
        Invalid(
            "from fastapi import FastAPI\nfrom sqlalchemy import select\n"
            "from sqlalchemy.orm import Session\n\nfrom src.users.exceptions import UserNotFound\n"
            "from src.users.models import User\n\napp = FastAPI()\n\n\n"
            "@app.get('/users/{user_id}')\ndef read_user(user_id: int, db: Session):\n"
            "    result = db.execute(select(User).where(User.id == user_id))\n"
            "    user = result.scalar_one_or_none()\n    if user is None:\n"
            "        raise UserNotFound()\n    return user\n",
            path="src/users/router.py",
            files={
                "src/users/avatars.py": (
                    "from fastapi import APIRouter\nfrom sqlalchemy import select\n"
                    "from sqlalchemy.orm import Session\n\nfrom src.users import models\n"
                    "from src.users.exceptions import UserNotFound\n\nrouter = APIRouter()\n\n\n"
                    "@router.get('/users/{user_id}/avatar')\n"
                    "def avatar(user_id: int, db: Session):\n"
                    "    user = db.execute(\n"
                    "        select(models.User).where(models.User.id == user_id)\n"
                    "    ).scalar_one_or_none()\n"
                    "    if user is None:\n        raise UserNotFound()\n    return user.avatar\n"
                ),
                "src/users/exceptions.py": "class UserNotFound(Exception):\n    pass\n",
            },
            line=12,
            note="a query through a result, and a domain exception",
        ),
        Valid(
            _HEAD + _READ + "\n\n@router.get('/posts/{post_id}/comments')\n"
            "async def comments(post_id: int):\n    return await service.comments(post_id)\n",
            note="only one operation loads and raises",
        ),
        Valid(
            _HEAD + _READ + "\n\n@router.get('/drafts/{post_id}')\n"
            "async def read_draft(post_id: int):\n"
            "    draft = await service.get_draft(post_id)\n    if draft is None:\n"
            "        raise HTTPException(status_code=404)\n    return draft\n",
            note="the same parameter loaded by another function",
        ),
        Valid(
            _HEAD + _READ + "\n\n@router.get('/comments/{comment_id}')\n"
            "async def read_comment(comment_id: int):\n"
            "    comment = await service.get_by_id(comment_id)\n    if comment is None:\n"
            "        raise HTTPException(status_code=404)\n    return comment\n",
            note="another parameter",
        ),
        Valid(
            _HEAD + _READ + "\n\n@router.delete('/posts/{post_id}')\n"
            "async def delete_post(post_id: int):\n"
            "    post = await service.get_by_id(post_id)\n    if post is None:\n"
            "        raise HTTPException(status_code=403)\n    await service.delete(post)\n",
            note="another error: a different check, not a copy",
        ),
        Valid(
            _HEAD + _READ,
            path="src/posts/router.py",
            files={
                "src/posts/service.py": (
                    "from fastapi import HTTPException\n\nfrom app.posts import service\n\n\n"
                    "async def publish(post_id: int):\n"
                    "    post = await service.get_by_id(post_id)\n    if post is None:\n"
                    "        raise HTTPException(status_code=404)\n"
                ),
                "src/posts/cached.py": (
                    "from app.cache import cache\nfrom fastapi import HTTPException\n\n"
                    "from app.posts import service\n\n\n@cache.get('/posts/{post_id}')\n"
                    "async def cached_post(post_id: int):\n"
                    "    post = await service.get_by_id(post_id)\n    if post is None:\n"
                    "        raise HTTPException(status_code=404)\n    return post\n"
                ),
            },
            note="the look-alikes elsewhere are a plain function and a cache decorator",
        ),
        Valid(
            _HEAD + "@router.get('/posts/{post_id}')\n"
            "@router.head('/posts/{post_id}')\nasync def read_post(post_id: int):\n"
            "    post = await service.get_by_id(post_id)\n    if post is None:\n"
            "        raise HTTPException(status_code=404)\n"
            "    post = await service.get_by_id(post_id)\n    if post is None:\n"
            "        raise HTTPException(status_code=404)\n    return post\n",
            note="one operation, however many decorators and copies it has",
        ),
    )

    def visit_If(self, node: ast.If, ctx: FileContext) -> None:
        """Without an index: collect this module's load-and-raises (with one, facts have them)."""
        frame = ctx.function
        if frame is None or not frame.is_path_operation or ctx.project is not None:
            return
        params = path_parameters(frame.node, ctx, frame.scope.parent)
        if not params:
            return
        found = load_and_raise(node, params, ctx.resolver, frame.scope)
        if found is None:
            return
        functions: dict[int, tuple[FunctionNode, set[Validation]]]
        functions = ctx.rule_state(self).setdefault("functions", {})
        functions.setdefault(id(frame.node), (frame.node, set()))[1].add(found)

    def finish(self, ctx: FileContext) -> None:
        project = ctx.project
        if project is None:
            path = str(ctx.path) if ctx.path is not None else ""
            functions = ctx.rule_state(self).get("functions", {}).values()
            own = [
                _Place(path, func.name, ctx.def_range(func), frozenset(found))
                for func, found in functions
            ]
            table = _table(own)
            for place in own:
                self._report(ctx, place, table)
        elif ctx.path is not None:
            facts = project.facts_for_path(ctx.path)
            if facts is None or not any(route.validations for route in facts.routes):
                return
            project_table = project.derived(f"{self.code}.places", _places_by_validation)
            for place in _places(facts.path, facts.routes, _real_routes(project)):
                self._report(ctx, place, project_table)

    def _report(
        self, ctx: FileContext, place: _Place, table: Mapping[Validation, list[_Place]]
    ) -> None:
        groups = [table.get(key, []) for key in sorted(place.validations)]
        if len(groups) == 1:
            count = len(groups[0]) - (place in groups[0])
            others = [other for other in groups[0][: _RELATED + 1] if other != place]
        else:
            union = {other for group in groups for other in group} - {place}
            count = len(union)
            others = sorted(union, key=_place_order)
        if not count:
            return
        parameters = sorted({param for param, _ in place.validations})
        shown = ", ".join(f"`{param}`" for param in parameters)
        names = ", ".join(f"`{other.name}`" for other in others[:_NAMED])
        if count > _NAMED:
            names += f" and {count - _NAMED} more"
        ctx.report(
            self,
            place.range,
            f"`{place.name}` repeats the load-and-raise of {shown} that {names} also "
            f"{'does' if count == 1 else 'do'}; share one dependency "
            f"(e.g. `valid_{parameters[0]}`) instead",
            data={"parameters": parameters},
            related=tuple(
                RelatedLocation(
                    other.path, other.range, f"the same load-and-raise in `{other.name}`"
                )
                for other in others[:_RELATED]
            ),
        )


def _real_routes(project: WorkspaceIndex) -> frozenset[str]:
    """Functions of path operations on a known app or router (not `@cache.get`)."""
    return project.derived(
        "FBP403.routes", lambda index: frozenset(route.function for route in index.routes())
    )


def _places_by_validation(project: WorkspaceIndex) -> dict[Validation, list[_Place]]:
    real = _real_routes(project)
    found: list[_Place] = []
    for facts in project.all_facts():
        if any(route.validations for route in facts.routes):
            found.extend(_places(facts.path, facts.routes, real))
    return _table(found)


def _table(places: list[_Place]) -> dict[Validation, list[_Place]]:
    """Each load-and-raise -> the operations doing it, in path and line order."""
    table: dict[Validation, list[_Place]] = {}
    for place in sorted(places, key=_place_order):
        for key in place.validations:
            table.setdefault(key, []).append(place)
    return table


def _place_order(place: _Place) -> tuple[str, Range]:
    return (place.path, place.range)


def _places(path: str, routes: tuple[RouteFact, ...], real: frozenset[str]) -> list[_Place]:
    """One place per operation with a load-and-raise (stacked decorators give one)."""
    found: dict[str, _Place] = {}
    for route in routes:
        if route.validations and route.function in real and route.function not in found:
            line, start, end = route.def_span
            found[route.function] = _Place(
                path,
                route.function.rpartition(".")[2],
                Range(Position(line - 1, start), Position(line - 1, end)),
                frozenset(route.validations),
            )
    return list(found.values())
