"""What one module declares, gathered in a single walk over its `ast`.

Facts are small frozen dataclasses holding qualified names and literals only (no `ast` nodes),
so they pickle across processes and stay cheap to keep for thousands of files. Names are
resolved with the engine's resolver through this file's own imports; following them into
other modules is the index's job.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import sys
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.resolver import Resolver, dependency_argument
from fastapi_practices.engine.scopes import (
    BINDING_NODE_TYPES,
    BindingKind,
    Scope,
    resolve_relative,
)
from fastapi_practices.workspace.context import EMPTY_WORKSPACE

BASE_MODEL = "pydantic.BaseModel"
SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic.BaseSettings"})
HTTP_EXCEPTION = "fastapi.HTTPException"
APP_CONSTRUCTORS = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette"})
RESPONSE_CLASSES = frozenset(
    {
        "fastapi.responses.JSONResponse",
        "starlette.responses.JSONResponse",
        "fastapi.responses.ORJSONResponse",
        "fastapi.responses.UJSONResponse",
        "fastapi.responses.Response",
        "starlette.responses.Response",
        "fastapi.responses.PlainTextResponse",
        "starlette.responses.PlainTextResponse",
        "fastapi.Response",
    }
)

# Top-level packages that are never the workspace: their names are left out of `references`,
# so that editing `status.HTTP_403_FORBIDDEN` is no project-wide change.
LIBRARY_ROOTS = frozenset(sys.stdlib_module_names) | {
    "alembic",
    "anyio",
    "asyncpg",
    "boto3",
    "botocore",
    "builtins",
    "celery",
    "fastapi",
    "httpx",
    "jose",
    "jwt",
    "passlib",
    "psycopg",
    "psycopg2",
    "pydantic",
    "pydantic_settings",
    "pymongo",
    "pytest",
    "redis",
    "requests",
    "sqlalchemy",
    "sqlmodel",
    "starlette",
    "typing_extensions",
    "uvicorn",
}

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class ClassFact:
    qualname: str
    bases: tuple[str, ...]
    """Resolved base qualnames; a base that cannot be resolved is left out."""
    fields: tuple[str, ...]
    """Names annotated directly in the class body."""
    line: int


@dataclass(frozen=True)
class RouterFact:
    qualname: str
    kind: str
    """`fastapi.APIRouter` or `fastapi.FastAPI`."""
    prefix: str | None
    tags: tuple[str, ...] | None
    responses: tuple[int | str, ...] | None
    """The keys of a literal `responses={...}`."""
    dependencies: tuple[str, ...]
    line: int
    keywords: tuple[str, ...] = ()
    """Names of the keyword arguments given; `**` stands for unpacked ones."""


@dataclass(frozen=True)
class RouteFact:
    function: str
    """Qualified name of the path operation function."""
    router: str
    """Qualified name of the decorator's object (`router` in `@router.get`)."""
    method: str
    path: str | None
    response_model: str | None
    """Source text of `response_model=`."""
    status_code: int | str | None
    """An int when literal or `status.HTTP_*`, else the source text."""
    responses: tuple[int | str, ...] | None
    dependencies: tuple[str, ...]
    line: int
    validations: tuple[tuple[str, str], ...] = ()
    """Each load-and-raise of the body (what FBP402 flags): (path parameter, its signature)."""
    def_span: tuple[int, int, int] = (0, 0, 0)
    """Where `def name` is: 1-based line, 0-based code-point start and end columns."""


@dataclass(frozen=True)
class IncludeFact:
    owner: str | None
    """Qualified name of the app or router `include_router` is called on."""
    router: str | None
    prefix: str | None
    tags: tuple[str, ...] | None
    responses: tuple[int | str, ...] | None
    has_prefix: bool
    line: int
    keywords: tuple[str, ...] = ()
    """Names of the keyword arguments given; `**` stands for unpacked ones."""


