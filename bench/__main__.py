"""`python -m bench`: print every benchmark figure (medians with min and max)."""

from __future__ import annotations

import os

from fastapi_practices.runtime import tune_gc

from bench import cli_throughput, lsp_latency, workspace_index


def main() -> None:
    tune_gc()  # as the CLI and the server do
    print(f"machine: {os.cpu_count()} cores")
    # First, while no other child process has raised the peak-RSS figure it reports.
    workspace_index.main([])
    cli_throughput.main()
    lsp_latency.main()


if __name__ == "__main__":
    main()
