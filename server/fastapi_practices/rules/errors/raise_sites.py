"""Where a `raise` sits, for the error-handling rules (FBP501-FBP503).

A raise belongs to the function whose body holds it. Only module-level functions and methods
of module-level classes are named here: other code (nested functions, lambdas) is too often the
inner part of a dependency factory to be judged by its own name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi_practices.engine.context import FileContext
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.workspace.facts import HandlerFact
from fastapi_practices.workspace.layout import ProjectLayout, layout_for

if TYPE_CHECKING:
    from fastapi_practices.workspace.index import WorkspaceIndex

_ROLE_KEY = "errors.domain-role"
_DEPENDENCY_KEY = "errors.dependencies"
_LOCAL_DEPENDENCIES = "local-dependencies"
_LOCAL_HANDLERS = "local-handlers"
HANDLER_DECORATOR = "exception_handler"
ADD_HANDLER = "add_exception_handler"


@dataclass(frozen=True)
class RaisingFunction:
    node: FunctionNode
    names: tuple[str, ...]
    """Qualified names under which the function runs when used in `Depends(...)`: its own,
    and for `__init__` the class's (`Depends(Pagination)` calls the constructor)."""
    is_path_operation: bool

    @property
    def is_call_method(self) -> bool:
        """`__call__` of a class: what `Depends(RequireRole("admin"))` runs."""
        return self.names[0].endswith(".__call__")

    @property
    def is_exception_handler(self) -> bool:
        """Decorated with `@app.exception_handler(...)`."""
        return any(
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == HANDLER_DECORATOR
            for decorator in self.node.decorator_list
        )


def raising_function(ctx: FileContext) -> RaisingFunction | None:
    """The module-level function or method whose own body holds the current node."""
    frames = ctx.frames
    frame = frames[-1] if frames else None
    if frame is None or frame.scope.parent is None:
        return None
    outer = frame.scope.parent
    name = frame.node.name
    if len(frames) == 1 and outer.is_module:
        return RaisingFunction(frame.node, (outer.qualify(name),), frame.is_path_operation)
    if len(frames) == 2 and frames[0] is None and outer.is_class:
        klass = outer.node
        module = outer.parent
        if not isinstance(klass, ast.ClassDef) or module is None or not module.is_module:
            return None
        class_name = module.qualify(klass.name)
        names: tuple[str, ...] = (f"{class_name}.{name}",)
        if name == "__init__":
            names = (*names, class_name)
        return RaisingFunction(frame.node, names, frame.is_path_operation)
    return None


def raised_name(node: ast.Raise, ctx: FileContext) -> str | None:
    """The qualified name of the class a `raise X(...)` / `raise X` proves it raises."""
    exc = node.exc
    target = exc.func if isinstance(exc, ast.Call) else exc
    if not isinstance(target, (ast.Name, ast.Attribute)):
        return None
    return ctx.qualname(target)


def _layout(ctx: FileContext) -> ProjectLayout | None:
    """The project layout (looked up here: the engine computes it only for FBP1xx codes)."""
    state = ctx.rule_state_for(_ROLE_KEY)
    if "layout" not in state:
        layout = ctx.layout
        if layout is None and ctx.path is not None:
            layout = layout_for(ctx.settings)
        state["layout"] = layout
    found: ProjectLayout | None = state["layout"]
    return found


def domain_role(ctx: FileContext) -> tuple[str | None, str | None]:
    """(domain, role) of the analysed file; (None, None) outside every domain package."""
    state = ctx.rule_state_for(_ROLE_KEY)
    found: tuple[str | None, str | None] | None = state.get("role")
    if found is None:
        layout = _layout(ctx)
        found = (None, None) if layout is None or ctx.path is None else layout.role_of(ctx.path)
        state["role"] = found
    return found


def exceptions_module(ctx: FileContext, domain: str) -> str:
    """`<domain>/exceptions.py`, spelled as the project names its exceptions module."""
    layout = _layout(ctx)
    roles = layout.roles if layout is not None else {}
    file_name = next((name for name, role in roles.items() if role == "exceptions"), None)
    return f"{domain}/{file_name or 'exceptions.py'}"


# ----- dependencies and handlers declared in this file, for analyses without an index -------
def record_local_call(call: ast.Call, ctx: FileContext) -> None:
    """Note `Depends(f)` targets and `add_exception_handler(E, f)` handlers of this file."""
    state = ctx.rule_state_for(_DEPENDENCY_KEY)
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == ADD_HANDLER:
        if len(call.args) >= 2 and isinstance(call.args[1], (ast.Name, ast.Attribute)):
            handler = ctx.qualname(call.args[1])
            if handler is not None:
                state.setdefault(_LOCAL_HANDLERS, set()).add(handler)
        return
    target = ctx.dependency_target(call)
    if isinstance(target, (ast.Name, ast.Attribute)):
        name = ctx.qualname(target)
        if name is not None:
            state.setdefault(_LOCAL_DEPENDENCIES, set()).add(name)


LOCAL_CALL_NAMES = frozenset({"Depends", "Security", ADD_HANDLER})


def _local(ctx: FileContext, key: str) -> set[str]:
    found: set[str] = ctx.rule_state_for(_DEPENDENCY_KEY).get(key, set())
    return found


# ----- answers ------------------------------------------------------------------------------
def is_dependency(function: RaisingFunction, ctx: FileContext) -> bool:
    """Used as a `Depends`/`Security` target: in this file, or (with the index) in any module
    that imports this one, directly or through others."""
    if _local(ctx, _LOCAL_DEPENDENCIES).intersection(function.names):
        return True
    index = ctx.project
    if index is None:
        return False
    cache: dict[tuple[str, ...], bool] = ctx.rule_state_for(_DEPENDENCY_KEY).setdefault(
        "answers", {}
    )
    answer = cache.get(function.names)
    if answer is None:
        answer = cache[function.names] = _used_as_dependency(index, ctx.module_name, function)
    return answer


def _used_as_dependency(index: WorkspaceIndex, module: str, function: RaisingFunction) -> bool:
    targets = {index.canonical(name) for name in function.names}
    for user in _self_and_importers(index, module):
        facts = index.facts_for(user)
        if facts is not None and any(
            index.canonical(used) in targets for used in facts.dependencies
        ):
            return True
    return False


def _self_and_importers(index: WorkspaceIndex, module: str) -> Iterable[str]:
    yield module
    yield from sorted(index.dependents_of(module))


def is_registered_handler(function: RaisingFunction, ctx: FileContext) -> bool:
    """Registered with `add_exception_handler` (here, or anywhere with the index)."""
    if function.is_exception_handler:
        return True
    if _local(ctx, _LOCAL_HANDLERS).intersection(function.names):
        return True
    index = ctx.project
    if index is None:
        return False
    own = index.canonical(function.names[0])
    return any(
        handler.handler is not None and index.canonical(handler.handler) == own
        for handler in project_handlers(ctx, index)
    )


def project_handlers(ctx: FileContext, index: WorkspaceIndex) -> tuple[HandlerFact, ...]:
    """Every registered exception handler of the project (looked up once per file)."""
    state = ctx.rule_state_for(_DEPENDENCY_KEY)
    found: tuple[HandlerFact, ...] | None = state.get("handlers")
    if found is None:
        found = state["handlers"] = index.exception_handlers()
    return found
