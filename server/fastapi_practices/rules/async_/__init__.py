"""Seed §2, async: nothing that blocks the event loop runs directly inside `async def`."""

from fastapi_practices.rules.async_ import blocking_sleep  # noqa: F401
