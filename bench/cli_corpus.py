"""CLI over the corpus: our `check` and ruff's on the same files, cold and warm.

For each registry tree (see `bench.corpus`), for the three together and for the synthetic
project, prints the median of `--runs` runs with min and max:

- ours cold: `python -m fastapi_practices check <trees> --output-format json --exit-zero
  --no-cache`, JSON to /dev/null, all rules;
- ruff cold: `ruff check --isolated --no-cache --select FAST,ASYNC <trees>`, its runs
  interleaved with ours so that both see the same machine;
- ours/ruff, the ratio of the medians;
- ours warm: after `fastapi-practices clean` and one run that writes the result cache, a run
  with the cache and nothing changed.

Lines are those of the Python files checked (a last line without a newline counts).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import fastapi_practices
from fastapi_practices.cli_support.cache import CACHE_DIR
from fastapi_practices.cli_support.discovery import discover
from fastapi_practices.cli_support.projects import ProjectResolver
from fastapi_practices.cli_support.selection import RuleSelection

from bench import corpus

DEFAULT_RUNS = 5
DEFAULT_TIMEOUT = 60.0
RUFF_SELECT = "FAST,ASYNC"
TARGET_LINES_PER_SECOND = 100_000
TARGET_RATIO = 25.0
TARGET_WARM_SECONDS = 1.0


class TimedOut(Exception):
    """A run took longer than the time allowed to one run."""


@dataclass(frozen=True)
class Figure:
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def describe(self, lines: int | None = None) -> str:
        """Median, min and max; with `lines`, the throughput of the median run too."""
        low, high = min(self.samples), max(self.samples)
        text = f"{self.median:7.3f} s  (min {low:.3f}, max {high:.3f})"
        if lines is not None and self.median > 0:
            text += f"  {lines / self.median:>11,.0f} lines/s"
        return text


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    ok: frozenset[int] = frozenset({0})


@dataclass(frozen=True)
class Group:
    """Paths checked together in one command."""

    name: str
    trees: tuple[corpus.Tree, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(str(tree.path) for tree in self.trees)


def find_ruff() -> str | None:
    """ruff from the environment running the benchmark, else from PATH."""
    beside = Path(sys.executable).parent
    return shutil.which("ruff", path=str(beside)) or shutil.which("ruff")


def ours(paths: Sequence[str], cache: bool) -> Command:
    argv = [sys.executable, "-m", "fastapi_practices", "check", *paths]
    argv += ["--output-format", "json", "--exit-zero"]
    return Command(tuple(argv if cache else [*argv, "--no-cache"]))


def ruff(executable: str, paths: Sequence[str]) -> Command:
    argv = (executable, "check", "--isolated", "--no-cache", "--select", RUFF_SELECT, *paths)
    return Command(argv, ok=frozenset({0, 1}))  # 1: it found something


def run_once(command: Command, timeout: float) -> float:
    """Seconds the command took (output to /dev/null). Raises TimedOut or RuntimeError.

    The command runs in a session of its own, so that on a timeout its worker processes are
    stopped with it rather than left running.
    """
    started = time.perf_counter()
    with subprocess.Popen(
        command.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    ) as process:
        try:
            _, errors = process.communicate(timeout=timeout)
        except BaseException as error:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            if isinstance(error, subprocess.TimeoutExpired):
                raise TimedOut(f"timed out after {timeout:.0f} s") from None
            raise
    elapsed = time.perf_counter() - started
    if process.returncode not in command.ok:
        tail = errors.decode(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{command.argv[:4]} exited {process.returncode}: " + " | ".join(tail))
    return elapsed


def measure(commands: dict[str, Command], runs: int, timeout: float) -> dict[str, Figure]:
    """Interleaved runs: each round runs every command once."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run_once(command, timeout))
    return {name: Figure(tuple(values)) for name, values in samples.items()}


def files_seen_by_ruff(executable: str, paths: Sequence[str]) -> int:
    argv = [executable, "check", "--isolated", "--no-cache", "--select", RUFF_SELECT]
    listed = subprocess.run(
        [*argv, "--show-files", *paths], capture_output=True, text=True, check=True
    )
    return sum(1 for line in listed.stdout.splitlines() if line.endswith(".py"))


