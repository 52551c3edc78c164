"""FBP402's fix: move a route's load-and-raise into a `valid_<parameter>` dependency.

The statements that load the entity and raise when it is missing leave the route for a new
function at the end of the domain's dependencies module (see `dependency_module`). The route
then receives the entity through `Depends(valid_<parameter>)`; the parameters only the moved
code used go with it, since the dependency now declares them (see `route_signature`).
Anything that cannot be carried over for certain (a name defined in the route's module, a
local computed earlier, a comment in the signature) means no fix.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.engine.resolver import FunctionNode
from fastapi_practices.engine.scopes import BindingKind, Scope
from fastapi_practices.fixes.imports import ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.fixes.validity import parses
from fastapi_practices.model import FileEdit, Position, Range, TextEdit
from fastapi_practices.rules.dependencies.dependency_module import (
    add_to_import,
    dependencies_edit,
    imports_needed,
    is_docstring,
    line_start,
    resolved,
    target_module,
)
from fastapi_practices.rules.dependencies.route_signature import (
    MAX_LINE,
    Parameter,
    parameters,
    signature_edit,
)

KIND = "extract-dependency"
SESSIONS = frozenset({"sqlalchemy.orm.Session", "sqlalchemy.ext.asyncio.AsyncSession"})
SELECTS = frozenset({"sqlalchemy.select", "sqlalchemy.future.select", "sqlmodel.select"})
# Result methods giving the selected entity (not a row), and those that do after `.scalars()`.
SCALAR_METHODS = frozenset({"scalar", "scalar_one", "scalar_one_or_none"})
AFTER_SCALARS = frozenset({"first", "one", "one_or_none"})
_NOT_MOVABLE = (ast.Return, ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)


def dependency_name(parameter: str) -> str:
    return f"valid_{parameter}"


@dataclass(frozen=True)
class _Shape:
    """What moves: the load (and the result it reads), then the `if` that raises."""

    func: FunctionNode
    moved: list[ast.stmt]
    variable: str
    parameter: str
    load: ast.Call
    source: ast.Call | None  # `result = session.execute(...)` when the load reads `result`

    @property
    def remaining(self) -> list[ast.stmt]:
        return [s for s in self.func.body if not any(s is m for m in self.moved)]


def extract_dependency(request: FixRequest) -> list[TextEdit | FileEdit] | None:
    """Edits to the route's module and to its domain's dependencies module, or None."""
    deps_file = request.finding.data.get("dependencies")
    shape = _shape(request)
    if request.path is None or not isinstance(deps_file, str) or shape is None:
        return None
    router_path = resolved(request.path)
    deps_path = router_path.parent / deps_file
    spelled = _dependencies_import(request, deps_path)
    target = target_module(request, deps_path, spelled.lstrip("."))
    if deps_path == router_path or target is None:
        return None
    if (_stored_names(shape.moved) - {shape.variable}) & _loaded_names(shape.remaining):
        return None  # The route still reads a name that only the moved code assigns.
    moved_uses = _loaded_names(shape.moved) - _stored_names(shape.moved)
    params = {arg.arg for arg, _ in parameters(shape.func)}
    carried = [p for p in parameters(shape.func) if p[0].arg in moved_uses]
    names = (moved_uses - params) | _loaded_names(_parts(carried))
    if names & (params | _function_locals(request, shape)):
        return None  # A local of the route computed before the check.
    entity = _entity_type(request, shape)
    imports = imports_needed(request, names | ({entity[1]} if entity and entity[1] else set()))
    if imports is None and entity is not None and entity[1]:
        entity = None  # The type's own import cannot be carried: go without the annotation.
        imports = imports_needed(request, names)
    if imports is None:
        return None
    type_text = entity[0] if entity else None
    name = dependency_name(shape.parameter)
    route = _route_edits(request, shape, name, type_text, spelled)
    function = _dependency_function(request, shape, name, type_text, carried)
    if route is None or function is None:
        return None
    deps_edit = dependencies_edit(request, target, imports, function, name)
    if deps_edit is None:
        return None
    if not _parses_after(request.text, route) or not _parses_after(
        target.text or "", deps_edit.edits
    ):
        return None
    return [*route, deps_edit]


# ----- what moves -----------------------------------------------------------------------------
def _shape(request: FixRequest) -> _Shape | None:
    data = request.finding.data
    parameter, variable, line = data.get("parameter"), data.get("variable"), data.get("line")
    if not (isinstance(parameter, str) and isinstance(variable, str) and isinstance(line, int)):
        return None
    func = _function_at(request)
    if func is None or func.args.posonlyargs or getattr(func, "type_params", None):
        return None
    body = func.body
    index = next((i for i, s in enumerate(body) if s.lineno - 1 == line), None)
    if index is None:
        return None
    check = body[index]
    if not isinstance(check, ast.If) or check.orelse or not _raises(check):
        return None
    moved: list[ast.stmt] = [check]
    walrus = next(
        (n for n in ast.walk(check.test) if isinstance(n, ast.NamedExpr)),
        None,
    )
    if walrus is not None and walrus.target.id == variable:
        load = _call(walrus.value)
    else:
        assigned = body[index - 1] if index >= 1 else None
        load = _call(_assigned(assigned, variable))
        if assigned is None:
            return None
        moved.insert(0, assigned)
    if load is None:
        return None
    source = None
    if not _uses(load, parameter):
        # `result = session.execute(...)` then `post = result.scalar_one_or_none()`.
        receiver = load.func.value if isinstance(load.func, ast.Attribute) else None
        start = index - (len(moved) - 1)
        earlier = body[start - 1] if start >= 1 else None
        if isinstance(receiver, ast.Name):
            source = _call(_assigned(earlier, receiver.id))
        if earlier is None or source is None or not _uses(source, parameter):
            return None
        moved.insert(0, earlier)
    if any(isinstance(n, _NOT_MOVABLE) for s in moved for n in ast.walk(s)):
        return None
    return _Shape(func, moved, variable, parameter, load, source)


def _function_at(request: FixRequest) -> FunctionNode | None:
    """The module-level function whose `def` line the finding is on."""
    line = request.finding.range.start.line
    for node in request.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno - 1 == line:
            return node
    return None


def _raises(check: ast.If) -> bool:
    return any(isinstance(s, ast.Raise) and s.exc is not None for s in check.body)


def _assigned(statement: ast.stmt | None, name: str) -> ast.expr | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return statement.value if isinstance(target, ast.Name) and target.id == name else None
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.value if statement.target.id == name else None
    return None


def _call(expr: ast.expr | None) -> ast.Call | None:
    if isinstance(expr, ast.Await):
        expr = expr.value
    return expr if isinstance(expr, ast.Call) else None


def _uses(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _loaded_names(nodes: Iterable[ast.AST]) -> set[str]:
    return {
        n.id
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }


def _stored_names(nodes: Iterable[ast.AST]) -> set[str]:
    return {
        n.id
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))
    }


def _parts(params: list[Parameter]) -> list[ast.AST]:
    return [n for arg, default in params for n in (arg.annotation, default) if n is not None]


def _function_locals(request: FixRequest, shape: _Shape) -> set[str]:
    scope = request.resolver.scope_for(shape.func, request.resolver.module_scope)
    return set(scope.bindings) - _stored_names(shape.moved)


# ----- the entity's type ----------------------------------------------------------------------
def _entity_type(request: FixRequest, shape: _Shape) -> tuple[str, str | None] | None:
    """How the route's module spells the loaded entity's class (and the name it then needs).

    Proven by the variable's annotation, `session.get(Model, ...)`, a `select(Model)` read with
    a scalar method, or the return annotation of the workspace function that loads it.
    """
    assigned = shape.moved[-2] if len(shape.moved) >= 2 else None
    if isinstance(assigned, ast.AnnAssign):
        inner = _without_none(request, assigned.annotation)
        return (request.segment(inner), None) if inner is not None else None
    scope = request.scope_of(shape.load)
    load = shape.load
    if (
        isinstance(load.func, ast.Attribute)
        and load.func.attr == "get"
        and len(load.args) >= 2
        and isinstance(load.args[0], (ast.Name, ast.Attribute))
        and request.resolver.instance_type(load.func.value, scope) in SESSIONS
    ):
        return request.segment(load.args[0]), None
    selected = _selected_model(request, shape, scope)
    if selected is not None:
        return request.segment(selected), None
    return _result_type(request, load, scope)


def _without_none(request: FixRequest, annotation: ast.expr) -> ast.expr | None:
    """`X` of `X | None`, `None | X` or `Optional[X]`; `X` itself otherwise."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        real = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
        return real[0] if len(real) == 1 else None
    if isinstance(annotation, ast.Subscript):
        outer = request.resolver.qualname(annotation.value, request.resolver.module_scope)
        return annotation.slice if outer in knowledge.OPTIONAL_WRAPPERS else annotation
    if isinstance(annotation, ast.Constant):
        return None  # A string annotation: the names in it are not checked, so not carried.
    return annotation


