"""`python -m bench [SECTION ...]`: print every benchmark figure (medians with min and max).

Sections run in the order listed below; name some to run only those. The CLI section
downloads the registry corpus first when it is not in `bench/.corpus/` yet (see bench.corpus).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import traceback
from collections.abc import Callable

from fastapi_practices.runtime import tune_gc

from bench import cli_corpus, cli_throughput, corpus, lsp_actions, lsp_latency, workspace_index


def _index_open_webui() -> None:
    """In a process of its own, so that its peak RSS is its own."""
    tree = next(t for t in corpus.registry_trees() if t.name == "open-webui")
    subprocess.run(
        [sys.executable, "-m", "bench.workspace_index", "--tree", str(tree.path)], check=True
    )


# The index comes first, while no other child process has raised the peak-RSS figure it reports.
SECTIONS: dict[str, Callable[[], None]] = {
    "workspace-index": lambda: workspace_index.main([]),
    "cli-corpus": lambda: cli_corpus.main([]),
    "scaling": cli_throughput.engine_per_1000_lines,
    "lsp": lsp_latency.main,
    "lsp-actions": lsp_actions.main,
    "index-open-webui": _index_open_webui,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help=f"any of: {', '.join(SECTIONS)} (default: all)",
    )
    chosen = set(parser.parse_args(argv).sections or SECTIONS)
    unknown = sorted(chosen - SECTIONS.keys())
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    tune_gc()  # as the CLI and the server do
    print(f"machine: {os.cpu_count()} cores")
    failed = []
    for name, run in SECTIONS.items():
        if name not in chosen:
            continue
        print(f"\n== {name}", flush=True)
        try:
            run()
        except Exception:
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"\nfailed sections: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
