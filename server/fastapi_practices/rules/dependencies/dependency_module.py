"""The domain's dependencies module as the target of FBP402's fix.

Knows its current text (the editor's when it is open), which of the route module's imports the
new function needs there, and the edits that add the function: a new file, or imports after its
own imports plus the function after its last line.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi_practices.engine import knowledge
from fastapi_practices.engine.positions import LineIndex
from fastapi_practices.engine.scopes import BUILTIN_NAMES, Binding, BindingKind
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import FileEdit, Position, Range, TextEdit

_NEWLINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Target:
    path: Path
    module: str  # its name in the workspace
    spellings: frozenset[str]  # the names the route's module may import it by
    text: str | None  # None: the file does not exist yet


@dataclass(frozen=True)
class CarriedImport:
    """One name the route's module imports at its top level, as its statement spells it."""

    local: str
    qualname: str
    module: str | None  # `from <module> import ...`, leading dots kept; None for `import ...`
    name: str
    asname: str | None
    line: int  # 1-based lines of the statement it comes from
    end_line: int
    position: int

    @property
    def alias(self) -> str:
        return f"{self.name} as {self.asname}" if self.asname else self.name

    @property
    def statement_module(self) -> str:
        """The module the statement imports from (absolute), from the bound qualified name."""
        return self.qualname.rpartition(".")[0] if self.module is not None else self.name


def resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def target_module(request: FixRequest, path: Path, spelled: str) -> Target | None:
    """The dependencies module at `path`; None when it exists but its text is not known for
    sure (a file the workspace does not serve could be open in the editor with other text)."""
    module = request.workspace.module_name_for(path)[0]
    spellings = frozenset({module, spelled}) - {""}
    for name in sorted(spellings):
        source = request.workspace.module_source(name)
        if source is not None and resolved(source.path) == path:
            return Target(path, module, spellings, source.text)
    if path.exists():
        return None
    return Target(path, module, spellings, None)


def imports_needed(request: FixRequest, names: Iterable[str]) -> list[CarriedImport] | None:
    """The top-level imports of the route's module that bind `names`.

    None when one of them is bound otherwise there (defined in that module, imported under a
    condition) or not at all and not a builtin: the code using it cannot be carried over.
    """
    module_bindings = request.resolver.module_scope.bindings
    top_level = {id(statement) for statement in request.tree.body}
    carried: set[CarriedImport] = set()
    for name in names:
        bindings = module_bindings.get(name)
        if not bindings:
            if name in BUILTIN_NAMES and not request.resolver.module_scope.has_star_import:
                continue
            return None
        for binding in bindings:
            node = binding.node
            if (
                binding.kind is not BindingKind.IMPORT
                or not isinstance(node, (ast.Import, ast.ImportFrom))
                or id(node) not in top_level
                or binding.qualname is None
            ):
                return None
            found = _carried(node, name, binding.qualname)
            if found is None:
                return None
            carried.add(found)
    return sorted(carried, key=lambda item: (item.line, item.position))


def _carried(node: ast.Import | ast.ImportFrom, local: str, qualname: str) -> CarriedImport | None:
    for position, alias in enumerate(node.names):
        top = alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name
        if (alias.asname or top) != local:
            continue
        module = (
            "." * node.level + (node.module or "") if isinstance(node, ast.ImportFrom) else None
        )
        end = node.end_lineno or node.lineno
        return CarriedImport(
            local, qualname, module, alias.name, alias.asname, node.lineno, end, position
        )
    return None


def import_block(imports: list[CarriedImport], newline: str, source: LineIndex) -> str:
    """Import statements for `imports`, one per module, in the route module's order and with
    its blank lines between groups."""
    statements: list[tuple[str, list[str], int, int]] = []  # (module key, aliases, line, end)
    by_module: dict[str, list[str]] = {}
    for item in imports:
        if item.module is None:
            statements.append(("", [item.alias], item.line, item.end_line))
            continue
        if item.module not in by_module:
            by_module[item.module] = []
            statements.append((item.module, by_module[item.module], item.line, item.end_line))
        if item.alias not in by_module[item.module]:
            by_module[item.module].append(item.alias)
    text = ""
    previous_end: int | None = None
    for module, aliases, line, end in statements:
        if previous_end is not None and _blank_between(source, previous_end, line):
            text += newline
        if module:
            text += f"from {module} import {', '.join(aliases)}{newline}"
        else:
            text += f"import {aliases[0]}{newline}"
        previous_end = max(end, previous_end or 0)
    return text


def _blank_between(source: LineIndex, after: int, before: int) -> bool:
    """A blank line between 1-based lines `after` and `before` of the route's module."""
    return any(not source.line_text(line).strip() for line in range(after, before - 1))