@dataclass(frozen=True)
class FunctionFact:
    qualname: str
    is_async: bool
    raises_status: tuple[int, ...]
    """Literal statuses of `HTTPException`s raised in the body."""
    raises: tuple[str, ...]
    """Other exception classes raised in the body."""
    depends: tuple[str, ...]
    """Targets of `Depends`/`Security` in the signature, decorators and body."""
    calls: tuple[str, ...]
    """Qualified names called in the body (builtins left out)."""
    annotation_names: tuple[str, ...]
    """Plain names used as parameter annotations (they may be `Annotated` dependency aliases)."""
    response_statuses: tuple[int, ...]
    """Literal `status_code=` of responses built in the body."""
    line: int
    parameters: tuple[str, ...] = ()
    """Parameters FastAPI fills by their own name from the path or the query string."""


@dataclass(frozen=True)
class HandlerFact:
    exception: str
    handler: str | None
    status: int | None
    """The status the handler returns when literal and found in this module."""
    line: int


@dataclass(frozen=True)
class SettingsFact:
    qualname: str
    fields: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ModuleFacts:
    module: str
    path: str
    is_package: bool
    content_hash: str
    parsed: bool = True
    imports: tuple[str, ...] = ()
    """Every module this one imports from (absolute, candidates included)."""
    aliases: tuple[tuple[str, str], ...] = ()
    """Module-level imported names and what they stand for."""
    classes: tuple[ClassFact, ...] = ()
    routers: tuple[RouterFact, ...] = ()
    routes: tuple[RouteFact, ...] = ()
    includes: tuple[IncludeFact, ...] = ()
    functions: tuple[FunctionFact, ...] = ()
    dependencies: tuple[str, ...] = ()
    """Every `Depends`/`Security` target used in the module."""
    dependency_aliases: tuple[tuple[str, str], ...] = ()
    """`X = Annotated[T, Depends(f)]` at module level: (X's qualname, f's qualname)."""
    handlers: tuple[HandlerFact, ...] = ()
    base_model_candidates: tuple[str, ...] = ()
    settings: tuple[SettingsFact, ...] = ()
    domain: str | None = None
    role: str | None = None
    references: tuple[str, ...] = ()
    """Imported or module-level names used other than as a `Depends`/`Security` target or a
    `dependency_overrides` key: calls, callbacks, values."""


def project_wide_facts(facts: ModuleFacts | None) -> tuple[object, ...]:
    """The facts other modules may read without importing this one (all but functions and
    imports, which reach only the modules that import this one). Empty for no module."""
    if facts is None:
        return ((),) * 10
    return (
        facts.classes,
        facts.routers,
        facts.routes,
        facts.includes,
        facts.handlers,
        facts.dependencies,
        facts.dependency_aliases,
        facts.base_model_candidates,
        facts.settings,
        facts.references,
    )


_NO_FACTS = (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)
_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _children(node: ast.AST) -> list[ast.AST]:
    """The child nodes that can hold facts (not `Load()`, operators and the like)."""
    node_type = type(node)
    fields = _FIELDS.get(node_type)
    if fields is None:
        fields = _FIELDS[node_type] = tuple(
            name for name in node_type._fields if name not in ("ctx", "type_comment", "op")
        )
    found: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            if not isinstance(value, _NO_FACTS):
                found.append(value)
        elif isinstance(value, list):
            found.extend(
                item
                for item in value
                if isinstance(item, ast.AST) and not isinstance(item, _NO_FACTS)
            )
    return found


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def extract_facts(
    text: str, path: Path, module: str, is_package: bool, tree: ast.Module | None = None
) -> ModuleFacts:
    """The facts of one module. A file that does not parse gives facts with `parsed=False`.

    `tree`: the module already parsed from `text`, so that it is not parsed twice."""
    digest = content_hash(text.encode("utf-8", "surrogatepass"))
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return ModuleFacts(module, str(path), is_package, digest, parsed=False)
    try:
        return _Extractor(tree, text, module, is_package).run(str(path), digest)
    except RecursionError:
        return ModuleFacts(module, str(path), is_package, digest, parsed=False)


