"""A new domain: its package with every role module, its tests, and its router registered.

`plan_new_domain` computes everything (files to create, edits to existing modules) without
touching the disk; `write_plan` (the CLI) or a workspace edit (the editor) carries it out.
Nothing that exists is ever overwritten: a plan is refused when any file it creates exists.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_practices.config import ROLE_NAMES, Settings
from fastapi_practices.model import Position, Range, TextEdit
from fastapi_practices.snippets.catalog import BY_LABEL, TESTS
from fastapi_practices.snippets.context import Place, offer_for, place_for_new_domain, with_imports
from fastapi_practices.snippets.imports import ImportTable, Wanted, plan_imports, section_of
from fastapi_practices.snippets.naming import Names, is_domain_name
from fastapi_practices.snippets.project import (
    ProjectSymbols,
    ReadText,
    Symbol,
    project_symbols,
    read_file,
)
from fastapi_practices.snippets.template import expand_defaults
from fastapi_practices.workspace import layout as layouts
from fastapi_practices.workspace.layout import NOT_DOMAINS, ProjectLayout


class ScaffoldError(Exception):
    """The domain cannot be created as asked; the message says why. Nothing was written."""


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str


@dataclass(frozen=True)
class FileChange:
    """Edits to an existing module, against `original` (the text they were computed from)."""

    path: Path
    original: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True)
class DomainPlan:
    name: str
    package: Path
    files: tuple[NewFile, ...]
    changes: tuple[FileChange, ...] = ()
    notes: tuple[str, ...] = ()


# (snippet, tab stop overrides) per role module, in the order their names are needed.
_ROLE_SNIPPETS: tuple[tuple[str, tuple[tuple[str, Mapping[int, str]], ...]], ...] = (
    ("constants", (("fbp-error-code", {}),)),
    ("exceptions", (("fbp-exception", {}), ("fbp-handler", {}))),
    ("schemas", ()),  # written below: two schemas
    ("service", ()),  # written below: an in-memory stand-in
    ("dependencies", (("fbp-dep-valid", {}),)),
    (
        "router",
        (("fbp-router", {}), ("fbp-list", {}), ("fbp-get", {}), ("fbp-post", {})),
    ),
    ("models", (("fbp-table", {}),)),
    ("config", (("fbp-settings", {}),)),
    ("utils", ()),
)

_DOCSTRINGS = {
    "__init__": "The {domain} domain.",
    "constants": "Constants of the {domain} domain: the messages it answers with.",
    "exceptions": "Errors of the {domain} domain, and the handlers that answer them.",
    "schemas": "Request and response schemas of the {domain} domain.",
    "service": (
        "Business logic of the {domain} domain.\n\n"
        "The dictionary below stands in for a database until the domain has a table:\n"
        "the fbp-table and fbp-service-query snippets give the async SQLAlchemy version.\n"
    ),
    "dependencies": "Dependencies of the {domain} domain: validation shared by its routes.",
    "router": "Routes of the {domain} domain.",
    "models": "Database models of the {domain} domain.",
    "config": "Settings of the {domain} domain, read from the environment.",
    "utils": "Helpers of the {domain} domain.",
}


@dataclass
class _Builder:
    root: Path
    name: str
    settings: Settings
    layout: ProjectLayout
    source_root: Path
    read_disk: ReadText
    base_model: tuple[str, str] | None
    names: Names = field(init=False)
    package: Path = field(init=False)
    symbols: ProjectSymbols = field(init=False)
    planned: dict[Path, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.names = Names.for_domain(self.name)
        self.package = self.source_root / self.name
        self.symbols = project_symbols(self.layout, self.read, max_age=0)

    def read(self, path: Path) -> str | None:
        return self.planned[path] if path in self.planned else self.read_disk(path)

    def place(self, role: str) -> Place:
        tests = self.root / "tests" / self.name / "test_router.py" if role == TESTS else None
        return place_for_new_domain(
            self.package, role, self.settings, self.symbols, self.base_model, path=tests
        )

    def module(self, role: str, pieces: list[tuple[str, Mapping[int, str]]]) -> str:
        """A role module: its docstring, the imports of its snippets, then the snippets."""
        place = self.place(role)
        codes: list[str] = []
        wanted: list[Wanted] = []
        for label, values in pieces:
            offer = offer_for(BY_LABEL[label], place, "\n\n".join(codes), self.read)
            codes.append(expand_defaults(offer.body, values))
            wanted.extend(item for item in offer.imports if item not in wanted)
        return self.compose(role, wanted, codes)

    def compose(self, role: str, wanted: list[Wanted], codes: list[str]) -> str:
        """A module: its docstring, its imports in isort's sections, then `codes`."""
        docstring = _DOCSTRINGS.get(role, "").format(domain=self.name)
        head = f'"""{docstring}"""\n' if docstring else ""
        if not codes:
            return head
        statements = import_sections(wanted, self.first_party)
        body = with_imports(statements, "\n\n\n".join(codes))
        if not head:
            return f"{body}\n"
        definition = not statements and body.startswith(("@", "def ", "async def ", "class "))
        return f"{head}{chr(10) * (2 if definition else 1)}{body}\n"

    @functools.cached_property
    def first_party(self) -> frozenset[str]:
        tops = {self.name}
        for directory in (self.root, *self.layout.source_roots):
            try:
                tops.update(
                    path.stem
                    for path in directory.iterdir()
                    if path.suffix == ".py" or (path / "__init__.py").is_file()
                )
            except OSError:
                continue
        return frozenset(tops)


