"""One documentation page per rule, rendered from the rule's own metadata and examples."""

from __future__ import annotations

from fastapi_practices.rules.base import Rule

DOCS_BASE_URL = "https://github.com/fastapi-practices/fastapi-practices/blob/main/docs/rules/"
SEVERITY_WORDS = {"E": "error", "W": "warning", "I": "information"}


def doc_url(code: str) -> str:
    return f"{DOCS_BASE_URL}{code}.md"


def _fixed_example(rule: Rule) -> tuple[str, str] | None:
    for example in rule.invalid_examples:
        if example.fixed is not None:
            return example.code, example.fixed
    return None


def render_markdown(rule: Rule, brief: bool = False) -> str:
    """The rule's page in Markdown; `brief` gives the hover-sized version."""
    lines = [f"## {rule.code} · {rule.name}", ""]
    lines.append(f"*{SEVERITY_WORDS[rule.severity.letter]}* — {rule.summary}")
    lines += ["", "### Why it matters", "", rule.why, ""]
    pair = _fixed_example(rule)
    before = pair[0] if pair else (rule.invalid_examples[0].code if rule.invalid_examples else "")
    after = pair[1] if pair else rule.recommended
    if before:
        lines += ["### Example", "", "```python", before.rstrip(), "```", ""]
    if after:
        lines += ["Use instead:", "", "```python", after.rstrip(), "```", ""]
    if not brief:
        if rule.fix_summary:
            applicability = rule.fix_applicability.value if rule.fix_applicability else "none"
            lines += ["### Fix", "", f"{rule.fix_summary} (applicability: {applicability})", ""]
        else:
            lines += ["### Fix", "", "No automatic fix: the right change needs a human.", ""]
        lines += [
            "### Suppressing",
            "",
            f"Add `# noqa: {rule.code}` to the reported line, or list the code under "
            "`ignore` / `per-file-ignores` in `[tool.fastapi-practices]`.",
            "",
        ]
    else:
        lines += [f"[Full documentation]({doc_url(rule.code)})"]
    return "\n".join(lines).rstrip() + "\n"
