"""Configuration: `[tool.fastapi-practices]` in the nearest pyproject.toml, and overrides."""

from __future__ import annotations

import configparser
import itertools
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pathspec

from fastapi_practices.model import Severity
from fastapi_practices.rules import registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TOOL_KEY = "fastapi-practices"
ROLE_NAMES = (
    "router",
    "schemas",
    "models",
    "service",
    "dependencies",
    "constants",
    "config",
    "exceptions",
    "utils",
)
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".fastapi_practices_cache",
    "build",
    "dist",
    "site-packages",
)


class ConfigError(Exception):
    """A configuration problem, with a message naming the file, key or code."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    src: tuple[str, ...] = ()
    base_model: str | None = None
    role_modules: Mapping[str, str] = field(default_factory=dict)
    root: Path | None = None
    # Derived from the project's pytest configuration, never set by the user.
    pytest_asyncio_auto: bool = False

    @cached_property
    def enabled_codes(self) -> frozenset[str]:
        codes: set[str] = set()
        for selector in (*self.select, *self.extend_select):
            codes |= registry.codes_matching(selector)
        for selector in self.ignore:
            codes -= registry.codes_matching(selector)
        return frozenset(codes)

    @cached_property
    def _per_file_specs(self) -> tuple[tuple[pathspec.GitIgnoreSpec, frozenset[str]], ...]:
        specs = []
        for pattern, selectors in self.per_file_ignores:
            codes: set[str] = set()
            for selector in selectors:
                codes |= registry.codes_matching(selector)
            specs.append((pathspec.GitIgnoreSpec.from_lines([pattern]), frozenset(codes)))
        return tuple(specs)

    def codes_for(self, path: Path | None) -> frozenset[str]:
        """The codes enabled for one file, after per-file-ignores."""
        codes = self.enabled_codes
        if path is None or not self.per_file_ignores:
            return codes
        relative = self.relative(path)
        for spec, ignored in self._per_file_specs:
            if spec.match_file(relative) or spec.match_file(path.name):
                codes = codes - ignored
        return codes

    def relative(self, path: Path) -> str:
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    @cached_property
    def exclude_spec(self) -> pathspec.GitIgnoreSpec:
        patterns = [*(self.exclude or DEFAULT_EXCLUDE), *self.extend_exclude]
        return pathspec.GitIgnoreSpec.from_lines(patterns)

    def fingerprint(self) -> str:
        """A stable description of everything that changes findings (for caches)."""
        return repr(
            (
                sorted(self.enabled_codes),
                self.per_file_ignores,
                sorted((k, v.value) for k, v in self.severity.items()),
                self.src,
                self.base_model,
                sorted(self.role_modules.items()),
                self.pytest_asyncio_auto,
            )
        )

    def with_overrides(self, overrides: Mapping[str, Any], source: str) -> Settings:
        """Apply editor or command-line settings; they beat pyproject values."""
        if not overrides:
            return self
        parsed = parse_settings(overrides, source, camel_case=True)
        changes = {
            key: getattr(parsed, key)
            for key in _SETTING_FIELDS.values()
            if _normalise(key) in {_normalise(k) for k in overrides}
        }
        return replace(self, **changes)


_SETTING_FIELDS = {
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
    "per-file-ignores": "per_file_ignores",
    "severity": "severity",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "src": "src",
    "base-model": "base_model",
    "role-modules": "role_modules",
}


def _normalise(key: str) -> str:
    return key.replace("-", "").replace("_", "").lower()


_BY_NORMALISED = {_normalise(k): k for k in _SETTING_FIELDS}


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _check_selectors(selectors: Iterable[str], where: str) -> None:
    for selector in selectors:
        if not registry.codes_matching(selector):
            raise ConfigError(f"{where}: unknown rule code or prefix {selector!r}")


def parse_settings(raw: Mapping[str, Any], source: str, camel_case: bool = False) -> Settings:
    """Validate a settings table. `source` names where it came from, for error messages."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: expected a table of settings, got {raw!r}")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        canonical = _BY_NORMALISED.get(_normalise(key)) if camel_case else key
        if canonical not in _SETTING_FIELDS:
            known = ", ".join(sorted(_SETTING_FIELDS))
            raise ConfigError(f"{source}: unknown key {key!r} (known keys: {known})")
        where = f"{source}: key {key!r}"
        if canonical in ("select", "ignore", "extend-select"):
            selectors = tuple(s.strip().upper() for s in _string_list(value, where))
            _check_selectors(selectors, where)
            values[_SETTING_FIELDS[canonical]] = selectors
        elif canonical in ("exclude", "extend-exclude", "src"):
            values[_SETTING_FIELDS[canonical]] = _string_list(value, where)
        elif canonical == "per-file-ignores":
            values["per_file_ignores"] = _per_file_ignores(value, where)
        elif canonical == "severity":
            values["severity"] = _severity(value, where)
        elif canonical == "base-model":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: expected a dotted class name string")
            values["base_model"] = value
        elif canonical == "role-modules":
            values["role_modules"] = _role_modules(value, where)
    return Settings(**values)


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a table of glob = [codes]")
    result = []
    for pattern, codes in value.items():
        selectors = tuple(s.strip().upper() for s in _string_list(codes, f"{where}[{pattern!r}]"))
        _check_selectors(selectors, f"{where}[{pattern!r}]")
        result.append((str(pattern), selectors))
    return tuple(result)


