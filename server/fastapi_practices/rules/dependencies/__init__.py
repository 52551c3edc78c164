"""Seed §4, dependencies."""

from fastapi_practices.rules.dependencies import (  # noqa: F401
    auth_in_route,
    depends_called,
    inline_validation,
)
