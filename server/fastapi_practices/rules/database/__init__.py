"""Seed §6, database: naming conventions, async drivers, migrations and query shape."""
