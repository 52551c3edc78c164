"""Which names an import binds, and whether they can safely be qualified (FBP106's fix)."""

from __future__ import annotations

import ast
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class _ModuleNames:
    """One walk's worth of what FBP106's fix asks about a module, shared by all its findings."""

    bound: Counter[str] = field(default_factory=Counter)
    """How many times each name is bound or declared anywhere."""
    by_import: dict[int, Counter[str]] = field(default_factory=dict)
    """Per import statement (by id), the names it binds."""
    uses: dict[str, list[ast.Name]] = field(default_factory=dict)
    strings: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=8)
def _module_names(tree: ast.Module) -> _ModuleNames:
    found = _ModuleNames()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.uses.setdefault(node.id, []).append(node)
            if not isinstance(node.ctx, ast.Load):
                found.bound[node.id] += 1
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.strings.append(node.value)
        else:
            names = list(_declared(node))
            found.bound.update(names)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.by_import[id(node)] = Counter(names)
    return found


def _declared(node: ast.AST) -> Iterator[str]:
    """Names `node` binds or declares (other than plain assignment targets)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            yield alias.asname or alias.name.partition(".")[0]
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name


def qualifiable_uses(
    tree: ast.Module, statement: ast.ImportFrom, alias: str
) -> dict[str, list[ast.Name]] | None:
    """The uses of each local name `statement` binds, when all can become `alias.<name>`.

    None when a name is rebound or shadowed anywhere, appears in a string, or `alias` is
    already taken: qualifying would then change what the code means.
    """
    module = _module_names(tree)
    local_names = {a.asname or a.name for a in statement.names}
    own = module.by_import.get(id(statement), Counter())
    others = module.bound - own
    if any(others[name] for name in local_names) or others[alias] or alias in local_names:
        return None
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in local_names) + r")\b")
    if any(pattern.search(text) for text in module.strings):
        return None
    if alias in module.uses:
        return None
    return {name: list(module.uses.get(name, [])) for name in local_names}
