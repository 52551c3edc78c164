"""Which snippets a module gets, in which order, with which names and imports.

`place_for` reads where a module sits (its domain and role); `offers` turns the catalog into
ready snippets for it. Nothing here knows about the LSP.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_practices.config import Settings
from fastapi_practices.rules.testing.paths import is_test_file
from fastapi_practices.snippets.catalog import (
    APP,
    SNIPPETS,
    TESTS,
    Library,
    ProjectSymbol,
    Requirement,
    Sibling,
    Snippet,
)
from fastapi_practices.snippets.imports import Wanted
from fastapi_practices.snippets.naming import Names, is_domain_name
from fastapi_practices.snippets.project import (
    ProjectSymbols,
    ReadText,
    module_name,
    package_name,
    project_symbols,
    read_file,
)
from fastapi_practices.snippets.template import expand_defaults
from fastapi_practices.workspace.layout import layout_for, role_files

_KEY = re.compile(r"«(\w+)»")

_ORDER = {snippet.label: index for index, snippet in enumerate(SNIPPETS)}
# Sort tiers: the module's own snippets, other snippets in a role module, anywhere else.
OWN, OTHER, ELSEWHERE = 0, 1, 2


@dataclass(frozen=True)
class Place:
    """Where snippets are expanded: a module, its domain and role, and project facts."""

    path: Path | None
    role: str | None
    names: Names
    domain_dir: Path | None = None
    domain_package: str | None = None
    module: str | None = None
    files_by_role: Mapping[str, str] = field(default_factory=dict)
    symbols: ProjectSymbols | None = None
    base_model: tuple[str, str] | None = None  # (module, class) of the project's own base
    pytest_auto: bool = False

    @property
    def first_party(self) -> frozenset[str]:
        """Top-level names of the project's own modules that this place knows of."""
        modules = [self.domain_package, self.module]
        if self.symbols is not None and self.symbols.app is not None:
            modules.append(self.symbols.app.module)
        return frozenset(module.split(".")[0] for module in modules if module)


@dataclass(frozen=True)
class Offer:
    """One snippet made ready for one place."""

    snippet: Snippet
    tier: int
    detail: str
    body: str  # snippet syntax
    plain: str  # every stop at its default
    imports: tuple[Wanted, ...]
    documentation: str

    @property
    def label(self) -> str:
        return self.snippet.label

    @property
    def sort_text(self) -> str:
        return f"{self.tier}{_ORDER[self.snippet.label]:02d}"


def place_for(
    path: Path | None,
    text: str,
    settings: Settings,
    read: ReadText = read_file,
    base_model: tuple[str, str] | None = None,
    symbols: ProjectSymbols | None = None,
    find_symbols: bool = True,
) -> Place:
    """The place of the module at `path` (None: an unsaved buffer, which gets generic names).

    `symbols`: the project's app and declarative base when the caller knows them; otherwise
    they are looked up now when `find_symbols` is true."""
    layout = layout_for(settings) if settings.root is not None else None
    if path is None or layout is None:
        return Place(path, _app_role(text), Names.for_domain(None))
    domain, role = layout.role_of(path)
    if is_test_file(path, settings.root):
        role = TESTS
        domain = _tested_domain(path, settings.root)
    elif domain is None:
        role = _app_role(text)
    by_role = {role_name: file for file, role_name in layout.roles.items()}
    domain_dir = layout.domains.get(domain) if domain is not None else None
    configured = _configured_base(settings)
    return Place(
        path=path,
        role=role,
        names=Names.for_domain(domain),
        domain_dir=domain_dir,
        domain_package=package_name(domain_dir) if domain_dir is not None else None,
        module=module_name(path),
        files_by_role=by_role,
        symbols=symbols or (project_symbols(layout, read) if find_symbols else None),
        base_model=configured or base_model,
        pytest_auto=settings.pytest_asyncio_auto,
    )


