"""Small text edits shared by the pydantic fixers: imports, whole-line removal, lookups."""

from __future__ import annotations

import ast

from fastapi_practices.engine.scopes import BindingKind
from fastapi_practices.fixes.imports import ImportConflict, ensure_import
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Position, Range, TextEdit


def import_name(
    request: FixRequest, module: str, name: str, accepted: frozenset[str] = frozenset()
) -> TextEdit | None:
    """Make `name` from `module` available: join an existing `from module import ...` when
    there is one at module level, else add a new import. None when it is already there.

    Raises ImportConflict when `name` is bound to something else.
    """
    wanted = accepted | {f"{module}.{name}"}
    bindings = request.resolver.module_scope.bindings.get(name)
    if bindings:
        if all(b.kind is BindingKind.IMPORT and b.qualname in wanted for b in bindings):
            return None
        raise ImportConflict(name)
    statement = _module_import_from(request.tree, module)
    if statement is None:
        return ensure_import(request, module, name)
    last = statement.names[-1]
    end = request.lines.node_range(last).end
    return TextEdit(Range(end, end), f", {name}")


def _module_import_from(tree: ast.Module, module: str) -> ast.ImportFrom | None:
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module == module
            and all(alias.name != "*" for alias in node.names)
        ):
            return node
    return None


def line_indent(request: FixRequest, line: int) -> str:
    text = request.lines.line_text(line)
    return text[: len(text) - len(text.lstrip())]


def starts_its_line(request: FixRequest, node: ast.AST) -> bool:
    """Only whitespace precedes `node` on its first line."""
    start = request.lines.node_range(node).start
    return not request.lines.line_text(start.line)[: start.column].strip()


def remove_lines(request: FixRequest, first: int, last: int) -> TextEdit:
    """Delete zero-based lines `first`..`last` whole, with one blank line before them if any."""
    if first > 0 and not request.lines.line_text(first - 1).strip():
        first -= 1
    start = Position(first, 0)
    if last + 1 < len(request.lines.lines):
        end = Position(last + 1, 0)
    else:
        end = Position(last, len(request.lines.line_text(last)))
        if first > 0:
            start = Position(first - 1, len(request.lines.line_text(first - 1)))
    return TextEdit(Range(start, end), "")


def node_starting_at(
    request: FixRequest, position: Position, *types: type[ast.AST]
) -> ast.AST | None:
    """The outermost node of one of `types` that starts exactly at `position`."""
    line_text = request.lines.line_text(position.line)
    byte_col = len(line_text[: position.column].encode("utf-8"))
    for node in request.index.by_start.get((position.line + 1, byte_col), ()):
        if isinstance(node, types):
            return node
    return None