@dataclass
class _FunctionBuilder:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    qualname: str
    raises_status: list[int] = field(default_factory=list)
    raises: list[str] = field(default_factory=list)
    depends: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    annotation_names: list[str] = field(default_factory=list)
    response_statuses: list[int] = field(default_factory=list)
    parameters: tuple[str, ...] = ()

    def build(self) -> FunctionFact:
        return FunctionFact(
            qualname=self.qualname,
            is_async=isinstance(self.node, ast.AsyncFunctionDef),
            raises_status=_unique(self.raises_status),
            raises=_unique(self.raises),
            depends=_unique(self.depends),
            calls=_unique(self.calls),
            annotation_names=_unique(self.annotation_names),
            response_statuses=_unique(self.response_statuses),
            line=self.node.lineno,
            parameters=self.parameters,
        )


@dataclass
class _ClassBuilder:
    node: ast.ClassDef
    qualname: str
    bases: tuple[str, ...]
    fields: list[str] = field(default_factory=list)


@dataclass
class _Frame:
    scope: Scope
    function: _FunctionBuilder | None
    klass: _ClassBuilder | None


class _Extractor:
    def __init__(self, tree: ast.Module, text: str, module: str, is_package: bool) -> None:
        self.tree = tree
        self.text = text
        self._lines: list[str] | None = None
        self.module = module
        self.is_package = is_package
        self.resolver = Resolver(tree, module, is_package, EMPTY_WORKSPACE)
        self.imports: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.classes: list[ClassFact] = []
        self.routers: list[RouterFact] = []
        self.routes: list[RouteFact] = []
        self.includes: list[IncludeFact] = []
        self.functions: list[FunctionFact] = []
        self.dependencies: list[str] = []
        self.dependency_aliases: dict[str, str] = {}
        self.pending_handlers: list[tuple[str, str | None, int]] = []
        self.base_candidates: list[str] = []
        self.settings: list[SettingsFact] = []
        self.references: list[str] = []
        # Names that may stand for a function of the workspace: defined here or imported.
        self.referable = {
            name
            for name, bindings in self.resolver.module_scope.bindings.items()
            if any(b.kind in (BindingKind.FUNCTION, BindingKind.IMPORT) for b in bindings)
        }
        self.not_references: set[int] = set()
        """`Depends(f)` targets and `dependency_overrides[f]` keys: uses that are no reference."""
        self.route_functions: list[int] = []
        """id() of the function of each entry of `routes`."""
        self.path_params: dict[int, frozenset[str]] = {}
        self.validations: dict[int, list[tuple[str, str]]] = {}

    # ----- the walk ---------------------------------------------------------------------------
    def run(self, path: str, digest: str) -> ModuleFacts:
        module_frame = _Frame(self.resolver.module_scope, None, None)
        stack: list[tuple[ast.AST, _Frame] | _ClassBuilder | _FunctionBuilder] = [
            (statement, module_frame) for statement in reversed(self.tree.body)
        ]
        while stack:
            item = stack.pop()
            if isinstance(item, _ClassBuilder):
                self._finish_class(item)
                continue
            if isinstance(item, _FunctionBuilder):
                self.functions.append(item.build())
                continue
            node, frame = item
            if frame.scope is not module_frame.scope and type(node) in BINDING_NODE_TYPES:
                frame.scope.record(node)
            children = self._visit(node, frame, stack)
            if children is not None:
                stack.extend((child, frame) for child in reversed(children))
        statuses = {f.qualname: f.response_statuses for f in self.functions}
        handlers = tuple(
            HandlerFact(exception, handler, _single(statuses.get(handler or "", ())), line)
            for exception, handler, line in self.pending_handlers
        )
        return ModuleFacts(
            module=self.module,
            path=path,
            is_package=self.is_package,
            content_hash=digest,
            imports=tuple(sorted(self.imports)),
            aliases=tuple(sorted(self.aliases.items())),
            classes=tuple(self.classes),
            routers=tuple(self.routers),
            routes=self._routes_with_validations(),
            includes=tuple(self.includes),
            functions=tuple(self.functions),
            dependencies=_unique(self.dependencies),
            dependency_aliases=tuple(sorted(self.dependency_aliases.items())),
            handlers=handlers,
            base_model_candidates=tuple(self.base_candidates),
            settings=tuple(self.settings),
            references=tuple(sorted(set(self.references))),
        )

    def _routes_with_validations(self) -> tuple[RouteFact, ...]:
        return tuple(
            replace(route, validations=_unique(self.validations[function]))
            if function in self.validations
            else route
            for route, function in zip(self.routes, self.route_functions, strict=True)
        )

    def _visit(
        self,
        node: ast.AST,
        frame: _Frame,
        stack: list[tuple[ast.AST, _Frame] | _ClassBuilder | _FunctionBuilder],
    ) -> list[ast.AST] | None:
        """Record what `node` says; the children to walk with the same frame (None: leaf)."""
        node_type = type(node)
        if node_type is ast.Call:
            self._call(node, frame)  # type: ignore[arg-type]
        elif node_type in (ast.FunctionDef, ast.AsyncFunctionDef):
            self._function(node, frame, stack)  # type: ignore[arg-type]
            return None
        elif node_type is ast.ClassDef:
            self._class(node, frame, stack)  # type: ignore[arg-type]
            return None
        elif node_type is ast.Raise:
            self._raise(node, frame)  # type: ignore[arg-type]
        elif node_type is ast.Assign or node_type is ast.AnnAssign:
            self._assign(node, frame)  # type: ignore[arg-type]
        elif node_type in (ast.Import, ast.ImportFrom):
            self._import(node, frame)  # type: ignore[arg-type]
            return None
        elif node_type is ast.Name:
            if node.id in self.referable:  # type: ignore[attr-defined]
                self._name(node, frame)  # type: ignore[arg-type]
            return None
        elif node_type is ast.Constant:
            return None
        elif node_type is ast.Attribute:
            if self._attribute(node, frame):  # type: ignore[arg-type]
                return None
        elif node_type is ast.If:
            self._if(node, frame)  # type: ignore[arg-type]
        elif node_type is ast.Subscript:
            self._subscript(node)  # type: ignore[arg-type]
        return _children(node)

    def _function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        frame: _Frame,
        stack: list[tuple[ast.AST, _Frame] | _ClassBuilder | _FunctionBuilder],
    ) -> None:
        outer = frame.scope
        scope = self.resolver.scope_for(node, outer)
        scope.start_incremental()
        builder = frame.function
        if outer.is_module:
            parameters = plain_parameters(node, self.resolver, outer)
            builder = _FunctionBuilder(node, outer.qualify(node.name), parameters=parameters)
            stack.append(builder)
        inner = _Frame(scope, builder, None)
        # Decorators and the signature run in the enclosing scope but belong to this function.
        signature_frame = _Frame(outer, builder, frame.klass)
        for decorator in node.decorator_list:
            self._decorator(decorator, node, outer)
        head: list[ast.AST] = [*node.decorator_list]
        args = node.args
        head.extend(d for d in [*args.defaults, *args.kw_defaults] if d is not None)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                head.append(arg.annotation)
                if builder is not None and isinstance(arg.annotation, (ast.Name, ast.Attribute)):
                    name = self._object_name(arg.annotation, outer)  # aliases made here too
                    if name is not None and not name.startswith("builtins."):
                        builder.annotation_names.append(name)
        stack.extend((statement, inner) for statement in reversed(node.body))
        stack.extend((expr, signature_frame) for expr in reversed(head))

    def _class(
        self,
        node: ast.ClassDef,
        frame: _Frame,
        stack: list[tuple[ast.AST, _Frame] | _ClassBuilder | _FunctionBuilder],
    ) -> None:
        outer = frame.scope
        bases = tuple(
            name for base in node.bases if (name := self.resolver.qualname(base, outer)) is not None
        )
        scope = self.resolver.scope_for(node, outer)
        scope.start_incremental()
        builder = _ClassBuilder(node, outer.qualify(node.name), bases)
        stack.append(builder)
        inner = _Frame(scope, frame.function, builder)
        stack.extend((statement, inner) for statement in reversed(node.body))
        head = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
        stack.extend((expr, frame) for expr in reversed(head))

    def _finish_class(self, builder: _ClassBuilder) -> None:
        fields = tuple(builder.fields)
        self.classes.append(ClassFact(builder.qualname, builder.bases, fields, builder.node.lineno))
        if "<locals>" in builder.qualname:
            return
        if BASE_MODEL in builder.bases and not fields:
            self.base_candidates.append(builder.qualname)
        if SETTINGS_BASES.intersection(builder.bases):
            self.settings.append(SettingsFact(builder.qualname, fields, builder.node.lineno))

    def _import(self, node: ast.Import | ast.ImportFrom, frame: _Frame) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.imports.add(alias.name)
                if frame.scope.is_module and alias.asname:
                    self.aliases[alias.asname] = alias.name
                if not frame.scope.is_module:
                    self.referable.add(alias.asname or alias.name.partition(".")[0])
            return
        base = resolve_relative(self.module, node.level, node.module, self.is_package)
        if base:
            self.imports.add(base)
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self.imports.add(target)  # `from pkg import module` imports a module too
            if frame.scope.is_module:
                self.aliases[alias.asname or alias.name] = target
            else:
                self.referable.add(alias.asname or alias.name)

    def _assign(self, node: ast.Assign | ast.AnnAssign, frame: _Frame) -> None:
        klass = frame.klass
        targets: list[ast.expr]
        if isinstance(node, ast.AnnAssign):
            in_class_body = klass is not None and frame.scope.node is klass.node
            if in_class_body and isinstance(node.target, ast.Name):
                assert klass is not None
                klass.fields.append(node.target.id)
            targets = [node.target]
        else:
            targets = node.targets
        value = node.value
        if not frame.scope.is_module or len(targets) != 1 or not isinstance(targets[0], ast.Name):
            return
        if isinstance(value, ast.Subscript):
            self._dependency_alias(targets[0].id, value, frame.scope)
            return
        if not isinstance(value, ast.Call):
            return
        kind = self.resolver.qualname(value.func, frame.scope)
        if kind not in knowledge.APP_CLASSES:
            return
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        self.routers.append(
            RouterFact(
                qualname=frame.scope.qualify(targets[0].id),
                kind=kind,
                prefix=_string(keywords.get("prefix")),
                tags=_strings(keywords.get("tags")),
                responses=_response_keys(keywords.get("responses"), self, frame.scope),
                dependencies=self._dependency_list(keywords.get("dependencies"), frame.scope),
                line=node.lineno,
                keywords=_keyword_names(value),
            )
        )

    def _raise(self, node: ast.Raise, frame: _Frame) -> None:
        builder = frame.function
        if builder is None or node.exc is None:
            return
        exc = node.exc
        target = exc.func if isinstance(exc, ast.Call) else exc
        name = self.resolver.qualname(target, frame.scope)
        if name is None:
            return
        if name == HTTP_EXCEPTION:
            status = self._call_status(exc, frame.scope) if isinstance(exc, ast.Call) else None
            if isinstance(status, int):
                builder.raises_status.append(status)
        else:
            builder.raises.append(name)

    def _call(self, node: ast.Call, frame: _Frame) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in (
            "include_router",
            "add_exception_handler",
        ):
            if func.attr == "include_router":
                self._include(node, func, frame)
            else:
                self._add_handler(node, func, frame)
            return
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return
        name = self.resolver.qualname(func, frame.scope)
        if name is None:
            return
        builder = frame.function
        if name in knowledge.DEPENDS_FUNCTIONS:
            target = dependency_argument(node)
            if target is not None:
                self.not_references.add(id(target))
            target_name = self.resolver.qualname(target, frame.scope) if target else None
            if target_name is not None:
                self.dependencies.append(target_name)
                if builder is not None:
                    builder.depends.append(target_name)
            return
        if name in APP_CONSTRUCTORS:
            self._constructor_handlers(node, frame.scope)
        if builder is None:
            return
        if name in RESPONSE_CLASSES:
            status = self._call_status(node, frame.scope)
            if isinstance(status, int):
                builder.response_statuses.append(status)
        if not name.startswith("builtins."):
            builder.calls.append(name)

    def _include(self, node: ast.Call, func: ast.Attribute, frame: _Frame) -> None:
        owner = self._object_name(func.value, frame.scope)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        router_expr = node.args[0] if node.args else keywords.get("router")
        router = self._object_name(router_expr, frame.scope) if router_expr else None
        self.includes.append(
            IncludeFact(
                owner=owner,
                router=router,
                prefix=_string(keywords.get("prefix")),
                tags=_strings(keywords.get("tags")),
                responses=_response_keys(keywords.get("responses"), self, frame.scope),
                has_prefix="prefix" in keywords,
                line=node.lineno,
                keywords=_keyword_names(node),
            )
        )

    def _add_handler(self, node: ast.Call, func: ast.Attribute, frame: _Frame) -> None:
        if len(node.args) < 2:
            return
        exception = self._exception_name(node.args[0], frame.scope)
        if exception is None:
            return
        handler = self.resolver.qualname(node.args[1], frame.scope)
        self.pending_handlers.append((exception, handler, node.lineno))

    def _constructor_handlers(self, node: ast.Call, scope: Scope) -> None:
        """The literal `exception_handlers={Error: handler}` of an application constructor."""
        for keyword in node.keywords:
            if keyword.arg != "exception_handlers" or not isinstance(keyword.value, ast.Dict):
                continue
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                exception = self._exception_name(key, scope) if key is not None else None
                if key is not None and exception is not None:
                    handler = self.resolver.qualname(value, scope)
                    self.pending_handlers.append((exception, handler, key.lineno))

    def _decorator(
        self, decorator: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope
    ) -> None:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
            return
        attr = decorator.func.attr
        if attr == "exception_handler":
            if decorator.args:
                exception = self._exception_name(decorator.args[0], scope)
                if exception is not None:
                    handler = scope.qualify(func.name)
                    self.pending_handlers.append((exception, handler, decorator.lineno))
            return
        if attr not in knowledge.ROUTE_METHODS:
            return
        owner = decorator.func.value
        owner_name = self._object_name(owner, scope)
        if owner_name is None or not self._is_app_or_router(owner, scope):
            return
        keywords = {k.arg: k.value for k in decorator.keywords if k.arg}
        path_expr = decorator.args[0] if decorator.args else keywords.get("path")
        model = keywords.get("response_model")
        self.routes.append(
            RouteFact(
                function=scope.qualify(func.name),
                router=owner_name,
                method=attr,
                path=_string(path_expr),
                response_model=self._segment(model),
                status_code=self._status_value(keywords.get("status_code"), scope),
                responses=_response_keys(keywords.get("responses"), self, scope),
                dependencies=self._dependency_list(keywords.get("dependencies"), scope),
                line=decorator.lineno,
                def_span=self._def_span(func),
            )
        )
        self.route_functions.append(id(func))
        path = _string(path_expr)
        if path and "{" in path:
            self.path_params.setdefault(id(func), frozenset())
            self.path_params[id(func)] |= _path_parameters(path, func)

    def _name(self, node: ast.Name, frame: _Frame) -> None:
        self._reference(node, node.id, frame)

    def _attribute(self, node: ast.Attribute, frame: _Frame) -> bool:
        """Record `module.function`-like chains; True when nothing inside is left to walk."""
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return False
        self._reference(node, root.id, frame)
        return True

    def _reference(self, node: ast.Name | ast.Attribute, root: str, frame: _Frame) -> None:
        """Record a use of a workspace-looking name other than as a dependency target."""
        if root not in self.referable or type(node.ctx) is not ast.Load:
            return
        if id(node) in self.not_references:
            return
        name = self.resolver.qualname(node, frame.scope)
        if name is not None and name.partition(".")[0] not in LIBRARY_ROOTS:
            self.references.append(name)

    def _subscript(self, node: ast.Subscript) -> None:
        """`app.dependency_overrides[f]` replaces `f` without calling it."""
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr == "dependency_overrides":
            self.not_references.add(id(node.slice))

    def _if(self, node: ast.If, frame: _Frame) -> None:
        """A load-and-raise directly in a path operation's body (FBP402's shape, for FBP403)."""
        params = self.path_params.get(id(frame.scope.node))
        if not params:
            return
        # Imported here: the detection belongs to the rules, which import this module.
        from fastapi_practices.rules.dependencies.load_and_raise import load_and_raise

        found = load_and_raise(node, params, self.resolver, frame.scope)
        if found is not None:
            self.validations.setdefault(id(frame.scope.node), []).append(found)

    def _def_span(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int, int]:
        if self._lines is None:
            self._lines = io.StringIO(self.text, newline="").readlines()
        try:
            line = self._lines[func.lineno - 1].rstrip("\r\n")
        except IndexError:
            return (func.lineno, 0, 0)
        start = len(line.encode()[: func.col_offset].decode(errors="ignore"))
        match = re.compile(rf"\b{re.escape(func.name)}\b").search(line, start)
        return (func.lineno, start, match.end() if match else len(line))

    def _dependency_alias(self, name: str, value: ast.Subscript, scope: Scope) -> None:
        if self.resolver.qualname(value.value, scope) not in knowledge.ANNOTATED_WRAPPERS:
            return
        items = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
        for extra in items[1:]:
            target = self.resolver.dependency_target(extra, scope)
            target_name = self.resolver.qualname(target, scope) if target is not None else None
            if target_name is not None:
                self.dependency_aliases[scope.qualify(name)] = target_name
                return

    # ----- helpers ----------------------------------------------------------------------------
    def _object_name(self, expr: ast.expr, scope: Scope) -> str | None:
        """The qualified name of an object: imported, or assigned at module level."""
        name = self.resolver.qualname(expr, scope)
        if name is not None or not isinstance(expr, ast.Name):
            return name
        module_scope = self.resolver.module_scope
        if scope.lookup(expr.id) is module_scope.bindings.get(expr.id):
            return module_scope.qualify(expr.id)
        return None

    def _is_app_or_router(self, expr: ast.expr, scope: Scope) -> bool:
        found = self.resolver.instance_type(expr, scope)
        if found in knowledge.APP_CLASSES:
            return True
        # A name imported from another module: the index checks it against that module's routers.
        return found is None and isinstance(expr, ast.Name)

    def _exception_name(self, expr: ast.expr, scope: Scope) -> str | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, int):
            return str(expr.value)
        return self.resolver.qualname(expr, scope)

    def _dependency_list(self, expr: ast.expr | None, scope: Scope) -> tuple[str, ...]:
        if not isinstance(expr, (ast.List, ast.Tuple)):
            return ()
        names = []
        for element in expr.elts:
            target = self.resolver.dependency_target(element, scope)
            name = self.resolver.qualname(target, scope) if target is not None else None
            if name is not None:
                names.append(name)
        return tuple(names)

    def _call_status(self, call: ast.Call, scope: Scope) -> int | str | None:
        for keyword in call.keywords:
            if keyword.arg == "status_code":
                return self._status_value(keyword.value, scope)
        if call.args:
            return self._status_value(call.args[0], scope)
        return None

    def _status_value(self, expr: ast.expr | None, scope: Scope) -> int | str | None:
        if expr is None:
            return None
        if isinstance(expr, ast.Constant) and type(expr.value) is int:
            return expr.value
        if isinstance(expr, ast.Attribute):
            name = self.resolver.qualname(expr, scope)
            if name is not None:
                number = knowledge.status_number(name)
                if number is not None:
                    return number
        return self._segment(expr)

    def _segment(self, expr: ast.expr | None) -> str | None:
        """Like `ast.get_source_segment`, without splitting the whole text on every call."""
        if expr is None or expr.end_lineno is None or expr.end_col_offset is None:
            return None
        if self._lines is None:
            self._lines = io.StringIO(self.text, newline="").readlines()
        try:
            chunk = self._lines[expr.lineno - 1 : expr.end_lineno]
        except IndexError:
            return None
        if not chunk:
            return None
        if len(chunk) == 1:
            raw = chunk[0].encode()[expr.col_offset : expr.end_col_offset]
            return raw.decode(errors="replace")
        first = chunk[0].encode()[expr.col_offset :].decode(errors="replace")
        last = chunk[-1].encode()[: expr.end_col_offset].decode(errors="replace")
        return "".join([first, *chunk[1:-1], last])


