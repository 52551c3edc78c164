"""Seed §8, testing."""

from fastapi_practices.rules.testing import (  # noqa: F401
    async_marker,
    httpx_app,
    mirrored_tests,
    sync_client,
)