def import_sections(wanted: list[Wanted], first_party: frozenset[str]) -> list[str]:
    """Import statements grouped and ordered the way isort (and ruff's `I` rules) want them:
    standard library, third party, first party, separated by blank lines."""
    sections: list[list[Wanted]] = [[], [], []]
    for item in wanted:
        rank = section_of(item[0], first_party)
        if item not in sections[rank]:
            sections[rank].append(item)
    lines: list[str] = []
    for section in sections:
        if not section:
            continue
        plain = sorted(module for module, name in section if name is None)
        grouped: dict[str, list[str]] = {}
        for module, name in section:
            if name is not None:
                grouped.setdefault(module, []).append(name)
        statements = [f"import {module}" for module in plain]
        statements.extend(
            f"from {module} import {', '.join(sorted(names, key=_name_order))}"
            for module, names in sorted(grouped.items())
        )
        lines.extend([*([""] if lines else []), *statements])
    return lines


def _name_order(name: str) -> tuple[int, str]:
    """Constants, then classes, then everything else (isort's `order-by-type`)."""
    if name.isupper() and len(name) > 1:
        return 0, name
    return (1 if name[:1].isupper() else 2), name.lower()


def plan_new_domain(
    root: Path,
    name: str,
    settings: Settings,
    *,
    source_root: Path | None = None,
    read: ReadText = read_file,
    base_model: tuple[str, str] | None = None,
) -> DomainPlan:
    """Everything `new-domain NAME` would create and change in the project at `root`."""
    root = root.resolve()
    if not is_domain_name(name):
        raise ScaffoldError(
            f"{name!r} is not a valid domain name: use lower_snake_case letters, digits and "
            "underscores, starting with a letter (for example `posts` or `blog_posts`)"
        )
    if name in NOT_DOMAINS or name in ROLE_NAMES or name in ("src", "main", "app"):
        raise ScaffoldError(f"{name!r} cannot name a domain: it has a meaning of its own here")
    layouts.invalidate(root)
    layout = layouts.layout_for(settings, max_age=0) or layouts.ProjectLayout(root, (), {})
    chosen = (source_root or layout.source_root or root / "src").resolve()
    builder = _Builder(root, name, settings, layout, chosen, read, base_model)
    _refuse_existing(builder)
    files = _domain_files(builder)
    files.extend(_test_files(builder))
    changes = _registration_changes(builder)
    return DomainPlan(
        name=name,
        package=builder.package,
        files=tuple(NewFile(path, text) for path, text in files),
        changes=tuple(changes),
        notes=tuple(builder.notes),
    )


def _refuse_existing(builder: _Builder) -> None:
    tests = builder.root / "tests" / builder.name
    clashes = [
        path
        for path in (builder.package, builder.source_root / f"{builder.name}.py", tests)
        if path.exists()
    ]
    if clashes:
        raise already_exists(clashes)


def _domain_files(builder: _Builder) -> list[tuple[Path, str]]:
    package = builder.package
    by_role = {role: file for file, role in layouts.role_files(builder.settings).items()}
    files: list[tuple[Path, str]] = []

    def add(path: Path, text: str) -> None:
        builder.planned[path] = text
        files.append((path, text))

    add(package / "__init__.py", f'"""{_DOCSTRINGS["__init__"].format(domain=builder.name)}"""\n')
    for role, pieces in _ROLE_SNIPPETS:
        path = package / by_role.get(role, f"{role}.py")
        if role == "schemas":
            add(path, _schemas(builder))
        elif role == "service":
            add(path, _service(builder))
        elif role == "models" and _declarative_base(builder) is None:
            add(path, builder.compose(role, [], []))
            builder.notes.append(
                f"{path.name} is empty: the project has no declarative base yet "
                "(the fbp-naming-convention snippet writes one; fbp-table then adds tables)"
            )
        else:
            add(path, builder.module(role, list(pieces)))
    return files


