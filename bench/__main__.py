"""`python -m bench`: print every benchmark figure (medians with min and max)."""

from __future__ import annotations

import os

from bench import cli_throughput, lsp_latency


def main() -> None:
    print(f"machine: {os.cpu_count()} cores")
    cli_throughput.main()
    lsp_latency.main()


if __name__ == "__main__":
    main()
