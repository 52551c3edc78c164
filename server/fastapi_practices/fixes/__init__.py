"""Fixes: built lazily from a finding, as minimal text edits (LibCST for rewritten code)."""

from fastapi_practices.fixes.apply import (
    FixAllResult,
    FixError,
    apply_edits,
    build_fix,
    fix_all,
    noqa_edit,
)

__all__ = ["FixAllResult", "FixError", "apply_edits", "build_fix", "fix_all", "noqa_edit"]
