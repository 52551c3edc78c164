"""The catalog of rules. Families register their rules by importing `register`."""

from __future__ import annotations

import importlib
import re

from fastapi_practices.rules.base import Rule

_RULES: dict[str, Rule] = {}
_FAMILIES = (
    "structure",
    "async_",
    "pydantic",
    "dependencies",
    "errors",
    "database",
    "api_design",
    "testing",
    "tooling",
)
_CODE = re.compile(r"^FBP\d{3}$")
_loaded = False


def register(cls: type[Rule]) -> type[Rule]:
    if not _CODE.match(cls.code):
        raise ValueError(f"malformed rule code {cls.code!r}")
    if cls.code in _RULES:
        raise ValueError(f"duplicate rule code {cls.code}")
    _RULES[cls.code] = cls()
    return cls


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from fastapi_practices.rules import syntax  # noqa: F401

    for family in _FAMILIES:
        importlib.import_module(f"fastapi_practices.rules.{family}")


def all_rules() -> list[Rule]:
    _load()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Rule | None:
    _load()
    return _RULES.get(code.upper())


def all_codes() -> frozenset[str]:
    _load()
    return frozenset(_RULES)


def codes_matching(selector: str) -> frozenset[str]:
    """Codes selected by a code or a prefix (`FBP`, `FBP2`, `FBP20`, `ALL`).

    Anything shorter than `FBP` (an empty string, `F`) selects nothing, so it is reported as
    unknown instead of silently meaning every rule."""
    _load()
    selector = selector.strip().upper()
    if selector == "ALL":
        return frozenset(_RULES)
    if not selector.startswith("FBP"):
        return frozenset()
    return frozenset(code for code in _RULES if code.startswith(selector))
