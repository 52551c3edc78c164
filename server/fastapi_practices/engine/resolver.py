"""Name and type resolution for one module: imports, aliases, annotations and constructors.

Everything here is evidence-based: a name resolves to a qualified name only through imports,
definitions, annotations or constructor calls, never through the spelling of a variable.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.scopes import BUILTIN_NAMES, Binding, BindingKind, Scope
from fastapi_practices.workspace.context import WorkspaceContext

_MAX_DEPTH = 12
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class Resolver:
    def __init__(
        self,
        tree: ast.Module,
        module_name: str,
        is_package: bool,
        workspace: WorkspaceContext,
    ) -> None:
        self.tree = tree
        self.module_name = module_name
        self.is_package = is_package
        self.workspace = workspace
        self.module_scope = Scope(tree, None, module_name, is_package)
        self._scopes: dict[int, Scope] = {id(tree): self.module_scope}
        self._subclass_answers: dict[tuple[str, frozenset[str]], bool] = {}
        self._modules: dict[str, Resolver | None] = {}
        self._binding_scopes: dict[int, Scope] = {}
        self._name_qualnames: dict[tuple[int, int, int], tuple[list[Binding], str | None]] = {}
        self._name_types: dict[tuple[int, int, int, int], tuple[list[Binding], str | None]] = {}

    # ----- scopes -------------------------------------------------------------------------
    def scope_for(self, node: ast.AST, parent: Scope) -> Scope:
        key = id(node)
        scope = self._scopes.get(key)
        if scope is None:
            scope = Scope(node, parent, self.module_name, self.is_package)  # type: ignore[arg-type]
            self._scopes[key] = scope
        return scope

    # ----- qualified names ------------------------------------------------------------------
    def qualname(self, expr: ast.expr, scope: Scope) -> str | None:
        """Canonical qualified name that `expr` refers to, when imports or definitions prove it."""
        raw = self._raw_qualname(expr, scope, 0)
        return knowledge.canonical(raw) if raw else None

    def _raw_qualname(self, expr: ast.expr, scope: Scope, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            return self._name_qualname(expr.id, scope, depth)
        if isinstance(expr, ast.Attribute):
            base = self._raw_qualname(expr.value, scope, depth + 1)
            if base is None:
                return None
            return f"{knowledge.canonical(base)}.{expr.attr}"
        return None

    def _name_qualname(self, name: str, scope: Scope, depth: int) -> str | None:
        bindings = scope.lookup(name)
        if bindings is None:
            if scope.star_import_visible():
                return None
            return f"builtins.{name}" if name in BUILTIN_NAMES else None
        key = (id(bindings), len(bindings), depth)
        known = self._name_qualnames.get(key)
        if known is not None and known[0] is bindings:
            return known[1]
        names = {self._binding_qualname(b, depth) for b in bindings}
        found = names.pop() if len(names) == 1 else None
        # Keyed by the bindings list (which only grows): a name bound many times is resolved
        # once, not once per use.
        self._name_qualnames[key] = (bindings, found)
        return found

    def _binding_qualname(self, binding: Binding, depth: int) -> str | None:
        if binding.kind in (BindingKind.IMPORT, BindingKind.FUNCTION, BindingKind.CLASS):
            return binding.qualname
        if binding.kind is BindingKind.ASSIGN and isinstance(
            binding.value, (ast.Name, ast.Attribute)
        ):
            # `sleep = time.sleep` aliases the function itself.
            scope = self.module_scope
            return self._raw_qualname(binding.value, scope, depth + 1)
        return None

    # ----- types of values ------------------------------------------------------------------
    def instance_type(self, expr: ast.expr, scope: Scope) -> str | None:
        """Canonical class of the value `expr` evaluates to, when it can be proven."""
        return self._type(expr, scope, 0)

    def _type(self, expr: ast.expr, scope: Scope, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            return self._call_type(expr, scope, depth)
        if isinstance(expr, ast.Name):
            bindings = scope.lookup(expr.id)
            if not bindings:
                return None
            key = (id(scope), id(bindings), len(bindings), depth)
            known = self._name_types.get(key)
            if known is not None and known[0] is bindings:
                return known[1]
            types = {self._binding_type(b, scope, depth + 1) for b in bindings}
            found = types.pop() if len(types) == 1 else None
            self._name_types[key] = (bindings, found)
            return found
        if isinstance(expr, ast.Attribute):
            owner = self._type(expr.value, scope, depth + 1)
            if owner is not None:
                return self._member_result(owner, expr.attr, "attr")
            return None
        if isinstance(expr, ast.Subscript):
            owner = self._type(expr.value, scope, depth + 1)
            if owner is not None:
                return knowledge.METHOD_RESULTS.get((owner, "__getitem__"))
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            owner = self._type(expr.left, scope, depth + 1)
            if owner is not None:
                return knowledge.METHOD_RESULTS.get((owner, "__truediv__"))
        return None

    def _member_result(self, owner: str, attr: str, how: str) -> str | None:
        if how == "attr":
            found = knowledge.ATTRIBUTE_RESULTS.get((owner, attr))
            return found or knowledge.METHOD_RESULTS.get((owner, "__getattr__"))
        return knowledge.METHOD_RESULTS.get((owner, attr))

    def _call_type(self, call: ast.Call, scope: Scope, depth: int) -> str | None:
        func = call.func
        func_name = self.qualname(func, scope)
        if func_name is not None:
            if func_name in knowledge.FACTORY_RESULTS:
                return knowledge.FACTORY_RESULTS[func_name]
            if func_name == "sqlalchemy.orm.sessionmaker":
                return self._sessionmaker_type(call, scope)
            local = self.local_definition(func_name)
            if isinstance(local, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return self.function_result_type(local, depth + 1)
            if isinstance(local, ast.ClassDef):
                return func_name
            if local is None and self.foreign_definition(func_name) is not None:
                return self._foreign_function(func_name, depth)
            if not func_name.startswith("builtins."):
                return func_name
            return None
        if isinstance(func, ast.Attribute):
            owner = self._type(func.value, scope, depth + 1)
            if owner is not None:
                return self._member_result(owner, func.attr, "method")
            return None
        owner = self._type(func, scope, depth + 1)
        if owner is not None:
            return knowledge.METHOD_RESULTS.get((owner, "__call__"))
        return None

    def _sessionmaker_type(self, call: ast.Call, scope: Scope) -> str:
        for keyword in call.keywords:
            if keyword.arg == "class_":
                cls = self.qualname(keyword.value, scope)
                if cls == "sqlalchemy.ext.asyncio.AsyncSession":
                    return "sqlalchemy.ext.asyncio.async_sessionmaker"
                if cls != "sqlalchemy.orm.Session":
                    return "unknown.sessionmaker"
        return "sqlalchemy.orm.sessionmaker"

    def _binding_type(self, binding: Binding, scope: Scope, depth: int) -> str | None:
        if binding.kind is BindingKind.PARAM:
            if binding.annotation is not None:
                found = self.annotation_type(binding.annotation, scope, depth)
                if found is not None:
                    return found
            if binding.value is not None:
                return self.dependency_type(binding.value, scope, depth)
            return None
        if binding.kind is BindingKind.ASSIGN:
            if binding.annotation is not None:
                found = self.annotation_type(binding.annotation, scope, depth)
                if found is not None:
                    return found
            if binding.value is not None:
                return self._type(binding.value, self._scope_of_binding(binding, scope), depth)
            return None
        if binding.kind is BindingKind.WITH and binding.value is not None:
            entered = self._type(binding.value, self._scope_of_binding(binding, scope), depth)
            if entered is not None:
                return knowledge.ENTER_RESULTS.get(entered, entered)
            return None
        if binding.kind is BindingKind.IMPORT and binding.qualname:
            return self._foreign_value_type(binding.qualname, depth)
        return None

    def _scope_of_binding(self, binding: Binding, scope: Scope) -> Scope:
        # The binding was found by lookup from `scope`; walk outwards to the scope holding it.
        # Remembered per binding: a name bound many times would otherwise cost a scan per use.
        holder = self._binding_scopes.get(id(binding))
        if holder is not None:
            return holder
        current: Scope | None = scope
        while current is not None:
            for bindings in current.bindings.values():
                if any(candidate is binding for candidate in bindings):
                    self._binding_scopes[id(binding)] = current
                    return current
            current = current.parent
        return scope

    def annotation_type(self, annotation: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
            return self.annotation_type(parsed, scope, depth + 1)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self._union_member([annotation.left, annotation.right], scope, depth)
        if isinstance(annotation, ast.Subscript):
            outer = self.qualname(annotation.value, scope)
            items = _subscript_items(annotation)
            if outer in knowledge.OPTIONAL_WRAPPERS and items:
                return self.annotation_type(items[0], scope, depth + 1)
            if outer in knowledge.UNION_WRAPPERS:
                return self._union_member(items, scope, depth)
            if outer in knowledge.ANNOTATED_WRAPPERS and items:
                found = self.annotation_type(items[0], scope, depth + 1)
                if found is not None:
                    return found
                for extra in items[1:]:
                    dep = self.dependency_type(extra, scope, depth + 1)
                    if dep is not None:
                        return dep
                return None
            return None
        if isinstance(annotation, ast.Name):
            aliased = self._type_alias_target(annotation.id, scope, depth)
            if aliased is not None:
                return aliased
        if isinstance(annotation, (ast.Name, ast.Attribute)):
            return self.qualname(annotation, scope)
        return None

    def _type_alias_target(self, name: str, scope: Scope, depth: int) -> str | None:
        """What `SessionDep = Annotated[Session, Depends(...)]` means when used as an annotation."""
        bindings = scope.lookup(name)
        if not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
        if _is_type_alias(binding):
            assert binding.value is not None
            owner = self._scope_of_binding(binding, scope)
            return self.annotation_type(binding.value, owner, depth + 1)
        if binding.kind is BindingKind.IMPORT and binding.qualname:
            found = self._foreign_binding(binding.qualname)
            if found is not None and _is_type_alias(found[1]):
                other, alias = found
                assert alias.value is not None
                return other.annotation_type(alias.value, other.module_scope, depth + 1)
        return None

    def _union_member(self, members: list[ast.expr], scope: Scope, depth: int) -> str | None:
        real = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
        real = [m for m in real if not (isinstance(m, ast.Name) and m.id == "None")]
        if len(real) == 1:
            return self.annotation_type(real[0], scope, depth + 1)
        return None

    def dependency_target(self, expr: ast.expr, scope: Scope) -> ast.expr | None:
        """The callable inside `Depends(x)` / `Security(x)`, when `expr` is such a call."""
        if not isinstance(expr, ast.Call):
            return None
        if self.qualname(expr.func, scope) not in knowledge.DEPENDS_FUNCTIONS:
            return None
        return dependency_argument(expr)

    def dependency_type(self, expr: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        """What a `Depends(f)` parameter receives: f's (yielded) result type."""
        target = self.dependency_target(expr, scope)
        if target is None:
            return None
        target_name = self.qualname(target, scope)
        if target_name is None:
            return None
        local = self.local_definition(target_name)
        if isinstance(local, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.function_result_type(local, depth + 1)
        if isinstance(local, ast.ClassDef):
            return target_name
        return self._foreign_function(target_name, depth)

    # ----- functions ------------------------------------------------------------------------
    def local_definition(self, qualname: str) -> ast.AST | None:
        """The top-level function or class of this module that `qualname` names, if any."""
        prefix = f"{self.module_name}."
        if not qualname.startswith(prefix):
            return None
        name = qualname[len(prefix) :]
        bindings = self.module_scope.bindings.get(name)
        if not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
        if binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS):
            return binding.node
        return None

    def function_result_type(self, func: FunctionNode, depth: int = 0) -> str | None:
        """The type a call of `func` gives (for generators: what it yields)."""
        if depth > _MAX_DEPTH:
            return None
        scope = self.scope_for(func, self._definition_scope(func))
        if func.returns is not None:
            returned = self._return_annotation_type(func.returns, scope, depth)
            if returned is not None:
                return returned
        values = list(_yielded_or_returned(func))
        if not values:
            return None
        types = {self._type(v, scope, depth + 1) for v in values}
        return types.pop() if len(types) == 1 else None

    def _definition_scope(self, func: ast.AST) -> Scope:
        return self.module_scope

    def _return_annotation_type(self, annotation: ast.expr, scope: Scope, depth: int) -> str | None:
        if isinstance(annotation, ast.Subscript):
            outer = self.qualname(annotation.value, scope)
            if outer in knowledge.GENERATOR_WRAPPERS:
                items = _subscript_items(annotation)
                return self.annotation_type(items[0], scope, depth + 1) if items else None
        return self.annotation_type(annotation, scope, depth + 1)

    def is_subclass_of(self, class_qualname: str, bases: frozenset[str], depth: int = 0) -> bool:
        """True when the class is one of `bases` or a workspace class that derives from one."""
        if class_qualname in bases:
            return True
        if depth > _MAX_DEPTH:
            return False
        key = (class_qualname, bases)
        answer = self._subclass_answers.get(key)
        if answer is None:
            found = self._class_definition(class_qualname)
            answer = found is not None and any(
                (base_name := found[0].qualname(base, found[0].module_scope)) is not None
                and found[0].is_subclass_of(base_name, bases, depth + 1)
                for base in found[1].bases
            )
            self._subclass_answers[key] = answer
        return answer

    def _class_definition(self, qualname: str) -> tuple[Resolver, ast.ClassDef] | None:
        local = self.local_definition(qualname)
        if isinstance(local, ast.ClassDef):
            return self, local
        found = self.foreign_definition(qualname)
        if found is not None and isinstance(found[1], ast.ClassDef):
            return found[0], found[1]
        return None

    # ----- other modules ----------------------------------------------------------------------
    def foreign_definition(self, qualname: str) -> tuple[Resolver, ast.AST] | None:
        """The function or class another workspace module defines under `qualname`."""
        found = self._foreign_binding(qualname)
        if found is None:
            return None
        resolver, binding = found
        if binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS) and binding.node is not None:
            return resolver, binding.node
        if binding.kind is BindingKind.IMPORT and binding.qualname:
            return resolver.foreign_definition(binding.qualname)
        return None

    def _foreign_binding(self, qualname: str) -> tuple[Resolver, Binding] | None:
        module, _, name = qualname.rpartition(".")
        if not module or module == self.module_name:
            return None
        if module not in self._modules:
            self._modules[module] = module_resolver(self.workspace, module)
        other = self._modules[module]
        if other is None:
            return None
        bindings = other.module_scope.bindings.get(name)
        if not bindings or len(bindings) != 1:
            return None
        return other, bindings[0]

    def _foreign_value_type(self, qualname: str, depth: int) -> str | None:
        found = self._foreign_binding(qualname)
        if found is None:
            return None
        other, binding = found
        return other._binding_type(binding, other.module_scope, depth + 1)

    def _foreign_function(self, qualname: str, depth: int) -> str | None:
        found = self.foreign_definition(qualname)
        if found is None:
            return None
        other, node = found
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return other.function_result_type(node, depth + 1)
        if isinstance(node, ast.ClassDef):
            return qualname
        return None


