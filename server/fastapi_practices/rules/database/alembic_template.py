"""FBP606: `alembic.ini` names new revisions after their hash only."""

from __future__ import annotations

import configparser
import io
import re

from fastapi_practices.engine.data_files import DataFileContext
from fastapi_practices.engine.positions import split_lines
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Position, Range, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

RECOMMENDED_TEMPLATE = "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s"
INSERT_TEMPLATE = FixOption(
    "insert-template",
    "Name new revisions by date and slug (`file_template`)",
    Applicability.SAFE,
    is_preferred=True,
)
_DATE_KEYS = ("year", "month", "day")
_SECTION = re.compile(r"^\s*\[\s*alembic\s*\]\s*(?:[#;].*)?$")
_OPTION = re.compile(r"^file_template\s*[=:]", re.IGNORECASE)
_HEADER = "# Alembic settings\n[alembic]\nscript_location = migrations\n"


def _has(template: str, key: str) -> bool:
    return re.search(rf"%%?\(\s*{key}\s*\)", template) is not None


def is_descriptive(template: str) -> bool:
    """Whether a `file_template` value holds a date and the slug."""
    return _has(template, "slug") and all(_has(template, key) for key in _DATE_KEYS)


@register
class AlembicFileTemplate(Rule):
    code = "FBP606"
    name = "alembic-file-template"
    severity = Severity.INFO
    summary = "`alembic.ini` does not name migration files by date and slug."
    why = (
        "Alembic's default file name is `<revision hash>_<slug>.py`, so `migrations/versions/` "
        "lists revisions in random order. A `file_template` that starts with the date sorts "
        "them the way they were written and shows at a glance what each one does, which is "
        "what a reviewer needs when two branches both add a migration."
    )
    recommended = (
        f"[alembic]\nscript_location = migrations\nfile_template = {RECOMMENDED_TEMPLATE}\n"
    )
    fix_summary = (
        "Insert `file_template = %%(year)d-%%(month).2d-%%(day).2d_%%(slug)s` under `[alembic]`, "
        "or replace a one-line `file_template` that lacks the date or the slug."
    )
    fix_applicability = Applicability.SAFE
    file_names = frozenset({"alembic.ini"})
    examples = (
        Invalid(
            _HEADER,
            line=1,
            path="alembic.ini",
            fixed=f"# Alembic settings\n[alembic]\nfile_template = {RECOMMENDED_TEMPLATE}\n"
            "script_location = migrations\n",
            note="no file_template at all: the hash-first default",
        ),
        Invalid(
            _HEADER + "file_template = %%(rev)s_%%(slug)s\n",
            path="alembic.ini",
            fixed=_HEADER + f"file_template = {RECOMMENDED_TEMPLATE}\n",
            note="a template without a date",
        ),
        Invalid(
            _HEADER + "file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(rev)s\n",
            path="alembic.ini",
            note="a date but no slug",
        ),
        Invalid(
            _HEADER + "# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(slug)s\n",
            path="alembic.ini",
            note="the recommended line, commented out",
        ),
        Valid(_HEADER + f"file_template = {RECOMMENDED_TEMPLATE}\n", path="alembic.ini"),
        Valid(
            _HEADER + "file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d"
            "-%%(rev)s_%%(slug)s\n",
            path="alembic.ini",
            note="a longer template that still has the date and the slug",
        ),
        Valid(
            "[loggers]\nkeys = root\n",
            path="alembic.ini",
            note="no [alembic] section: not Alembic's main configuration",
        ),
        Valid(
            "[alembic\nscript_location = migrations\n",
            path="alembic.ini",
            note="a file configparser cannot read is left alone",
        ),
        Valid(_HEADER, path="setup.cfg", note="only alembic.ini is read"),
        Valid(
            "# noqa: FBP606\n[alembic]\nscript_location = migrations\n",
            path="alembic.ini",
            note="suppressed on line 1",
        ),
    )

    def check_file(self, ctx: DataFileContext) -> None:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            # Line ends as Alembic reads the file (text mode): a lone CR ends a line too.
            parser.read_file(io.StringIO(ctx.text, newline=None))
        except configparser.Error:
            return
        if not parser.has_section("alembic"):
            return
        template = parser.get("alembic", "file_template", fallback=None)
        if template is not None and is_descriptive(template):
            return
        message = (
            "`alembic.ini` has no `file_template`, so revision files are named by hash"
            if template is None
            else "`file_template` lacks the date or the slug, so revision files do not sort "
            "in the order they were written"
        )
        ctx.report(self, ctx.first_line(), message, fixes=(INSERT_TEMPLATE,))

    def fix_insert_template(self, request: FixRequest) -> list[TextEdit] | None:
        lines = split_lines(request.text)  # the engine's lines: str.splitlines also splits at \f
        newline = request.newline
        sections = [i for i, line in enumerate(lines) if _SECTION.match(line)]
        if not sections:
            return None
        line = f"file_template = {RECOMMENDED_TEMPLATE}"
        # A repeated section or option is merged, the last value winning: replace that one.
        for section in reversed(sections):
            end = next(
                (i for i in range(section + 1, len(lines)) if lines[i].lstrip().startswith("[")),
                len(lines),
            )
            for number in reversed(range(section + 1, end)):
                if _OPTION.match(lines[number]):
                    follows = lines[number + 1] if number + 1 < len(lines) else ""
                    if follows[:1] in (" ", "\t") and follows.strip():
                        return None  # a value continued over several lines: leave it to the user
                    text = lines[number].rstrip("\r\n")
                    edit = Range(Position(number, 0), Position(number, len(text)))
                    return [TextEdit(edit, line)]
        section = sections[0]
        if not lines[section].endswith(("\n", "\r")):
            end_of_header = Position(section, len(lines[section]))
            return [TextEdit(Range(end_of_header, end_of_header), newline + line)]
        start = Position(section + 1, 0)
        return [TextEdit(Range(start, start), line + newline)]
