"""`python -m fuzz lsp`: the long LSP soak, printing actions/s and the server's RSS."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from fuzz.seeds import REPO
from fuzz.soak import SERVER, SoakClient, initialize, run_soak

PROJECT = REPO / "examples" / "shop"
DOCUMENTS = (
    "src/products/router.py",
    "src/products/dependencies.py",
    "src/orders/router.py",
    "src/orders/service.py",
    "src/products/schemas.py",
    "src/main.py",
    "alembic.ini",
)


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (Linux), or None where /proc is not there."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def _mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


async def soak(actions: int, seed: int) -> int:
    with tempfile.TemporaryDirectory(prefix="fastapi-practices-soak-") as scratch:
        root = Path(scratch) / "shop"
        shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(".fastapi_practices_cache"))
        client = await SERVER.start()
        assert isinstance(client, SoakClient)
        pid = client._server.pid if client._server is not None else -1
        try:
            encoding = await initialize(client, root)
            await asyncio.sleep(1.0)  # the index is built in the background
            start_rss = rss_kib(pid)
            print(f"server pid {pid}; RSS at start: {_mib(start_rss)}", flush=True)
            started = time.perf_counter()

            async def progress(done: int) -> None:
                elapsed = time.perf_counter() - started
                print(
                    f"  {done} actions, {done / elapsed:.0f}/s, RSS {_mib(rss_kib(pid))}",
                    flush=True,
                )

            docs = [root / relative for relative in DOCUMENTS]
            report = await run_soak(client, root, docs, encoding, actions, seed, progress)
            end_rss = rss_kib(pid)
            await client.shutdown_session()
        finally:
            await client.stop()
    print(
        f"{report.actions} actions ({report.edits} edits, {report.requests} requests) in "
        f"{report.seconds:.1f}s: {report.actions / report.seconds:.0f} actions/s "
        "(including the final settle and checks)"
    )
    print(f"RSS at start: {_mib(start_rss)}, at end: {_mib(end_rss)}")
    print(f"failures: {len(report.failures)}")
    for failure in report.failures[:50]:
        print(f"  {failure}")
    return 1 if report.failures else 0


def main(actions: int, seed: int) -> int:
    return asyncio.run(soak(actions, seed))
