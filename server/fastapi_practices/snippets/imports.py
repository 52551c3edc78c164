"""Imports a snippet needs: which are missing, merged into the module's own import statements.

Top-level import statements are read line by line, so a module that does not parse (the user
is typing) still gets correct edits. A name already imported is never imported again; a name
bound to something else is left alone rather than shadowed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from fastapi_practices.model import Position, Range, TextEdit

Wanted = tuple[str, str | None]  # (module, name); name None: `import module`

_FROM = re.compile(r"from[ \t]+([\w.]+)[ \t]+import[ \t]+")
_IMPORT = re.compile(r"import[ \t]+")
_DEFINITION = re.compile(
    r"^(?:async[ \t]+def|def|class)[ \t]+(\w+)|^(\w+)[ \t]*(?::[^=\n]*)?=(?!=)", re.MULTILINE
)
_ALIAS = re.compile(r"^([\w.]+)(?:[ \t]+as[ \t]+(\w+))?$")
_DOCSTRING = re.compile(
    r"""\A(?:[ \t]*(?:\#[^\n]*)?\n)*[ \t]*[rRuU]?"""
    r"""(?:\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''(?:[^\\]|\\.)*?'''"""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')[ \t]*(?:\#[^\n]*)?$""",
    re.DOTALL | re.MULTILINE,
)


@dataclass
class FromImport:
    module: str
    names: list[tuple[str, str]]  # (imported name, local name)
    start_line: int
    end_line: int
    parenthesized: bool
    mergeable: bool
    close: Position | None = None  # the `)` of a parenthesized statement
    names_end: Position | None = None  # after the last name of an unparenthesized statement
    last_name_line: int | None = None


@dataclass
class ImportTable:
    """The module-level imports and definitions of one text."""

    lines: list[str]
    statements: list[FromImport] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # local name -> `import`ed module
    bound: dict[str, str | None] = field(default_factory=dict)  # local -> "module.name" or None
    last_import_line: int | None = None
    last_import_module: str | None = None

    @classmethod
    def read(cls, text: str) -> ImportTable:
        table = cls(text.splitlines())
        table._scan()
        for match in _DEFINITION.finditer(text):
            name = match.group(1) or match.group(2)
            table.bound.setdefault(name, None)
        return table

    def _scan(self) -> None:
        lines = self.lines
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.startswith("from"):
                index = self._from_statement(index)
                continue
            if line.startswith("import"):
                self._import_statement(index, line)
            index += 1

    def _from_statement(self, index: int) -> int:
        line = self.lines[index]
        match = _FROM.match(line)
        if match is None or match.group(1).startswith("."):
            return index + 1
        module = match.group(1)
        rest = line[match.end() :]
        if rest.startswith("("):
            return self._parenthesized(index, module, match.end())
        code = _code(rest)
        names = _names(code.rstrip("\\"))
        mergeable = not code.endswith("\\") and bool(names) and code.strip() != "*"
        end = Position(index, match.end() + len(code.rstrip()))
        self._add(FromImport(module, names, index, index, False, mergeable, names_end=end))
        return index + 1

    def _parenthesized(self, index: int, module: str, open_column: int) -> int:
        lines = self.lines
        chunks: list[str] = []
        line_number = index
        column = open_column + 1
        last_name_line = None
        while line_number < len(lines):
            code = _code(lines[line_number][column:])
            closing = code.find(")")
            piece = code if closing < 0 else code[:closing]
            if piece.strip():
                last_name_line = line_number
            chunks.append(piece)
            if closing >= 0:
                close = Position(line_number, column + closing)
                statement = FromImport(
                    module,
                    _names(",".join(chunks)),
                    index,
                    line_number,
                    True,
                    True,
                    close=close,
                    last_name_line=last_name_line,
                )
                self._add(statement)
                return line_number + 1
            line_number += 1
            column = 0
        return line_number  # never closed: the user is typing it; leave it alone

    def _import_statement(self, index: int, line: str) -> None:
        match = _IMPORT.match(line)
        if match is None:
            return
        for part in _code(line[match.end() :]).split(","):
            alias = _ALIAS.match(part.strip())
            if alias is None:
                continue
            module, local = alias.group(1), alias.group(2)
            if local is None:
                local = module.split(".")[0]
                self.modules.setdefault(local, local)
                self.modules.setdefault(module, module)
            else:
                self.modules.setdefault(local, module)
            self.bound.setdefault(local, module if alias.group(2) else local)
            self.last_import_module = module
        self.last_import_line = index

    def _add(self, statement: FromImport) -> None:
        self.statements.append(statement)
        for name, local in statement.names:
            self.bound.setdefault(local, f"{statement.module}.{name}")
        self.last_import_line = statement.end_line
        self.last_import_module = statement.module

    def has(self, wanted: Wanted) -> bool:
        module, name = wanted
        if name is None:
            return self.modules.get(module) == module
        return self.bound.get(name) == f"{module}.{name}"

    def conflicts(self, wanted: Wanted) -> bool:
        """The local name is already bound to something else."""
        module, name = wanted
        local = name if name is not None else module.split(".")[0]
        return local in self.bound and not self.has(wanted)


def _code(text: str) -> str:
    """`text` without a trailing comment (import statements hold no strings)."""
    hash_at = text.find("#")
    return text if hash_at < 0 else text[:hash_at]


def _names(code: str) -> list[tuple[str, str]]:
    names = []
    for part in code.split(","):
        alias = _ALIAS.match(part.strip())
        if alias is not None and "." not in alias.group(1):
            names.append((alias.group(1), alias.group(2) or alias.group(1)))
    return names


@dataclass(frozen=True)
class ImportPlan:
    """Edits merging names into existing statements, plus statements to add at `insert_at`."""

    merges: tuple[TextEdit, ...]
    statements: tuple[str, ...]
    insert_at: Position
    before: str  # what goes between `insert_at` and the new statements
    after: str

    def statement_edit(self, newline: str = "\n") -> TextEdit | None:
        if not self.statements:
            return None
        block = newline.join(self.statements)
        text = f"{self.before}{block}{self.after}".replace("\n", newline)
        return TextEdit(Range(self.insert_at, self.insert_at), text)

    def edits(self, newline: str = "\n") -> list[TextEdit]:
        """Every edit; a merge and the new statements at the same place become one insertion
        (the names first), so no client has to order two inserts at one position."""
        added = self.statement_edit(newline)
        if added is None:
            return list(self.merges)
        edits = [merge for merge in self.merges if merge.range != added.range]
        joined = "".join(merge.new_text for merge in self.merges if merge.range == added.range)
        return [*edits, TextEdit(added.range, joined + added.new_text)]


def missing_imports(table: ImportTable, wanted: Iterable[Wanted]) -> list[Wanted]:
    result: list[Wanted] = []
    for item in wanted:
        if item in result or table.has(item) or table.conflicts(item):
            continue
        result.append(item)
    return result


def section_of(module: str, first_party: Collection[str] = ()) -> int:
    """isort's section of a module: 0 standard library, 1 third party, 2 first party."""
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return 0
    return 2 if top in first_party else 1


def plan_imports(
    text: str,
    wanted: Sequence[Wanted],
    table: ImportTable | None = None,
    first_party: Collection[str] = (),
) -> ImportPlan:
    """How to add the missing `wanted` imports to `text` (new statements in isort's order)."""
    table = table if table is not None else ImportTable.read(text)
    missing = missing_imports(table, wanted)
    merges: list[TextEdit] = []
    new_from: dict[str, list[str]] = {}
    new_plain: list[str] = []
    for module, name in missing:
        if name is None:
            new_plain.append(module)
            continue
        new_from.setdefault(module, []).append(name)
    for module in list(new_from):
        statement = _merge_target(table, module)
        if statement is not None:
            merges.append(_merge(table, statement, new_from.pop(module)))
    ordered = sorted(
        [(module, None) for module in new_plain]
        + [(module, names) for module, names in new_from.items()],
        key=lambda item: (section_of(item[0], first_party), item[1] is not None, item[0]),
    )
    statements = [
        f"import {module}" if names is None else f"from {module} import {', '.join(names)}"
        for module, names in ordered
    ]
    insert_at, before, after = _insertion_point(text, table)
    return ImportPlan(tuple(merges), tuple(statements), insert_at, before, after)


def _merge_target(table: ImportTable, module: str) -> FromImport | None:
    candidates = [s for s in table.statements if s.module == module and s.mergeable]
    parenthesized = [s for s in candidates if s.parenthesized]
    chosen = parenthesized or candidates
    return chosen[0] if chosen else None


def _merge(table: ImportTable, statement: FromImport, names: list[str]) -> TextEdit:
    if statement.parenthesized and statement.close is not None:
        close = statement.close
        before_close = table.lines[close.line][: close.column]
        if not before_close.strip() and statement.last_name_line is not None:
            # One name per line: add lines before the `)`, after a comma on the last name.
            last = statement.last_name_line
            last_code = _code(table.lines[last]).rstrip()
            indentation = re.match(r"[ \t]*", table.lines[last])
            indent = indentation.group() if indentation and indentation.group() else "    "
            comma = "" if last_code.endswith((",", "(")) else ","
            added = "".join(f"\n{indent}{name}," for name in names)
            end = Position(last, len(last_code))
            return TextEdit(Range(end, end), comma + added)
        stripped = before_close.rstrip()
        end = Position(close.line, len(stripped))
        separator = " " if stripped.endswith((",", "(")) else ", "
        if stripped.endswith("("):
            separator = ""
        return TextEdit(Range(end, end), separator + ", ".join(names))
    assert statement.names_end is not None
    end = statement.names_end
    return TextEdit(Range(end, end), ", " + ", ".join(names))


def _insertion_point(text: str, table: ImportTable) -> tuple[Position, str, str]:
    """Where new statements go: after the last import, else after the docstring, else first."""
    if table.last_import_line is not None:
        line = table.last_import_line
        return Position(line, len(table.lines[line])), "\n", ""
    docstring = _DOCSTRING.match(text)
    if docstring is not None:
        line = text.count("\n", 0, docstring.end())
        column = len(table.lines[line]) if line < len(table.lines) else 0
        return Position(line, column), "\n\n", ""
    return Position(0, 0), "", "\n\n" if text.strip() else "\n"