def _declarative_base(builder: _Builder) -> Symbol | None:
    return builder.symbols.declarative_base


def _schemas(builder: _Builder) -> str:
    cls = builder.names.entity_class
    offer = offer_for(BY_LABEL["fbp-schema"], builder.place("schemas"), "", builder.read)
    create = expand_defaults(offer.body, {2: "Create"})
    response = (
        f"class {cls}Response({cls}Create):\n"
        "    model_config = ConfigDict(from_attributes=True)\n\n"
        "    id: int"
    )
    wanted = [*offer.imports, ("pydantic", "ConfigDict")]
    return builder.compose("schemas", wanted, [create, response])


def _service(builder: _Builder) -> str:
    names = builder.names
    entity, entities, cls = names.entity, names.domain, names.entity_class
    store = f"_{entities}"
    codes = [
        f"{store}: dict[int, {cls}Response] = {{}}",
        f"async def list_{entities}() -> list[{cls}Response]:\n    return list({store}.values())",
        f"async def get_{entity}({entity}_id: int) -> {cls}Response | None:\n"
        f"    return {store}.get({entity}_id)",
        f"async def create_{entity}(data: {cls}Create) -> {cls}Response:\n"
        f"    {entity} = {cls}Response(id=len({store}) + 1, **data.model_dump())\n"
        f"    {store}[{entity}.id] = {entity}\n"
        f"    return {entity}",
    ]
    package = builder.place("service").domain_package
    wanted: list[Wanted] = []
    if package is not None:
        wanted = [(f"{package}.schemas", f"{cls}Create"), (f"{package}.schemas", f"{cls}Response")]
    text = builder.compose("service", wanted, codes[1:])
    # The store is a module constant: it goes between the imports and the functions.
    marker = f"\n\n\nasync def list_{entities}"
    return text.replace(marker, f"\n\n{codes[0]}{marker}", 1)


def _test_files(builder: _Builder) -> list[tuple[Path, str]]:
    tests = builder.root / "tests"
    directory = tests / builder.name
    place = builder.place(TESTS)
    files: list[tuple[Path, str]] = []
    if not tests.exists():
        files.append((tests / "__init__.py", ""))
    files.append((directory / "__init__.py", ""))
    names = builder.names
    test = BY_LABEL["fbp-test"]
    offer = offer_for(test, place, "", builder.read)
    cases = [
        {1: f"list_{names.domain}", 2: "get", 3: f"{names.prefix}/", 4: "200"},
        {1: f"get_missing_{names.entity}", 2: "get", 3: f"{names.prefix}/0", 4: "404"},
    ]
    codes = [expand_defaults(offer.body, values) for values in cases]
    files.append((directory / "test_router.py", builder.compose(TESTS, list(offer.imports), codes)))
    fixture = _client_fixture(builder, tests, directory)
    if fixture is not None:
        files.append(fixture)
    return files


def _client_fixture(builder: _Builder, tests: Path, directory: Path) -> tuple[Path, str] | None:
    """The `client` fixture, unless the project's tests/conftest.py already has one."""
    conftest = tests / "conftest.py"
    existing = builder.read(conftest)
    if existing is not None and "def client(" in existing:
        return None
    target = conftest if existing is None else directory / "conftest.py"
    place = builder.place(TESTS)
    if builder.symbols.app is None:
        builder.notes.append(
            "no `app = FastAPI(...)` found: write the `client` fixture with the "
            "fbp-async-client snippet"
        )
        return None
    offer = offer_for(BY_LABEL["fbp-async-client"], place, "", builder.read)
    text = builder.compose(TESTS, list(offer.imports), [offer.plain])
    return target, text


_Addition = tuple[list[Wanted], str]  # (imports, statement)


def _registration_changes(builder: _Builder) -> list[FileChange]:
    package = builder.place("router").domain_package
    registration = builder.symbols.registration
    if registration is None or package is None:
        builder.notes.append(
            "no FastAPI app or include_router call found: include the new router yourself"
        )
        return []
    names = builder.names
    alias = f"{names.domain}_router"
    app = builder.symbols.app
    handler = f"{names.entity}_not_found_handler"
    exception = f"{names.entity_class}NotFound"
    by_file: dict[Path, list[_Addition]] = {}
    by_file.setdefault(registration.path, []).append(
        (
            [(f"{package}.router", f"router as {alias}")],
            f"{registration.target}.include_router({alias})",
        )
    )
    if app is not None:
        by_file.setdefault(app.path, []).append(
            (
                [(f"{package}.exceptions", exception), (f"{package}.exceptions", handler)],
                f"{app.name}.add_exception_handler({exception}, {handler})",
            )
        )
    else:
        builder.notes.append(
            "register the exception handler on your app: "
            f"app.add_exception_handler({exception}, {handler})"
        )
    changes = []
    for path, additions in by_file.items():
        callers = {registration.target} if path == registration.path else set()
        if app is not None and path == app.path:
            callers.add(app.name)
        change = _change(builder, path, additions, callers)
        if change is not None:
            changes.append(change)
    return changes


