"""`python -m fuzz TARGET`: the long runs of the reliability harness, with printed figures.

  engine   mutated fixtures and examples, hypothesmith programs and giant inputs: analyze()
           never raises and its findings are well formed; then the fix round trip on each
  lsp      an LSP soak: thousands of random edits and requests against a real server process

Each run stops after its budget and exits 1 when anything failed; every failure names its case
and the seed that reproduces it.
"""

from __future__ import annotations

import argparse
import sys

from fuzz import engine_run, lsp_run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.splitlines()[0])
    targets = parser.add_subparsers(dest="target", required=True)

    engine = targets.add_parser("engine", help="fuzz analyze() and the fix round trip")
    engine.add_argument("--budget", type=int, default=20_000, help="cases (default 20000)")
    engine.add_argument("--seconds", type=float, default=None, help="stop after this long")
    engine.add_argument("--seed", type=int, default=0)
    engine.add_argument("--no-giants", action="store_true", help="skip the giant inputs")

    lsp = targets.add_parser("lsp", help="soak a real server process")
    lsp.add_argument("--edits", type=int, default=5_000, help="random actions (default 5000)")
    lsp.add_argument("--seed", type=int, default=0)

    args = parser.parse_args(argv)
    if args.target == "engine":
        return engine_run.main(args.budget, args.seconds, args.seed, args.no_giants)
    return lsp_run.main(args.edits, args.seed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
