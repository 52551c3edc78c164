"""CLI and engine throughput: lines per second of `check`, in process and as a command."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fastapi_practices.engine import analyze

from bench.generate import generate_module


def _median_ms(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples) * 1000, min(samples) * 1000, max(samples) * 1000


def engine_per_1000_lines(sizes: tuple[int, ...] = (1000, 2000, 4000, 8000), runs: int = 7) -> None:
    print("engine analyze() per file (ast parse + one traversal, all rules):")
    for size in sizes:
        text = generate_module(size)
        actual = text.count("\n")
        analyze(text, Path("orders.py"))
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            analyze(text, Path("orders.py"))
            samples.append(time.perf_counter() - start)
        med, low, high = _median_ms(samples)
        print(
            f"  {actual:>6} lines: median {med:7.1f} ms  (min {low:.1f}, max {high:.1f})"
            f"  = {med / actual * 1000:5.1f} ms per 1,000 lines,"
            f" {actual / (med / 1000):,.0f} lines/s"
        )


def cli_project(files: int = 200, lines_per_file: int = 500, runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
        package = root / "app"
        package.mkdir()
        total = 0
        for index in range(files):
            text = generate_module(lines_per_file)
            total += text.count("\n")
            (package / f"orders_{index}.py").write_text(text)
        command = [
            sys.executable,
            "-m",
            "fastapi_practices",
            "check",
            str(root),
            "--format",
            "json",
            "--exit-zero",
            "--no-cache",
        ]
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            samples.append(time.perf_counter() - start)
        med, low, high = _median_ms(samples)
        print(
            f"CLI check, {files} files / {total:,} lines, JSON to /dev/null, "
            f"{os.cpu_count()} cores: median {med:.0f} ms (min {low:.0f}, max {high:.0f})"
            f" = {total / (med / 1000):,.0f} lines/s"
        )


def main() -> None:
    engine_per_1000_lines()
    cli_project()


if __name__ == "__main__":
    main()
