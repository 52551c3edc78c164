"""Adding an import only when it is missing, next to the module's other imports."""

from __future__ import annotations

import ast
import re

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.scopes import BindingKind
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Position, Range, TextEdit


class ImportConflict(Exception):
    """The name is already bound to something else, so the import cannot be added safely."""


def ensure_import(request: FixRequest, module: str, name: str | None = None) -> TextEdit | None:
    """An edit adding `import module` (or `from module import name`), or None if present.

    Raises ImportConflict when the local name is already bound to something different.
    """
    local = name or module.split(".")[0]
    wanted = knowledge.canonical(f"{module}.{name}" if name else module.split(".")[0])
    bindings = request.resolver.module_scope.bindings.get(local)
    if bindings:
        same = all(
            b.kind is BindingKind.IMPORT
            and b.qualname is not None
            and knowledge.canonical(b.qualname) == wanted
            for b in bindings
        )
        if same:
            return None
        raise ImportConflict(local)
    statement = f"from {module} import {name}" if name else f"import {module}"
    where = _insertion_range(request)
    if where.start.column > 0:
        return TextEdit(where, request.newline + statement)
    return TextEdit(where, statement + request.newline)


def header_lines(request: FixRequest) -> int:
    """How many leading lines must stay first: a shebang and an encoding declaration."""
    count = 0
    for number in range(min(2, len(request.lines.lines))):
        text = request.lines.line_text(number)
        if (number == 0 and text.startswith("#!")) or _ENCODING.match(text):
            count = number + 1
        else:
            break
    return count


# PEP 263: an encoding declaration counts on line 1 or 2 only.
_ENCODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-_.a-zA-Z0-9]+")


def _insertion_range(request: FixRequest) -> Range:
    body = request.tree.body
    line = header_lines(request)
    index = 0
    if body and _is_docstring(body[0]):
        line = line_after(request, body[0])
        index = 1
    while index < len(body) and _is_import_block_statement(body[index]):
        line = line_after(request, body[index])
        index += 1
    if (
        line >= len(request.lines.lines)
        and request.text
        and not request.text.endswith(("\n", "\r"))
    ):
        # The last line has no newline; insert after it with one.
        last = len(request.lines.lines) - 1
        end = Position(last, len(request.lines.line_text(last)))
        return Range(end, end)
    position = Position(line, 0)
    return Range(position, position)


def line_after(request: FixRequest, statement: ast.stmt) -> int:
    """The zero-based line after `statement`, past a trailing backslash continuation."""
    line = statement.end_lineno or statement.lineno
    while line < len(request.lines.lines) and request.lines.line_text(line - 1).endswith("\\"):
        line += 1
    return line


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_import_block_statement(node: ast.stmt) -> bool:
    return isinstance(node, (ast.Import, ast.ImportFrom))