def _string(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def _strings(expr: ast.expr | None) -> tuple[str, ...] | None:
    if not isinstance(expr, (ast.List, ast.Tuple)):
        return None
    values = [_string(element) for element in expr.elts]
    return tuple(v for v in values if v is not None)


def _keyword_names(call: ast.Call) -> tuple[str, ...]:
    return tuple(k.arg or "**" for k in call.keywords)


def _response_keys(
    expr: ast.expr | None, extractor: _Extractor, scope: Scope
) -> tuple[int | str, ...] | None:
    """The keys of a literal dict; None when it is no literal or unpacks another (`**x`)."""
    if not isinstance(expr, ast.Dict):
        return None
    keys: list[int | str] = []
    for key in expr.keys:
        if key is None:
            return None
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            keys.append(int(key.value) if key.value.isdigit() else key.value)
            continue
        value = extractor._status_value(key, scope)
        if value is not None:
            keys.append(value)
    return tuple(keys)


def plain_parameters(
    func: ast.FunctionDef | ast.AsyncFunctionDef, resolver: Resolver, scope: Scope
) -> tuple[str, ...]:
    """Parameters FastAPI fills by their own name from the path or the query string: scalar or
    unannotated, with no marker but `Path()` and no alias. `scope`: where the `def` runs."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    with_defaults = positional[len(positional) - len(args.defaults) :]
    defaults = {a.arg: d for a, d in zip(with_defaults, args.defaults, strict=True)}
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if default is not None:
            defaults[arg.arg] = default
    return tuple(
        arg.arg
        for arg in [*positional, *args.kwonlyargs]
        if _read_by_name(arg, defaults.get(arg.arg), resolver, scope)
    )


_SCALAR_TYPES = frozenset(
    {
        "builtins.int",
        "builtins.str",
        "builtins.float",
        "builtins.bool",
        "builtins.bytes",
        "uuid.UUID",
        "decimal.Decimal",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
    }
)


def _read_by_name(arg: ast.arg, default: ast.expr | None, resolver: Resolver, scope: Scope) -> bool:
    markers = [default] if default is not None else []
    annotation = arg.annotation
    if (
        isinstance(annotation, ast.Subscript)
        and resolver.qualname(annotation.value, scope) in knowledge.ANNOTATED_WRAPPERS
    ):
        items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        if not items:
            return False
        annotation = items[0]
        markers.extend(items[1:])
    if not all(_path_or_plain_value(marker, resolver, scope) for marker in markers):
        return False
    return annotation is None or _scalar(annotation, resolver, scope)


def _path_or_plain_value(expr: ast.expr, resolver: Resolver, scope: Scope) -> bool:
    """A default or `Annotated` extra that keeps the parameter a path-or-query one."""
    if not isinstance(expr, ast.Call):
        return True
    name = resolver.qualname(expr.func, scope)
    if name is None:
        return False
    if not name.startswith("fastapi."):
        return True
    return name.rpartition(".")[2] == "Path" and all(k.arg != "alias" for k in expr.keywords)


def _scalar(annotation: ast.expr, resolver: Resolver, scope: Scope) -> bool:
    if isinstance(annotation, ast.Constant):
        return annotation.value is None
    if isinstance(annotation, (ast.Name, ast.Attribute)):
        return resolver.qualname(annotation, scope) in _SCALAR_TYPES
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _scalar(annotation.left, resolver, scope) and _scalar(
            annotation.right, resolver, scope
        )
    if isinstance(annotation, ast.Subscript):
        outer = resolver.qualname(annotation.value, scope)
        if outer in knowledge.OPTIONAL_WRAPPERS or outer in knowledge.UNION_WRAPPERS:
            inner = annotation.slice
            items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            return all(_scalar(item, resolver, scope) for item in items)
    return False


def _path_parameters(path: str, func: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Parameters of `func` named by a `{placeholder}` of its route path."""
    from fastapi_practices.rules.dependencies.path_params import _PLACEHOLDER, parameter_names

    named = set(_PLACEHOLDER.findall(path))
    return frozenset(name for name in parameter_names(func) if name in named)


def _unique(values: list[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))


def _single(values: tuple[int, ...]) -> int | None:
    return values[0] if len(set(values)) == 1 else None
