"""Generated programs (hypothesmith): valid Python that the engine must never call invalid."""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable

import hypothesmith
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from fuzz.cases import with_program
from fuzz.properties import Failure, check_engine
from fuzz.roundtrip import RoundTrip, round_trip
from fuzz.seeds import Seed
from fuzz.targets import target_for

PROGRAMS = st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node())


def check_program(name: str, program: str, seed: Seed, rng: random.Random) -> RoundTrip:
    """The program alone, and pasted into a real module: no crash, no FBP001 on valid code,
    and the fix round trip on what it finds."""
    result = RoundTrip()
    for label, text in (("alone", program), (seed.name, with_program(seed, program, rng))):
        case = f"{name} ({label})"
        target = target_for(seed)
        findings, problems = check_engine(case, text, target)
        result.failures.extend(problems)
        syntax_errors = [f for f in findings if f.code == "FBP001"]
        if syntax_errors and _compiles(text) and "nests too deeply" not in syntax_errors[0].message:
            result.failures.append(
                Failure(case, f"valid code reported as FBP001: {syntax_errors[0].message}", text)
            )
        if findings and not problems:
            trip = round_trip(case, text, target, findings)
            result.fixes_applied += trip.fixes_applied
            result.fixes_declined += trip.fixes_declined
            result.failures.extend(trip.failures)
    return result


def _compiles(text: str) -> bool:
    try:
        compile(text, "<generated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def run_programs(
    examples: int,
    seeds: list[Seed],
    seed: int,
    on_result: Callable[[RoundTrip], None],
    deadline: float = float("inf"),
) -> None:
    """Run `examples` generated programs through `check_program` (deterministic per seed);
    past `deadline` (a `time.perf_counter()` value) the rest are skipped."""
    rng = random.Random(seed)
    python_seeds = [s for s in seeds if s.is_python]
    counter = iter(range(10**9))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # failures are collected, not raised: nothing to shrink
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_seed(seed)
    @given(program=PROGRAMS)
    def property_holds(program: str) -> None:
        if time.perf_counter() > deadline:
            return
        number = next(counter)
        on_result(check_program(f"program #{number}", program, rng.choice(python_seeds), rng))

    with warnings.catch_warnings():
        # hypothesmith compiles what it generates; its `1if x` warnings are not ours.
        warnings.simplefilter("ignore", SyntaxWarning)
        property_holds()
