"""`python -m fuzz engine`: the long engine run, printing cases/s and every failure."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable

from fuzz import cases
from fuzz.programs import run_programs
from fuzz.properties import Failure, check_engine
from fuzz.roundtrip import RoundTrip, round_trip
from fuzz.seeds import all_seeds, file_seeds
from fuzz.targets import target_for

TRUNCATE_EVERY = 13
PROGRAM_SHARE = 0.02
"""Of the budget, how much goes to generated programs (they are slower to make)."""


class Tally:
    def __init__(self) -> None:
        self.cases = 0
        self.applied = 0
        self.declined = 0
        self.failures: list[Failure] = []
        self.started = time.perf_counter()

    def add(self, trip: RoundTrip, count: int = 1) -> None:
        self.cases += count
        self.applied += trip.fixes_applied
        self.declined += trip.fixes_declined
        self.failures.extend(trip.failures)

    def line(self, phase: str) -> str:
        elapsed = time.perf_counter() - self.started
        return (
            f"{phase:12} {self.cases:>8} cases  {self.cases / max(elapsed, 1e-9):>7.0f} cases/s  "
            f"{len(self.failures)} failures  fixes applied {self.applied}, "
            f"declined {self.declined}"
        )


def _run(tally: Tally, items: Iterable[cases.Case], deadline: float, fixes: bool = True) -> None:
    for case in items:
        if time.perf_counter() > deadline:
            return
        target = target_for(case.seed)
        findings, problems = check_engine(case.name, case.text, target)
        trip = RoundTrip(failures=problems)
        if fixes and findings and not problems:
            trip = round_trip(case.name, case.text, target, findings)
        tally.add(trip)


def main(budget: int, seconds: float | None, seed: int, no_giants: bool) -> int:
    deadline = time.perf_counter() + (seconds if seconds is not None else float("inf"))
    seeds = all_seeds()
    files = file_seeds()
    print(f"seeds: {len(files)} fixture/example files, {len(seeds) - len(files)} rule examples")
    tally = Tally()
    if not no_giants:
        for case in cases.giants(next(s for s in files if s.name.endswith("products/router.py"))):
            started = time.perf_counter()
            _run(tally, [case], float("inf"), fixes=False)
            print(f"  giant {case.name}: {time.perf_counter() - started:.2f}s", flush=True)
        print(tally.line("giants"), flush=True)
    _run(tally, cases.truncated(files, TRUNCATE_EVERY), deadline)
    print(tally.line("truncations"), flush=True)
    programs = int(budget * PROGRAM_SHARE)
    run_programs(programs, seeds, seed, tally.add, deadline)
    print(tally.line("programs"), flush=True)
    rng = random.Random(seed)
    remaining = max(budget - tally.cases, 0)
    chunk = 5_000
    while remaining > 0 and time.perf_counter() < deadline:
        _run(tally, cases.mutated(seeds, rng, min(chunk, remaining)), deadline)
        remaining = max(budget - tally.cases, 0)
        print(tally.line("mutations"), flush=True)
    print(f"\nseed {seed}: {tally.line('total')}")
    grouped = Counter(f"{f.problem}" for f in tally.failures)
    shown: set[str] = set()
    for failure in tally.failures:
        if failure.problem in shown:
            continue
        shown.add(failure.problem)
        print(f"\n[{grouped[failure.problem]}x] {failure}")
    return 1 if tally.failures else 0
