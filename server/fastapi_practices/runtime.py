"""Process-wide tuning for the CLI and the server (never called by the engine itself)."""

from __future__ import annotations

import gc

_GEN0_THRESHOLD = 50_000


def tune_gc() -> None:
    """Collect less often: syntax trees are many small objects that die together.

    With the default threshold, building the `ast` of a large module triggers many full
    collections that walk every live object; this halves analysis time on 8,000-line files.
    """
    gc.freeze()
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, _GEN0_THRESHOLD), max(gen1, 20), max(gen2, 20))
