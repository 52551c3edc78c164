"""`--select`, `--extend-select` and `--ignore`: a command-line layer above pyproject.toml."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi_practices.config import ConfigError, Settings
from fastapi_practices.rules import registry

COMMAND_LINE = "command line"


def split_codes(values: Iterable[str] | None) -> tuple[str, ...]:
    """`["FBP2,FBP301", "FBP4"]` → `("FBP2", "FBP301", "FBP4")`, upper-cased."""
    codes: list[str] = []
    for value in values or ():
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(codes)


@dataclass(frozen=True)
class RuleSelection:
    """Rule choices given on the command line.

    Like ruff, the command line is a later layer: `--select` starts afresh, `--extend-select`
    adds to what pyproject.toml enables (even codes it ignores), and `--ignore` removes last.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def validate(self) -> None:
        """Raise ConfigError naming the option and the first unknown code."""
        for option, selectors in (
            ("--select", self.select or ()),
            ("--extend-select", self.extend_select),
            ("--ignore", self.ignore),
        ):
            for selector in selectors:
                if not registry.codes_matching(selector):
                    raise ConfigError(f"{option}: unknown rule code or prefix {selector!r}")

    @property
    def is_empty(self) -> bool:
        return self.select is None and not self.extend_select and not self.ignore

    def apply(self, settings: Settings) -> Settings:
        """The project's settings with this layer on top."""
        if self.is_empty:
            return settings
        if self.select is not None:
            codes = _matching((*self.select, *self.extend_select))
        else:
            codes = settings.enabled_codes | _matching(self.extend_select)
        codes -= _matching(self.ignore)
        overrides = {"select": sorted(codes), "extend-select": [], "ignore": []}
        return settings.with_overrides(overrides, COMMAND_LINE)


def _matching(selectors: Iterable[str]) -> frozenset[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes |= registry.codes_matching(selector)
    return frozenset(codes)