def _is_type_alias(binding: Binding) -> bool:
    """`X = Annotated[...]`, `X = Optional[...]` or `X = A | None` (maybe `X: TypeAlias = ...`)."""
    value = binding.value
    return binding.kind is BindingKind.ASSIGN and (
        isinstance(value, ast.Subscript)
        or (isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr))
    )


def dependency_argument(call: ast.Call) -> ast.expr | None:
    """The callable given to a `Depends(...)`-shaped call, positionally or as `dependency=`."""
    if call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "dependency":
            return keyword.value
    return None


def _subscript_items(node: ast.Subscript) -> list[ast.expr]:
    inner = node.slice
    if isinstance(inner, ast.Tuple):
        return list(inner.elts)
    return [inner]


def _yielded_or_returned(func: FunctionNode) -> Iterator[ast.expr]:
    stack: list[ast.AST] = list(func.body)
    yields: list[ast.expr] = []
    returns: list[ast.expr] = []
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Yield) and node.value is not None:
            yields.append(node.value)
        elif isinstance(node, ast.Return) and node.value is not None:
            returns.append(node.value)
        stack.extend(ast.iter_child_nodes(node))
    yield from (yields or returns)


@functools.lru_cache(maxsize=256)
def _parse_cached(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def module_resolver(workspace: WorkspaceContext, module_name: str) -> Resolver | None:
    source = workspace.module_source(module_name)
    if source is None:
        return None
    tree = _parse_cached(source.text)
    if tree is None:
        return None
    return _resolver_cached(workspace, source.module_name, source.is_package, source.text, tree)


@functools.lru_cache(maxsize=256)
def _resolver_cached(
    workspace: WorkspaceContext, module_name: str, is_package: bool, text: str, tree: ast.Module
) -> Resolver:
    return Resolver(tree, module_name, is_package, workspace)
