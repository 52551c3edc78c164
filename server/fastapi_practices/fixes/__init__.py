"""Fixes: built lazily from a finding, as minimal text edits (LibCST for rewritten code)."""

from fastapi_practices.fixes.apply import (
    FixAllResult,
    FixError,
    WorkspaceFix,
    apply_edits,
    build_fix,
    build_workspace_fix,
    fix_all,
    noqa_edit,
)

__all__ = [
    "FixAllResult",
    "FixError",
    "WorkspaceFix",
    "apply_edits",
    "build_fix",
    "build_workspace_fix",
    "fix_all",
    "noqa_edit",
]