def _selected_model(request: FixRequest, shape: _Shape, scope: Scope) -> ast.expr | None:
    load = shape.load
    if not isinstance(load.func, ast.Attribute):
        return None
    reads_entity = load.func.attr in SCALAR_METHODS
    if load.func.attr in AFTER_SCALARS:
        receiver = load.func.value
        scalars = receiver if isinstance(receiver, ast.Call) else shape.source
        reads_entity = (
            scalars is not None
            and isinstance(scalars.func, ast.Attribute)
            and scalars.func.attr == "scalars"
        )
    if not reads_entity:
        return None
    models = [
        node.args[0]
        for call in (load, shape.source)
        if call is not None
        for node in ast.walk(call)
        if isinstance(node, ast.Call)
        and len(node.args) == 1
        and isinstance(node.args[0], (ast.Name, ast.Attribute))
        and request.resolver.qualname(node.func, scope) in SELECTS
    ]
    return models[0] if len(models) == 1 else None


def _result_type(request: FixRequest, load: ast.Call, scope: Scope) -> tuple[str, str] | None:
    """The class a workspace function's return annotation promises, as the module imports it."""
    resolver = request.resolver
    callee = resolver.qualname(load.func, scope)
    if callee is None:
        return None
    local = resolver.local_definition(callee)
    found = (resolver, local) if local is not None else resolver.foreign_definition(callee)
    if found is None or not isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    returned = found[0].function_result_type(found[1])
    if returned is None:
        return None
    wanted = knowledge.canonical(returned)
    for name, bindings in resolver.module_scope.bindings.items():
        if (
            len(bindings) == 1
            and bindings[0].kind is BindingKind.IMPORT
            and knowledge.canonical(bindings[0].qualname or "") == wanted
        ):
            return name, name
    return None


