"""Seed §4, dependencies."""

from fastapi_practices.rules.dependencies import (  # noqa: F401
    auth_in_route,
    depends_called,
    duplicated_validation,
    inline_validation,
    path_param_mismatch,
    sync_dependency,
)
