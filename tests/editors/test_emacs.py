"""Real-editor smoke test: headless Emacs 28 with Eglot talks to the server over stdio."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.editors.smoke import assert_sleep_fixed_in_buffer_only, run_editor

SCRIPT = Path(__file__).with_name("emacs_smoke.el")


def test_emacs_eglot_receives_diagnostics_and_applies_a_quick_fix(tmp_path: Path) -> None:
    emacs = shutil.which("emacs")
    assert emacs, "emacs is required: run scripts/ensure-editors.sh (make test does)"
    # No -Q: Debian's site-start puts elpa-eglot on the load path.
    run = run_editor(tmp_path, [emacs, "--batch", "-l", str(SCRIPT)])
    assert_sleep_fixed_in_buffer_only(run)
    assert run.report["title"] == "Replace with `await asyncio.sleep(...)`"
    assert "    await asyncio.sleep(0.5)  # give the search cluster a moment" in run.report["text"]
    assert "import asyncio\n" in run.report["text"]