# ----- the route ------------------------------------------------------------------------------
def _route_edits(
    request: FixRequest, shape: _Shape, name: str, type_text: str | None, spelled: str
) -> list[TextEdit] | None:
    if not [s for s in shape.remaining if not is_docstring(s)]:
        return None
    if shape.variable in {arg.arg for arg, _ in parameters(shape.func)}:
        return None
    removal = _statements_range(request, shape.moved)
    if removal is None:
        return None
    depends = _depends_spelling(request)
    call = f"{depends or 'Depends'}({name})"
    annotated = _annotated_spelling(request, shape.func)
    if annotated is not None and type_text is not None:
        new_param, has_default = f"{shape.variable}: {annotated}[{type_text}, {call}]", False
    elif type_text is not None:
        new_param, has_default = f"{shape.variable}: {type_text} = {call}", True
    else:
        new_param, has_default = f"{shape.variable}={call}", True
    moved_only = _loaded_names(shape.moved) - _loaded_names(shape.remaining)
    signature = signature_edit(
        request, shape.func, shape.parameter, moved_only, new_param, has_default
    )
    if signature is None:
        return None
    edits = [TextEdit(removal, ""), signature]
    wanted = [(spelled, name)] + ([] if depends else [("fastapi", "Depends")])
    for module, imported in wanted:
        added = ensure_import(request, module, imported)
        if added is not None:
            edits.append(add_to_import(request, module, [imported]) or added)
    return edits