def place_for_new_domain(
    domain_dir: Path,
    role: str,
    settings: Settings,
    symbols: ProjectSymbols,
    base_model: tuple[str, str] | None,
    path: Path | None = None,
) -> Place:
    """The place of a module (a role module unless `path` says otherwise) of a domain that
    does not exist yet."""
    by_role = {role_name: file for file, role_name in role_files(settings).items()}
    package = package_name(domain_dir)
    file_name = by_role.get(role, f"{role}.py")
    return Place(
        path=path or domain_dir / file_name,
        role=role,
        names=Names.for_domain(domain_dir.name),
        domain_dir=domain_dir,
        domain_package=package,
        module=f"{package}.{file_name[:-3]}" if package and path is None else None,
        files_by_role=by_role,
        symbols=symbols,
        base_model=_configured_base(settings) or base_model,
        pytest_auto=settings.pytest_asyncio_auto,
    )


def _app_role(text: str) -> str | None:
    return APP if "FastAPI" in text else None


def _tested_domain(path: Path, root: Path | None) -> str | None:
    """`posts` for tests/posts/test_router.py."""
    try:
        parts = path.relative_to(root).parts if root is not None else path.parts
    except ValueError:
        parts = path.parts
    if "tests" not in parts[:-1]:
        return None
    after = parts[parts.index("tests") + 1 : -1]
    return after[0] if after and is_domain_name(after[0]) else None


def _configured_base(settings: Settings) -> tuple[str, str] | None:
    dotted = (settings.base_model or "").strip().replace(":", ".")
    module, _, name = dotted.rpartition(".")
    if module and name.isidentifier():
        return module, name
    return None


class _Resolver:
    """Turns requirements into imports and the substitutions they imply, for one place."""

    def __init__(self, place: Place, text: str, read: ReadText) -> None:
        self.place = place
        self.text = text
        self.read = read
        self._texts: dict[str, str | None] = {}
        self._imports: dict[Requirement, list[Wanted]] = {}

    def substitutions(self) -> dict[str, str]:
        place = self.place
        values = place.names.substitutions()
        values["BaseModel"] = place.base_model[1] if place.base_model else "BaseModel"
        symbols = place.symbols
        base = symbols.declarative_base if symbols is not None else None
        values["Base"] = base.name if base is not None else "Base"
        app = symbols.app if symbols is not None else None
        values["app"] = app.name if app is not None else "app"
        values["fixture"] = "pytest.fixture" if place.pytest_auto else "pytest_asyncio.fixture"
        return values

    def imports(self, requirement: Requirement, values: Mapping[str, str]) -> list[Wanted]:
        found = self._imports.get(requirement)
        if found is None:
            found = self._imports[requirement] = self._resolve(requirement, values)
        return found

    def _resolve(self, requirement: Requirement, values: Mapping[str, str]) -> list[Wanted]:
        if isinstance(requirement, Library):
            return [(requirement.module, requirement.name)]
        if isinstance(requirement, Sibling):
            return self._sibling(requirement, values)
        return self._project_symbol(requirement)

    def _sibling(self, requirement: Sibling, values: Mapping[str, str]) -> list[Wanted]:
        place = self.place
        file_name = place.files_by_role.get(requirement.role)
        if place.domain_dir is None or place.domain_package is None or file_name is None:
            return []
        path = place.domain_dir / file_name
        if path == place.path:
            return []
        stem = file_name[:-3]
        text = self._text(path)
        if text is None:
            return []
        if requirement.name is None:
            return [(place.domain_package, stem)]
        name = substitute(requirement.name, values)
        if self._defines(text, name) and not self._defines(self.text, name):
            return [(f"{place.domain_package}.{stem}", name)]
        return []

    def _project_symbol(self, requirement: ProjectSymbol) -> list[Wanted]:
        place = self.place
        symbols = place.symbols
        if requirement.kind == "fixture":
            return [("pytest" if place.pytest_auto else "pytest_asyncio", None)]
        if requirement.kind == "base-model":
            if place.base_model is None:
                return [("pydantic", "BaseModel")]
            module, name = place.base_model
            return [] if module == place.module else [(module, name)]
        symbol = None
        if symbols is not None:
            symbol = symbols.app if requirement.kind == "app" else symbols.declarative_base
        if symbol is None or symbol.module == place.module or symbol.path == place.path:
            return []
        return [(symbol.module, symbol.name)]

    def _text(self, path: Path) -> str | None:
        key = str(path)
        if key not in self._texts:
            self._texts[key] = self.read(path)
        return self._texts[key]

    def _defines(self, text: str, name: str) -> bool:
        pattern = rf"^(?:async[ \t]+def|def|class)[ \t]+{name}\b|^{name}[ \t]*(?::[^=\n]*)?=(?!=)"
        return re.search(pattern, text, re.MULTILINE) is not None


