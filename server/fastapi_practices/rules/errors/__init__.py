"""Seed §5, error handling."""

from fastapi_practices.rules.errors import (  # noqa: F401
    bare_status_code,
    broad_except,
    generic_exception,
    http_exception_outside_api,
    unhandled_domain_exception,
)
