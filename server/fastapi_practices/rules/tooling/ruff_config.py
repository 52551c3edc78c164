"""FBP901: a FastAPI project's `pyproject.toml` does not turn on ruff's ASYNC and FAST rules."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi_practices.engine.data_files import DataFileContext
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.fixes.text_diff import line_edits
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

LINTERS = ("ASYNC", "FAST")
OUR_PREFIX = "FBP"
CONFIGURE_RUFF = FixOption(
    "configure-ruff",
    "Select ruff's ASYNC and FAST rules in `[tool.ruff.lint]`",
    Applicability.SAFE,
    is_preferred=True,
)
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_FASTAPI_DISTRIBUTIONS = frozenset({"fastapi", "fastapi-slim"})
_RUFF_FILES = ("ruff.toml", ".ruff.toml")

_PROJECT = '[project]\nname = "shop"\ndependencies = ["fastapi>=0.115", "sqlalchemy>=2"]\n'


def _distribution(requirement: str) -> str | None:
    match = _REQUIREMENT_NAME.match(requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    if isinstance(value, Mapping):
        return [item for group in value.values() for item in _strings(group)]
    return []


def _table(data: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    for key in keys:
        found = data.get(key)
        if not isinstance(found, Mapping):
            return {}
        data = found
    return data


def uses_fastapi(data: Mapping[str, Any]) -> bool:
    """Whether the project declares FastAPI as a dependency, or configures this tool."""
    if _table(data, "tool", "fastapi-practices"):
        return True
    project = _table(data, "project")
    requirements = [
        *_strings(project.get("dependencies")),
        *_strings(project.get("optional-dependencies")),
        *_strings(data.get("dependency-groups")),
    ]
    poetry = _table(data, "tool", "poetry")
    names = [*_table(poetry, "dependencies")]
    for group in _table(poetry, "group").values():
        if isinstance(group, Mapping):
            names.extend(_table(group, "dependencies"))
    found = {_distribution(r) for r in requirements} | {_distribution(n) for n in names}
    return bool(found & _FASTAPI_DISTRIBUTIONS)


def missing_linters(data: Mapping[str, Any]) -> list[str]:
    """The linters among ASYNC and FAST that the ruff configuration does not select."""
    ruff = _table(data, "tool", "ruff")
    lint = _table(ruff, "lint")
    selected: list[str] = []
    ignored: list[str] = []
    for table in (ruff, lint):
        selected += _strings(table.get("select")) + _strings(table.get("extend-select"))
        ignored += _strings(table.get("ignore"))
    selected = [s.strip().upper() for s in selected]
    ignored = [s.strip().upper() for s in ignored]
    return [
        linter
        for linter in LINTERS
        if not (
            ("ALL" in selected or any(s.startswith(linter) for s in selected))
            and linter not in ignored
        )
    ]


@register
class RuffNotConfigured(Rule):
    code = "FBP901"
    name = "ruff-not-configured"
    severity = Severity.INFO
    summary = "The project's ruff configuration does not select the ASYNC and FAST rules."
    why = (
        "ruff ships rules that catch the async and FastAPI mistakes this tool teaches: "
        "blocking calls in `async def` (ASYNC) and redundant or misleading FastAPI route "
        "arguments (FAST). They are off unless selected. Turning them on makes every "
        '`ruff check` in pre-commit and CI enforce them too, and `external = ["FBP"]` keeps '
        "ruff from reporting this tool's `# noqa: FBP...` comments as unused."
    )
    recommended = (
        _PROJECT + '\n[tool.ruff.lint]\nextend-select = ["ASYNC", "FAST"]\nexternal = ["FBP"]\n'
    )
    fix_summary = (
        "Add the missing linters to `extend-select` and `FBP` to `external` in "
        "`[tool.ruff.lint]`, creating the table when needed."
    )
    fix_applicability = Applicability.SAFE
    file_names = frozenset({"pyproject.toml"})
    examples = (
        Invalid(
            _PROJECT,
            line=1,
            path="pyproject.toml",
            fixed=_PROJECT
            + '\n[tool.ruff.lint]\nextend-select = ["ASYNC", "FAST"]\nexternal = ["FBP"]\n',
            note="FastAPI project without any ruff configuration",
        ),
        Invalid(
            _PROJECT + '\n[tool.ruff.lint]\nselect = ["E", "F", "ASYNC"]\n',
            path="pyproject.toml",
            fixed=_PROJECT + '\n[tool.ruff.lint]\nselect = ["E", "F", "ASYNC"]\n'
            'extend-select = ["FAST"]\nexternal = ["FBP"]\n',
            note="ASYNC selected, FAST not",
        ),
        Invalid(
            _PROJECT + '\n[tool.ruff.lint]\nselect = ["ALL"]\nignore = ["FAST", "D"]\n',
            path="pyproject.toml",
            note="ALL, but FAST ignored",
        ),
        Invalid(
            '[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "^0.115"\n\n'
            "[tool.ruff]\nline-length = 100\n",
            path="pyproject.toml",
            note="Poetry dependencies; ruff configured without the linters",
        ),
        Invalid(
            '[project]\nname = "api"\n\n[tool.fastapi-practices]\nselect = ["ALL"]\n',
            path="pyproject.toml",
            note="a project that configures fastapi-practices is a FastAPI project",
        ),
        Valid(
            _PROJECT + '\n[tool.ruff.lint]\nextend-select = ["ASYNC", "FAST"]\n',
            path="pyproject.toml",
        ),
        Valid(_PROJECT + '\n[tool.ruff.lint]\nselect = ["ALL"]\n', path="pyproject.toml"),
        Valid(
            _PROJECT + '\n[tool.ruff]\nselect = ["ASYNC1", "FAST001", "E"]\n',
            path="pyproject.toml",
            note="the older top-level table, with parts of each linter",
        ),
        Valid(
            '[project]\nname = "cli-tool"\ndependencies = ["fastapi-users-db", "click"]\n',
            path="pyproject.toml",
            note="not a FastAPI project: a look-alike dependency name",
        ),
        Valid(_PROJECT + "[broken\n", path="pyproject.toml", note="invalid TOML is left alone"),
        Valid(_PROJECT, path="setup.toml", note="only pyproject.toml is read"),
    )

    def check_file(self, ctx: DataFileContext) -> None:
        try:
            data = tomllib.loads(ctx.text)
        except (tomllib.TOMLDecodeError, RecursionError):  # RecursionError: nested too deeply
            return
        if not uses_fastapi(data) or _has_ruff_file(ctx):
            return
        missing = missing_linters(data)
        if not missing:
            return
        names = " and ".join(f"`{name}`" for name in missing)
        ctx.report(
            self,
            ctx.first_line(),
            f"ruff does not select {names}; its async and FastAPI checks stay off",
            fixes=(CONFIGURE_RUFF,),
            data={"missing": missing},
        )

    def fix_configure_ruff(self, request: FixRequest) -> list[TextEdit] | None:
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        try:
            document = tomlkit.parse(request.text)
            missing = missing_linters(document.unwrap())
            lint = _ensure_tables(document, ("tool", "ruff", "lint"))
            if lint is None:
                return None
            _extend(lint, "extend-select", missing)
            _extend(lint, "external", [OUR_PREFIX])
            for table in (document["tool"]["ruff"], lint):
                _unignore(table, missing)
            fixed = tomlkit.dumps(document)
        except (TOMLKitError, ValueError, TypeError):
            return None
        if _only_crlf(request.text):
            fixed = re.sub(r"(?<!\r)\n", "\r\n", fixed)  # tomlkit writes new lines with LF
        return line_edits(request.text, fixed) or None


def _has_ruff_file(ctx: DataFileContext) -> bool:
    """ruff reads `ruff.toml` instead of `pyproject.toml` when one sits next to it."""
    return ctx.path.is_absolute() and any(
        (ctx.path.parent / name).is_file() for name in _RUFF_FILES
    )


def _ensure_tables(document: Any, keys: Iterable[str]) -> Any:
    import tomlkit

    current = document
    for key in keys:
        found = current.get(key)
        if found is None:
            found = tomlkit.table(is_super_table=key != "lint")
            current.append(key, found)
        elif not isinstance(found, Mapping):
            return None
        current = found
    return current


def _only_crlf(text: str) -> bool:
    return "\r\n" in text and "\n" not in text.replace("\r\n", "")


def _unignore(table: Any, linters: list[str]) -> None:
    """Drop the linters themselves from `ignore`: ruff lets an ignore beat a select."""
    ignored = table.get("ignore")
    if not isinstance(ignored, list):
        return
    for index in reversed(range(len(ignored))):
        if isinstance(ignored[index], str) and ignored[index].strip().upper() in linters:
            del ignored[index]


def _extend(table: Any, key: str, values: list[str]) -> None:
    import tomlkit

    existing = table.get(key)
    if existing is None:
        if values:
            array = tomlkit.array()
            array.extend(values)
            table.append(key, array)
        return
    if not isinstance(existing, list):
        raise ValueError(f"{key} is not an array")
    present = {str(item).upper() for item in existing}
    for value in values:
        if value not in present:
            existing.append(value)
