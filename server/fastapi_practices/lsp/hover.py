"""Hover over one of our diagnostics: the rule's name, why it matters and a short example."""

from __future__ import annotations

from lsprotocol import types

from fastapi_practices import docs
from fastapi_practices.lsp.analysis import Analysis
from fastapi_practices.rules import registry

SEPARATOR = "\n---\n\n"


def hover(analysis: Analysis, position: types.Position, markdown: bool) -> types.Hover | None:
    where = analysis.lines.from_client(position)
    hits = [finding for finding in analysis.findings if finding.range.contains(where)]
    pages: list[str] = []
    seen: set[str] = set()
    for finding in hits:
        rule = registry.get_rule(finding.code)
        if rule is None or finding.code in seen:
            continue
        seen.add(finding.code)
        pages.append(docs.render_markdown(rule, brief=True))
    if not pages:
        return None
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=SEPARATOR.join(pages)),
        range=analysis.lines.range_to_client(hits[0].range),
    )
