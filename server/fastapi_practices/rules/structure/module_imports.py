"""Which names an import binds, and whether they can safely be qualified (FBP106's fix)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator


def _bound_names(tree: ast.Module, skip: ast.AST | None) -> Iterator[str]:
    """Every name the module binds or declares, except through the node `skip`."""
    for node in ast.walk(tree):
        if node is skip:
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
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


def _named_in_strings(tree: ast.Module, names: set[str]) -> bool:
    """A string mentions one of `names` (a string annotation or `__all__` would go stale)."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and pattern.search(node.value)
        for node in ast.walk(tree)
    )


def qualifiable_uses(
    tree: ast.Module, statement: ast.ImportFrom, alias: str
) -> dict[str, list[ast.Name]] | None:
    """The uses of each local name `statement` binds, when all can become `alias.<name>`.

    None when a name is rebound or shadowed anywhere, appears in a string, or `alias` is
    already taken: qualifying would then change what the code means.
    """
    local_names = {a.asname or a.name for a in statement.names}
    others = set(_bound_names(tree, statement))
    if local_names & others or alias in others or alias in local_names:
        return None
    if _named_in_strings(tree, local_names):
        return None
    uses: dict[str, list[ast.Name]] = {name: [] for name in local_names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id == alias:
                return None
            if node.id in uses:
                uses[node.id].append(node)
    return uses
