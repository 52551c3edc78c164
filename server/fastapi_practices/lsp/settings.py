"""Editor settings: `initializationOptions` and the `fastapiPractices` configuration section."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi_practices.config import ConfigError, Settings

SECTION = "fastapiPractices"
SOURCE = "editor setting fastapiPractices"
DEFAULT_DEBOUNCE_MS = 150
MAX_DEBOUNCE_MS = 10_000
LOG_LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}
# Keys the editor extension itself reads (how to start the server); the server ignores them.
CLIENT_ONLY_KEYS = frozenset(
    {"trace", "interpreter", "importStrategy", "args", "path", "serverArgs", "showNotifications"}
)
_WRAPPERS = (SECTION, "fastapi-practices", "fastapi_practices", "settings")


@dataclass(frozen=True)
class EditorSettings:
    enable: bool = True
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    fix_all: bool = True
    log_level: int = logging.INFO
    engine_overrides: Mapping[str, Any] = field(default_factory=dict)

    def engine_settings(self, project_settings: Settings) -> Settings:
        """Project settings with the editor's overrides on top (already validated)."""
        try:
            return project_settings.with_overrides(self.engine_overrides, source=SOURCE)
        except ConfigError:
            return project_settings


@dataclass(frozen=True)
class ParsedSettings:
    settings: EditorSettings
    problems: tuple[str, ...]


def unwrap(raw: object) -> object:
    """Find our settings inside `{"fastapiPractices": ...}` or `{"settings": ...}` wrappers."""
    for _ in range(3):
        if not isinstance(raw, Mapping):
            return raw
        inner = next((raw[key] for key in _WRAPPERS if isinstance(raw.get(key), Mapping)), None)
        if inner is None:
            return raw
        raw = inner
    return raw


def merge(*sources: object) -> dict[str, Any]:
    """Later sources win key by key.

    Editors send `null` or empty defaults for settings the user never set, so those count as
    absent: an empty list must not wipe the project's own `ignore` or `per-file-ignores`.
    """
    merged: dict[str, Any] = {}
    for source in sources:
        unwrapped = unwrap(source)
        if isinstance(unwrapped, Mapping):
            merged.update({str(k): v for k, v in unwrapped.items() if not _unset(v)})
    return merged


def _unset(value: object) -> bool:
    return value is None or value == [] or value == {}


def _normalise(key: str) -> str:
    return key.replace("-", "").replace("_", "").lower()


def parse(raw: Mapping[str, Any]) -> ParsedSettings:
    """Validate editor settings. A bad key is reported and falls back to its default."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    overrides: dict[str, Any] = {}
    for key, value in raw.items():
        normal = _normalise(key)
        where = f"{SOURCE}: key {key!r}"
        if key in CLIENT_ONLY_KEYS or _unset(value):
            continue
        if normal in ("enable", "fixall"):
            if isinstance(value, bool):
                values["enable" if normal == "enable" else "fix_all"] = value
            else:
                problems.append(f"{where}: expected true or false, got {value!r}")
        elif normal == "debouncems":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                values["debounce_ms"] = min(value, MAX_DEBOUNCE_MS)
            else:
                problems.append(f"{where}: expected a number of milliseconds, got {value!r}")
        elif normal == "loglevel":
            level = LOG_LEVELS.get(str(value).lower())
            if level is None:
                problems.append(f"{where}: expected one of {', '.join(LOG_LEVELS)}, got {value!r}")
            else:
                values["log_level"] = level
        else:
            try:
                Settings().with_overrides({key: value}, source=SOURCE)
            except ConfigError as error:
                problems.append(str(error))
            else:
                overrides[key] = value
    return ParsedSettings(EditorSettings(**values, engine_overrides=overrides), tuple(problems))
