"""Machine output: ruff-shaped JSON, SARIF 2.1.0 and GitHub Actions workflow commands.

Rows and columns are 1-based; columns count Unicode code points, and an end column points
just past the last character (as in ruff's JSON and SARIF regions).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi_practices import __version__
from fastapi_practices.cli_support.display import Display, Located, located
from fastapi_practices.cli_support.runner import FileReport
from fastapi_practices.docs import doc_url
from fastapi_practices.model import Position, Range, Severity
from fastapi_practices.rules import registry

TOOL_NAME = "fastapi-practices"
INFORMATION_URI = "https://github.com/fastapi-practices/fastapi-practices"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _point(position: Position) -> dict[str, int]:
    return {"row": position.line + 1, "column": position.column + 1}


def _region(rng: Range) -> dict[str, int]:
    return {
        "startLine": rng.start.line + 1,
        "startColumn": rng.start.column + 1,
        "endLine": rng.end.line + 1,
        "endColumn": rng.end.column + 1,
    }


def _uri(path: str | Path) -> str:
    return Path(path).absolute().as_uri()


def json_entry(item: Located) -> dict[str, Any]:
    finding = item.finding
    fix = None
    edits = item.fix_edits
    if edits is not None and finding.fixes:
        option = finding.fixes[0]
        fix = {
            "applicability": option.applicability.value,
            "message": option.title,
            "edits": [
                {
                    "content": edit.new_text,
                    "location": _point(edit.range.start),
                    "end_location": _point(edit.range.end),
                }
                for edit in edits
            ],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "severity": finding.severity.value,
        "filename": str(item.report.path),
        "location": _point(finding.range.start),
        "end_location": _point(finding.range.end),
        "fix": fix,
        "url": doc_url(finding.code),
        "noqa_row": finding.range.start.line + 1,
    }


def to_json(reports: Sequence[FileReport]) -> str:
    return json.dumps([json_entry(item) for item in located(reports)], indent=2)


def _sarif_rule(code: str) -> dict[str, Any]:
    rule = registry.get_rule(code)
    if rule is None:
        return {"id": code, "helpUri": doc_url(code)}
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "helpUri": doc_url(rule.code),
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
    }


def _sarif_result(item: Located, rule_index: dict[str, int]) -> dict[str, Any]:
    finding = item.finding
    uri = _uri(item.report.path)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": _region(finding.range),
                }
            }
        ],
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(related.path)},
                    "region": _region(related.range),
                },
                "message": {"text": related.message},
            }
            for number, related in enumerate(finding.related)
        ]
    edits = item.fix_edits
    if edits is not None and finding.fixes:
        result["fixes"] = [
            {
                "description": {"text": finding.fixes[0].title},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": _region(edit.range),
                                "insertedContent": {"text": edit.new_text},
                            }
                            for edit in edits
                        ],
                    }
                ],
            }
        ]
    return result


def to_sarif(reports: Sequence[FileReport]) -> str:
    codes = sorted(registry.all_codes())
    rule_index = {code: number for number, code in enumerate(codes)}
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(code) for code in codes],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(item, rule_index) for item in located(reports)],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(reports: Sequence[FileReport], display: Display) -> list[str]:
    """One `::warning ...::` workflow command per finding (annotations in the PR diff)."""
    lines = []
    for item in located(reports):
        finding = item.finding
        start, end = finding.range.start, finding.range.end
        properties = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("title", f"{TOOL_NAME} ({finding.code})"),
                ("file", display.path(item.report.path)),
                ("line", str(start.line + 1)),
                ("col", str(start.column + 1)),
                ("endLine", str(end.line + 1)),
                ("endColumn", str(end.column + 1)),
            )
        )
        message = _escape_data(f"{finding.code} {finding.message}")
        lines.append(f"::{GITHUB_LEVELS[finding.severity]} {properties}::{message}")
    return lines
