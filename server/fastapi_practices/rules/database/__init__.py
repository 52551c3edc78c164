"""Seed §6, database: naming conventions, async drivers, migrations and query shape."""

from fastapi_practices.rules.database import (  # noqa: F401
    async_driver,
    legacy_query,
    migrations,
    naming_convention,
    query_in_loop,
    table_naming,
)
