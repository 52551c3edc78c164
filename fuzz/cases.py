"""Fuzz cases: a name that says how to rebuild it, the text, and the seed file it came from."""

from __future__ import annotations

import ast
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fuzz.mutations import giant_inputs, mutate, splice, truncations
from fuzz.seeds import Seed


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    seed: Seed


def mutated(seeds: Sequence[Seed], rng: random.Random, count: int) -> Iterator[Case]:
    """`count` seeds, each broken by one to four random mutations (sometimes a splice too)."""
    for number in range(count):
        seed = rng.choice(seeds)
        text, applied = mutate(seed.text, rng, rng.randint(1, 4))
        if rng.random() < 0.2:
            text = splice(text, rng.choice(seeds).text, rng)
            applied.append("splice")
        yield Case(f"#{number} {seed.name} {'+'.join(applied)}", text, seed)


def truncated(seeds: Sequence[Seed], every: int) -> Iterator[Case]:
    for seed in seeds:
        for number, text in enumerate(truncations(seed.text, every), start=1):
            yield Case(f"{seed.name} cut at byte {number * every}", text, seed)


def giants(seed: Seed) -> Iterator[Case]:
    for name, text in giant_inputs(seed.text).items():
        yield Case(f"{seed.name} {name}", text, seed)


def with_program(seed: Seed, program: str, rng: random.Random) -> str:
    """A generated program pasted between two top-level statements of a Python seed."""
    try:
        tree = ast.parse(seed.text)
    except SyntaxError:
        return seed.text + "\n" + program
    starts = [node.lineno - 1 for node in tree.body]
    for node in tree.body:
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            starts.remove(node.lineno - 1)
            starts.append(decorators[0].lineno - 1)
    text = seed.text if seed.text.endswith("\n") else seed.text + "\n"
    lines = text.splitlines(keepends=True)
    at = rng.choice([*starts, len(lines)])
    pasted = program if program.endswith("\n") else program + "\n"
    return "".join(lines[:at]) + pasted + "".join(lines[at:])
