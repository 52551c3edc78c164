"""A bounded engine fuzz run (the long one is `python -m fuzz engine`): analyze() never raises,
gives well-formed findings (or one FBP001 / FBP002), and every fix it offers round-trips."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import pytest

from fuzz import cases
from fuzz.programs import run_programs
from fuzz.properties import Failure, check_engine
from fuzz.roundtrip import RoundTrip, round_trip
from fuzz.seeds import all_seeds, file_seeds
from fuzz.targets import target_for

SEEDS = all_seeds()
FILES = file_seeds()
MUTATION_ROUNDS = 4
CASES_PER_ROUND = 400
# The parser's warnings about fuzzed code (`"\d"`): the engine silences them, but pytest resets
# warning filters around each test.
pytestmark = pytest.mark.filterwarnings("ignore:::<unknown>")


def _run(items: Iterable[cases.Case], workdir: Path | None = None) -> tuple[int, list[Failure]]:
    count = 0
    failures: list[Failure] = []
    for case in items:
        target = target_for(case.seed, workdir)
        findings, problems = check_engine(case.name, case.text, target)
        failures.extend(problems)
        if findings and not problems:
            failures.extend(round_trip(case.name, case.text, target, findings).failures)
        count += 1
    return count, failures


def _report(failures: list[Failure]) -> str:
    return "\n\n".join(str(f) for f in failures[:5])


@pytest.mark.parametrize("round_number", range(MUTATION_ROUNDS))
def test_mutated_seeds(round_number: int, tmp_path: Path) -> None:
    rng = random.Random(round_number)
    count, failures = _run(cases.mutated(SEEDS, rng, CASES_PER_ROUND), tmp_path)
    assert count == CASES_PER_ROUND
    assert not failures, _report(failures)


def test_truncation_at_every_nth_byte() -> None:
    count, failures = _run(cases.truncated(FILES, every=31))
    assert count > 500
    assert not failures, _report(failures)


GIANT_SAMPLE = next(s for s in FILES if s.name == "shop/tests/conftest.py")
# A 5 MB call with 1.7 million arguments costs ~8 s of plain traversal; the long run has it.
GIANTS = [c for c in cases.giants(GIANT_SAMPLE) if not c.name.endswith("5mb-call-line")]


@pytest.mark.parametrize("case", GIANTS, ids=[c.name.split()[-1] for c in GIANTS])
def test_giant_input(case: cases.Case) -> None:
    findings, failures = check_engine(case.name, case.text, target_for(case.seed))
    assert not failures, _report(failures)
    if "nest" in case.name and findings and findings[0].code == "FBP001":
        assert "nests too deeply" in findings[0].message or "Syntax error" in findings[0].message


def test_deep_but_valid_nesting_is_one_clear_finding() -> None:
    """Python parses 500 nested lambdas, deeper than the rules can follow: one FBP001 that
    says so, not a crash."""
    text = "f = " + "lambda: " * 500 + "0\n"
    findings, failures = check_engine("500 lambdas", text, target_for(GIANT_SAMPLE))
    assert not failures
    assert [(f.code, f.message) for f in findings] == [
        ("FBP001", "Cannot check file: the code nests too deeply for fastapi-practices to follow")
    ]


def test_generated_programs() -> None:
    """hypothesmith programs, alone and pasted into real modules."""
    results: list[RoundTrip] = []
    run_programs(40, SEEDS, seed=0, on_result=results.append)
    failures = [f for trip in results for f in trip.failures]
    assert len(results) == 40
    assert not failures, _report(failures)
