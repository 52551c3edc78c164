"""The fix round trip over every fixture, example and generated file (and their CRLF twins):
each fix alone gives a file that parses, keeps every byte outside its edits and loses its
finding; fix-all parses and is idempotent. Cross-file fixes are checked through
`build_workspace_fix`, with every file they touch parsing afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import generate_module
from fuzz.roundtrip import RoundTrip, round_trip
from fuzz.seeds import Seed, example_seeds, file_seeds
from fuzz.targets import target_for

FILES = file_seeds()


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _assert_clean(trip: RoundTrip) -> None:
    assert not trip.failures, "\n\n".join(str(f) for f in trip.failures[:5])


@pytest.mark.parametrize("seed", FILES, ids=[s.name for s in FILES])
def test_every_fixture_and_example_file(seed: Seed) -> None:
    target = target_for(seed)
    for variant, text in (("", seed.text), (" (CRLF)", _crlf(seed.text))):
        _assert_clean(round_trip(seed.name + variant, text, target))


def test_every_rule_example(tmp_path: Path) -> None:
    applied = 0
    cross_file = 0
    for seed in example_seeds():
        target = target_for(seed, tmp_path)
        trip = round_trip(seed.name, seed.text, target)
        _assert_clean(trip)
        applied += trip.fixes_applied
        findings = target.analyze(seed.text)
        cross_file += sum(1 for f in findings for option in f.fixes if option.editor_only)
    assert applied > 100
    assert cross_file > 0, "no cross-file fix was exercised"


def test_the_sample_project_fixes_something() -> None:
    """The harness is not vacuous: the shop's files do get fixes applied."""
    shop = [seed for seed in FILES if seed.name.startswith("shop/")]
    assert sum(round_trip(s.name, s.text, target_for(s)).fixes_applied for s in shop) > 10


def test_generated_module() -> None:
    seed = next(s for s in FILES if s.name == "shop/src/products/router.py")
    text = generate_module(200)
    for variant in (text, _crlf(text)):
        trip = round_trip("generated module", variant, target_for(seed))
        _assert_clean(trip)
        assert trip.fixes_applied > 0
