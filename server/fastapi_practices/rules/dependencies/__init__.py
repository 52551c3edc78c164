"""Seed §4, dependencies."""

from fastapi_practices.rules.dependencies import depends_called  # noqa: F401
