"""FBP001 / FBP002: files the engine cannot parse. Reported by the engine, not by a hook."""

from __future__ import annotations

from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register


@register
class SyntaxErrorRule(Rule):
    code = "FBP001"
    name = "syntax-error"
    severity = Severity.ERROR
    summary = "The file does not parse, so no other rule can check it."
    why = (
        "Every other check needs a syntax tree. Until the file parses again, fastapi-practices "
        "reports only where the parser stopped, so the real problem is not buried under noise."
    )
    recommended = "async def read_items():\n    return []\n"
    examples = (
        Invalid("async def read_items(:\n    return []\n", line=1),
        Invalid("x = (1,\n", line=1),
        Invalid("def f():\nreturn 1\n", line=2),
        Valid("async def read_items():\n    return []\n"),
        Valid("match = 1\ncase = 2\n"),
        Valid("type X = int\n", note="3.12 syntax; FBP002 on older interpreters, never FBP001"),
        Valid("x = 'é'\n"),
        Valid(""),
    )


@register
class NewerSyntaxRule(Rule):
    code = "FBP002"
    name = "syntax-newer-than-server"
    severity = Severity.INFO
    summary = "The file uses syntax newer than the Python running the server."
    why = (
        "The file is valid for a newer Python, but the interpreter running fastapi-practices is "
        "older and cannot build a syntax tree for it. Nothing is wrong with the code: run the "
        "server with the project's own interpreter to get the full set of checks."
    )
    recommended = "Point the editor (or CI) at the project's interpreter."
    examples = ()