def files_seen_by_ours(paths: Sequence[str]) -> int:
    found = discover(paths, ProjectResolver(RuleSelection()))
    return sum(1 for source in found.files if source.path.suffix == ".py")


def _clean(paths: Sequence[str]) -> None:
    argv = [sys.executable, "-m", "fastapi_practices", "clean", *paths]
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)


def _line(label: str, text: str) -> None:
    print(f"  {label:<22}{text}", flush=True)


def bench_group(group: Group, ruff_executable: str | None, runs: int, timeout: float) -> None:
    sizes = [tree.size() for tree in group.trees]
    files, lines = sum(size[0] for size in sizes), sum(size[1] for size in sizes)
    print(f"{group.name}: {files:,} files, {lines:,} lines", flush=True)
    seen = files_seen_by_ours(group.paths)
    seen_by_ruff = files_seen_by_ruff(ruff_executable, group.paths) if ruff_executable else files
    if seen != files or seen_by_ruff != files:
        _line("warning", f"files checked: ours {seen}, ruff {seen_by_ruff}, on disk {files}")
    commands = {"ours cold": ours(group.paths, cache=False)}
    if ruff_executable:
        commands["ruff cold"] = ruff(ruff_executable, group.paths)
    try:
        cold = measure(commands, runs, timeout)
    except TimedOut as error:
        _line("ours cold", f"{error}; warm runs skipped")
        return
    for name, figure in cold.items():
        _line(name, figure.describe(lines))
    if "ruff cold" in cold:
        ratio = cold["ours cold"].median / cold["ruff cold"].median
        _line("ours/ruff", f"{ratio:7.1f} x")
    try:
        _bench_warm(group, runs, timeout)
    except TimedOut as error:
        _line("ours warm", str(error))


def _bench_warm(group: Group, runs: int, timeout: float) -> None:
    _clean(group.paths)
    first = run_once(ours(group.paths, cache=True), timeout)
    _line("ours, writing cache", f"{first:7.3f} s  (one run)")
    if not all((tree.path / CACHE_DIR).is_dir() for tree in group.trees):
        _line("warning", f"no {CACHE_DIR}/ after the first run: warm runs are not warm")
    warm, misses = _warm_runs(group, runs, timeout)
    _line("ours warm", warm.describe())
    if misses:
        _line("warning", f"{misses} of {runs} warm runs rewrote the cache (the tool changed?)")


def _cache_files(group: Group) -> dict[Path, int]:
    return {
        path: path.stat().st_mtime_ns
        for tree in group.trees
        for path in (tree.path / CACHE_DIR).glob("results-*.json")
    }


def _warm_runs(group: Group, runs: int, timeout: float) -> tuple[Figure, int]:
    """Runs with the cache, and how many of them rewrote it (a miss, so not a warm run)."""
    command = ours(group.paths, cache=True)
    samples, misses = [], 0
    for _ in range(runs):
        before = _cache_files(group)
        samples.append(run_once(command, timeout))
        misses += _cache_files(group) != before
    return Figure(tuple(samples)), misses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per figure")
    parser.add_argument(
        "--files",
        type=int,
        default=corpus.DEFAULT_SYNTHETIC_FILES,
        help="files of the synthetic project (0: leave it out)",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds allowed to one run"
    )
    args = parser.parse_args(argv)
    registry = tuple(corpus.registry_trees())
    groups = [Group(tree.name, (tree,)) for tree in registry]
    groups.append(Group("registry corpus, one command", registry))
    if args.files > 0:
        groups.append(Group("synthetic", (corpus.synthetic(corpus.CORPUS_DIR, args.files),)))
    ruff_executable = find_ruff()
    ruff_version = "not installed: ruff figures left out"
    if ruff_executable:
        ruff_version = subprocess.run(
            [ruff_executable, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    print(
        f"CLI over the corpus: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"fastapi-practices {fastapi_practices.__version__}, {ruff_version}; "
        f"median of {args.runs} runs (min, max); load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"targets for the registry corpus: cold >= {TARGET_LINES_PER_SECOND:,} lines/s, "
        f"ours/ruff <= {TARGET_RATIO:.0f} x, warm <= {TARGET_WARM_SECONDS:.0f} s"
    )
    for group in groups:
        bench_group(group, ruff_executable, args.runs, args.timeout)


if __name__ == "__main__":
    main(sys.argv[1:])
