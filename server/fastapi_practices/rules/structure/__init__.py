"""Seed §1, project structure: symbols that belong in another module of their domain."""

from fastapi_practices.rules.structure import (  # noqa: F401
    cross_domain_import,
    misplaced_db_model,
    misplaced_exception,
    misplaced_route,
    misplaced_schema,
    misplaced_settings,
)