def dependencies_edit(
    request: FixRequest,
    target: Target,
    imports: list[CarriedImport],
    function: str,
    function_name: str,
) -> FileEdit | None:
    """The edit creating the module or adding the function (and its imports) to it."""
    if any(_from_target(item, target) for item in imports) and not target.text:
        return None  # The route imports from a module that has no text yet.
    if target.text is None or not target.text.strip():
        newline = request.newline
        block = import_block(imports, newline, request.lines)
        text = (block + newline * 2 if block else "") + function
        if target.text is None:
            edit = TextEdit(Range.of(0, 0, 0, 0), text)
            return FileEdit(str(target.path), (edit,), create=True)
        lines = LineIndex(target.text)
        whole = Range(Position(0, 0), line_start(lines, len(lines.lines)))
        return FileEdit(str(target.path), (TextEdit(whole, text),))
    deps = FixRequest(
        text=target.text, finding=request.finding, path=target.path, workspace=request.workspace
    )
    try:
        bindings = deps.resolver.module_scope.bindings
    except (SyntaxError, RecursionError, ValueError):
        return None
    if function_name in bindings:
        return None
    missing = _missing_imports(imports, bindings, target)
    if missing is None or _names_of(function) & BUILTIN_NAMES & bindings.keys():
        return None
    extended, missing = _extend_existing(deps, missing)
    block = import_block(missing, deps.newline, request.lines)
    return FileEdit(str(target.path), tuple(_append_edits(deps, extended, block, function)))


def _extend_existing(
    deps: FixRequest, missing: list[CarriedImport]
) -> tuple[list[TextEdit], list[CarriedImport]]:
    """Names added to the module's own `from X import ...` of the same module, and the rest."""
    added: dict[str, list[str]] = {}
    rest = []
    for item in missing:
        if item.module is not None and _import_from(deps, item.module) is not None:
            added.setdefault(item.module, []).append(item.alias)
        else:
            rest.append(item)
    edits = [add_to_import(deps, module, aliases) for module, aliases in added.items()]
    return [edit for edit in edits if edit is not None], rest


def add_to_import(request: FixRequest, module: str, aliases: list[str]) -> TextEdit | None:
    """`aliases` appended to the module's top-level `from <module> import ...`, if it has one."""
    statement = _import_from(request, module)
    if statement is None:
        return None
    end = request.lines.node_range(statement.names[-1]).end
    return TextEdit(Range(end, end), "".join(f", {alias}" for alias in aliases))


def _import_from(request: FixRequest, module: str) -> ast.ImportFrom | None:
    for node in request.tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and "." * node.level + (node.module or "") == module
            and all(alias.name != "*" for alias in node.names)
        ):
            return node
    return None


def _from_target(item: CarriedImport, target: Target) -> bool:
    return item.statement_module in target.spellings


def _names_of(code: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}


def _missing_imports(
    imports: list[CarriedImport], bindings: Mapping[str, list[Binding]], target: Target
) -> list[CarriedImport] | None:
    """The imports the module lacks; None when one of their names means something else there."""
    missing = []
    for item in imports:
        bound = bindings.get(item.local)
        if _from_target(item, target):
            if not bound:
                return None  # It would import from itself something it does not have.
            continue  # The route imported it from there: it is there.
        if not bound:
            missing.append(item)
            continue
        wanted = knowledge.canonical(item.qualname)
        if not all(
            b.kind is BindingKind.IMPORT and knowledge.canonical(b.qualname or "") == wanted
            for b in bound
        ):
            return None
    return missing


def _append_edits(
    deps: FixRequest, extended: list[TextEdit], block: str, function: str
) -> list[TextEdit]:
    """`extended` imports, `block` after the module's leading imports and `function` after its
    last code. Insertions where the tail starts join the tail's edit, so that no client can
    mistake their order."""
    text = deps.text
    newline = deps.newline
    function = _NEWLINES.sub(lambda _: newline, function)
    lines = deps.lines
    content_end = len(text.rstrip())
    tail_start = _position_at(lines, content_end)
    tail = Range(tail_start, line_start(lines, len(lines.lines)))
    before_tail = "".join(e.new_text for e in extended if e.range.start == tail_start)
    edits = [e for e in extended if e.range.start != tail_start]
    if not block:
        return [*edits, TextEdit(tail, before_tail + newline * 3 + function)]
    after_imports = _after_leading_imports(deps)
    if lines.offset(after_imports) >= content_end:
        tail_text = before_tail + newline + block + newline * 2 + function
        return [*edits, TextEdit(tail, tail_text)]
    spacer = newline if after_imports.line == 0 and lines.line_text(0).strip() else ""
    return [
        *edits,
        TextEdit(Range(after_imports, after_imports), block + spacer),
        TextEdit(tail, before_tail + newline * 3 + function),
    ]


def _after_leading_imports(deps: FixRequest) -> Position:
    line = 0
    for index, statement in enumerate(deps.tree.body):
        if (index == 0 and is_docstring(statement)) or isinstance(
            statement, (ast.Import, ast.ImportFrom)
        ):
            line = statement.end_lineno or statement.lineno
            continue
        break
    return line_start(deps.lines, line)


def is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def line_start(lines: LineIndex, line: int) -> Position:
    """Where zero-based `line` starts; past the last line, the end of the text."""
    if line < len(lines.lines) or lines.text.endswith(("\n", "\r")) or not lines.text:
        return Position(min(line, len(lines.lines)) if lines.text else 0, 0)
    last = len(lines.lines) - 1
    return Position(last, len(lines.line_text(last)))


def _position_at(lines: LineIndex, offset: int) -> Position:
    start = 0
    for number, chunk in enumerate(lines.lines):
        if offset <= start + len(chunk.rstrip("\r\n")):
            return Position(number, max(offset - start, 0))
        start += len(chunk)
    return line_start(lines, len(lines.lines))
