"""Seed §5, error handling."""

from fastapi_practices.rules.errors import bare_status_code, broad_except  # noqa: F401