def substitute(template: str, values: Mapping[str, str]) -> str:
    return _KEY.sub(lambda match: values[match.group(1)], template)


def offers(place: Place, text: str, read: ReadText = read_file) -> list[Offer]:
    """Every snippet not already present in `text`, ready for `place`, best first."""
    resolver = _Resolver(place, text, read)
    values = resolver.substitutions()
    lowered = text.lower()
    result = []
    for snippet in SNIPPETS:
        if snippet.unique is not None and _holds(text, lowered, substitute(snippet.unique, values)):
            continue
        result.append(make_offer(snippet, place, resolver, values))
    result.sort(key=lambda offer: offer.sort_text)
    return result


def _holds(text: str, lowered: str, pattern: str) -> bool:
    """`pattern` matches in `text`; its longest literal word is looked for first, since it is
    usually absent and a substring test costs far less than a regex scan of the module."""
    if _literal(pattern) not in lowered:
        return False
    return re.search(pattern, text, re.MULTILINE) is not None


@functools.lru_cache(maxsize=256)
def _literal(pattern: str) -> str:
    words = re.findall(r"[A-Za-z_]\w+", re.sub(r"\\.", " ", pattern))
    return max(words, key=len).lower() if words else ""


def offer_for(snippet: Snippet, place: Place, text: str, read: ReadText = read_file) -> Offer:
    """One snippet for `place`, whether or not `text` already holds its construct."""
    resolver = _Resolver(place, text, read)
    return make_offer(snippet, place, resolver, resolver.substitutions())


@functools.lru_cache(maxsize=512)
def _rendered(snippet: Snippet, values: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """(snippet syntax, plain text) of a snippet for one set of names; the same names come back
    on every keystroke in a module, so this is computed once per module."""
    body = substitute(snippet.body, dict(values))
    return body, expand_defaults(body)


def make_offer(
    snippet: Snippet, place: Place, resolver: _Resolver, values: Mapping[str, str]
) -> Offer:
    body, plain = _rendered(snippet, tuple(sorted(values.items())))
    wanted: list[Wanted] = []
    for requirement in snippet.requires:
        for item in resolver.imports(requirement, values):
            if item not in wanted:
                wanted.append(item)
    tier = ELSEWHERE if place.role is None else OWN if snippet.role == place.role else OTHER
    return Offer(
        snippet=snippet,
        tier=tier,
        detail=substitute(snippet.detail, values),
        body=body,
        plain=plain,
        imports=tuple(wanted),
        documentation=_documentation(snippet, plain, wanted, values),
    )


def with_imports(statements: list[str] | tuple[str, ...], code: str) -> str:
    """Import statements, then `code` after the blank lines PEP 8 asks for."""
    if not statements:
        return code
    definition = code.lstrip().startswith(("@", "def ", "async def ", "class "))
    return "\n".join(statements) + ("\n\n\n" if definition else "\n\n") + code


def import_lines(wanted: list[Wanted] | tuple[Wanted, ...]) -> list[str]:
    grouped: dict[str, list[str]] = {}
    plain: list[str] = []
    for module, name in wanted:
        if name is None:
            plain.append(f"import {module}")
        else:
            grouped.setdefault(module, []).append(name)
    return sorted(plain) + [f"from {m} import {', '.join(names)}" for m, names in grouped.items()]


def _documentation(
    snippet: Snippet, plain: str, wanted: list[Wanted], values: Mapping[str, str]
) -> str:
    code = with_imports(import_lines(wanted), plain)
    practice = substitute(snippet.practice, values)
    return f"{practice}\n\n```python\n{code}\n```"
