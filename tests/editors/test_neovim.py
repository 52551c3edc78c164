"""Real-editor smoke test: headless Neovim (Debian's 0.7.2) talks to the server over stdio."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.editors.smoke import assert_sleep_fixed_in_buffer_only, run_editor

SCRIPT = Path(__file__).with_name("nvim_smoke.lua")


def test_neovim_receives_diagnostics_and_applies_a_quick_fix(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    assert nvim, "nvim is required: run scripts/ensure-editors.sh (make test does)"
    run = run_editor(
        tmp_path, [nvim, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {SCRIPT}"]
    )
    assert_sleep_fixed_in_buffer_only(run)
