"""Seed §2, async: nothing that blocks the event loop runs directly inside `async def`."""

from fastapi_practices.rules.async_ import (
    blocking_sleep,
    cpu_bound,
    file_io,
    fire_and_forget,
    loop_run,
    network,
    subprocess_calls,
    sync_db,
)

__all__ = [
    "blocking_sleep",
    "cpu_bound",
    "file_io",
    "fire_and_forget",
    "loop_run",
    "network",
    "subprocess_calls",
    "sync_db",
]
