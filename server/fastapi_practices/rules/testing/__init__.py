"""Seed §8, testing."""

from fastapi_practices.rules.testing import httpx_app  # noqa: F401
