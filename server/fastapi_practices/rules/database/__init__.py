"""Seed §6, database: naming conventions, async drivers, migrations and query shape."""

from fastapi_practices.rules.database import (  # noqa: F401
    alembic_template,
    async_driver,
    legacy_query,
    migrations,
    naming_convention,
    query_in_loop,
    sync_engine,
    table_naming,
)