def _change(
    builder: _Builder, path: Path, additions: list[_Addition], callers: set[str]
) -> FileChange | None:
    text = builder.read(path)
    if text is None:
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError:
        builder.notes.append(f"{path} does not parse: register the new domain there yourself")
        return None
    anchor = _anchor_line(tree, callers)
    if anchor is None:
        builder.notes.append(f"no place found in {path} to register the new domain")
        return None
    lines = text.splitlines()
    end = Position(anchor, len(lines[anchor]) if anchor < len(lines) else 0)
    statements = [statement for _, statement in additions]
    edits = [TextEdit(Range(end, end), "\n" + "\n".join(statements))]
    imports = [item for names, _ in additions for item in names]
    edits.extend(_import_edits(text, imports, builder.first_party))
    return FileChange(path, text, tuple(edits))


def _import_edits(text: str, imports: list[Wanted], first_party: frozenset[str]) -> list[TextEdit]:
    """`from m import a as b` statements become new lines; plain names merge as for snippets.
    New first-party imports after third-party ones start a section of their own."""
    aliased = [(m, n) for m, n in imports if n is not None and " as " in n]
    table = ImportTable.read(text)
    plan = plan_imports(text, [item for item in imports if item not in aliased], table)
    statements = [f"from {m} import {n}" for m, n in aliased if not _imported(table, m, n)]
    if statements:
        plan = dataclasses.replace(plan, statements=(*plan.statements, *statements))
    last = table.last_import_module
    if last is not None and last.split(".")[0] not in first_party and plan.before == "\n":
        plan = dataclasses.replace(plan, before="\n\n")
    return plan.edits()


def _imported(table: ImportTable, module: str, name: str | None) -> bool:
    if name is None:
        return False
    imported, _, alias = name.partition(" as ")
    return table.bound.get(alias or imported) == f"{module}.{imported}"


def _anchor_line(tree: ast.Module, callers: set[str]) -> int | None:
    """The 0-based line after which registrations go: the end of the last module-level
    `include_router`/`add_exception_handler` call on one of `callers`, else the end of the
    statement that creates one of them."""
    last: int | None = None
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in ("include_router", "add_exception_handler")
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id in callers
        ):
            last = (statement.end_lineno or statement.lineno) - 1
    if last is not None:
        return last
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        if any(isinstance(t, ast.Name) and t.id in callers for t in targets):
            last = (statement.end_lineno or statement.lineno) - 1
    return last


def write_plan(plan: DomainPlan, read: ReadText = read_file) -> list[Path]:
    """Carry a plan out on disk: new files first (never over an existing one), then the edits.

    Raises ScaffoldError, having written nothing, when a file to create exists or a module to
    edit changed since the plan was made."""
    for change in plan.changes:
        if read(change.path) != change.original:
            raise ScaffoldError(f"{change.path} changed since the plan was made; try again")
    written = write_new_files(plan)
    for change in plan.changes:
        change.path.write_text(apply_edits(change.original, change.edits), encoding="utf-8")
        written.append(change.path)
    layouts.invalidate()
    return written


def write_new_files(plan: DomainPlan) -> list[Path]:
    """Create the plan's files; raises ScaffoldError, having written nothing, if one exists."""
    existing = [new.path for new in plan.files if new.path.exists()]
    if existing:
        raise already_exists(existing)
    written: list[Path] = []
    for new in plan.files:
        new.path.parent.mkdir(parents=True, exist_ok=True)
        with new.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(new.text)
        written.append(new.path)
    return written


def already_exists(paths: list[Path]) -> ScaffoldError:
    verb = "exists" if len(paths) == 1 else "exist"
    listed = ", ".join(str(path) for path in paths)
    return ScaffoldError(f"{listed} already {verb}; nothing was created")


def apply_edits(text: str, edits: tuple[TextEdit, ...] | list[TextEdit]) -> str:
    """`text` with non-overlapping engine edits applied."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: Position) -> int:
        line = min(position.line, len(starts) - 1)
        return starts[line] + position.column

    ordered = sorted(edits, key=lambda edit: offset(edit.range.start), reverse=True)
    for edit in ordered:
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text