def _severity(value: Any, where: str) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise ConfigError(f'{where}: expected a table of CODE = "error|warning|information"')
    result: dict[str, Severity] = {}
    for selector, level in value.items():
        selector_upper = str(selector).strip().upper()
        codes = registry.codes_matching(selector_upper)
        if not codes:
            raise ConfigError(f"{where}: unknown rule code or prefix {selector!r}")
        try:
            severity = Severity.parse(str(level))
        except ValueError:
            raise ConfigError(
                f"{where}[{selector!r}]: unknown severity {level!r} "
                "(use error, warning or information)"
            ) from None
        for code in codes:
            result[code] = severity
    return result


def _role_modules(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError(f'{where}: expected a table of role = "module.py"')
    for role, module in value.items():
        if role not in ROLE_NAMES:
            raise ConfigError(f"{where}: unknown role {role!r} (roles: {', '.join(ROLE_NAMES)})")
        if not isinstance(module, str):
            raise ConfigError(f"{where}[{role!r}]: expected a file name string")
    return dict(value)


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings
    config_path: Path | None


def find_project_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding a pyproject.toml."""
    current = start if start.is_dir() else start.parent
    for directory in (current, *current.parents):
        if (directory / "pyproject.toml").is_file():
            return directory
    return None


def load_project(start: Path) -> Project:
    """The project owning `start`, with its validated settings. Raises ConfigError."""
    start = start.resolve()
    root = find_project_root(start)
    if root is None:
        fallback = start if start.is_dir() else start.parent
        settings = Settings(root=fallback, pytest_asyncio_auto=pytest_asyncio_auto(fallback))
        return Project(fallback, settings, None)
    config_path = root / "pyproject.toml"
    settings = load_settings_file(config_path)
    derived = replace(settings, root=root, pytest_asyncio_auto=pytest_asyncio_auto(root))
    return Project(root, derived, config_path)


def load_settings_file(config_path: Path) -> Settings:
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{config_path}: invalid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{config_path}: cannot read: nested too deeply") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_path}: cannot read: {error}") from None
    tool = data.get("tool", {})
    table = tool.get(TOOL_KEY, {}) if isinstance(tool, Mapping) else {}
    return parse_settings(table, f"{config_path} [tool.{TOOL_KEY}]")


def pytest_asyncio_auto(root: Path) -> bool:
    """Whether the pytest configuration in `root` sets pytest-asyncio's `asyncio_mode = auto`.

    Follows pytest's precedence: `pytest.ini` (decides even without a `[pytest]` section), then
    `pyproject.toml`, `tox.ini` and `setup.cfg` when they hold a pytest section. Files that
    cannot be read or parsed are skipped.
    """
    for name in ("pytest.ini", ".pytest.ini"):
        options = _ini_options(root / name, "pytest", section_required=False)
        if options is not None:
            return _asyncio_auto(options)
    options = _pyproject_pytest_options(root / "pyproject.toml")
    if options is not None:
        return _asyncio_auto(options)
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        options = _ini_options(root / name, section, section_required=True)
        if options is not None:
            return _asyncio_auto(options)
    return False


def _ini_options(path: Path, section: str, section_required: bool) -> Mapping[str, Any] | None:
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    if parser.has_section(section):
        return dict(parser[section])
    return None if section_required else {}


def _pyproject_pytest_options(path: Path) -> Mapping[str, Any] | None:
    """`[tool.pytest.ini_options]`, or pytest 9's native `[tool.pytest]` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    tool = data.get("tool")
    table = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return None
    ini_options = table.get("ini_options")
    return ini_options if isinstance(ini_options, dict) else table


def _asyncio_auto(options: Mapping[str, Any]) -> bool:
    mode = options.get("asyncio_mode")
    if isinstance(mode, str) and mode.strip().lower() == "auto":
        return True
    addopts = options.get("addopts")
    if isinstance(addopts, list):
        addopts = " ".join(str(part) for part in addopts)
    if not isinstance(addopts, str):
        return False
    words = addopts.split()
    return "--asyncio-mode=auto" in words or any(
        first == "--asyncio-mode" and second == "auto"
        for first, second in itertools.pairwise(words)
    )
