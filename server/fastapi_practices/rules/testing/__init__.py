"""Seed §8, testing."""

from fastapi_practices.rules.testing import async_marker, httpx_app, sync_client  # noqa: F401