def _statements_range(request: FixRequest, statements: list[ast.stmt]) -> Range | None:
    """Whole lines from the first statement to the last, when no other code shares them."""
    lines = request.lines
    start = lines.node_range(statements[0])
    end = lines.node_range(statements[-1])
    before = lines.line_text(start.start.line)[: start.start.column]
    after = lines.line_text(end.end.line)[end.end.column :].strip()
    if before.strip() or (after and not after.startswith("#")):
        return None
    return Range(Position(start.start.line, 0), line_start(lines, end.end.line + 1))


def _depends_spelling(request: FixRequest) -> str | None:
    """The name the module already imports `fastapi.Depends` under, if any."""
    for name, bindings in request.resolver.module_scope.bindings.items():
        if (
            len(bindings) == 1
            and bindings[0].kind is BindingKind.IMPORT
            and knowledge.canonical(bindings[0].qualname or "") == "fastapi.Depends"
        ):
            return name
    return None


def _annotated_spelling(request: FixRequest, func: FunctionNode) -> str | None:
    """How the route spells `Annotated` when its parameters already use it."""
    scope = request.resolver.module_scope
    for arg, _ in parameters(func):
        annotation = arg.annotation
        if (
            isinstance(annotation, ast.Subscript)
            and request.resolver.qualname(annotation.value, scope) in knowledge.ANNOTATED_WRAPPERS
        ):
            return request.segment(annotation.value)
    return None


def _dependencies_import(request: FixRequest, deps_path: Path) -> str:
    """How the route's module should import the dependencies module: absolutely when it already
    imports its own package so (`from src.posts.models import Post`), else `.dependencies`."""
    stem = deps_path.stem
    for node in request.tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
            continue
        source = request.workspace.module_source(node.module)
        if source is None:
            continue
        path = resolved(source.path)
        if path == deps_path.parent / "__init__.py":
            return f"{node.module}.{stem}"
        package = node.module.rpartition(".")[0]
        if path.parent == deps_path.parent and package:
            return f"{package}.{stem}"
    return f".{stem}"


# ----- the dependency -------------------------------------------------------------------------
def _dependency_function(
    request: FixRequest,
    shape: _Shape,
    name: str,
    type_text: str | None,
    carried: list[Parameter],
) -> str | None:
    """The new function's text, in the route module's own newlines."""
    newline = request.newline
    keyword_only = {id(arg) for arg in shape.func.args.kwonlyargs}
    items: list[str] = []
    for arg, default in carried:
        if id(arg) in keyword_only and "*" not in items:
            items.append("*")
        text = request.segment(arg)
        if default is not None:
            text += (" = " if arg.annotation is not None else "=") + request.segment(default)
        items.append(text)
    removal = _statements_range(request, shape.moved)
    if removal is None:
        return None
    body = request.lines.source_segment(removal)
    if not body.endswith(("\n", "\r")):
        body += newline
    indent = re.match(r"[ \t]*", request.lines.line_text(removal.start.line))
    unit = indent.group(0) if indent and indent.group(0) else "    "
    keyword = "async def" if isinstance(shape.func, ast.AsyncFunctionDef) else "def"
    returns = f" -> {type_text}" if type_text else ""
    params = ", ".join(items)
    header = f"{keyword} {name}({params}){returns}:"
    if len(header) > MAX_LINE or "\n" in params:
        inline = f"{unit}{params}"
        if len(inline) <= MAX_LINE and "\n" not in inline:
            params = newline + inline + newline
        else:
            params = newline + "".join(f"{unit}{item},{newline}" for item in items)
        header = f"{keyword} {name}({params}){returns}:"
    return f"{header}{newline}{body}{unit}return {shape.variable}{newline}"


# ----- checking the result --------------------------------------------------------------------
def _parses_after(text: str, edits: Iterable[TextEdit]) -> bool:
    """Whether `text` still parses with the edits applied (overlapping edits: no)."""
    lines = LineIndex(text)
    spans = sorted(
        ((lines.offset(e.range.start), lines.offset(e.range.end), e) for e in edits),
        key=lambda span: span[:2],
    )
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        if start < end:
            return False
    for start, end, edit in reversed(spans):
        text = text[:start] + edit.new_text + text[end:]
    return parses(text)
