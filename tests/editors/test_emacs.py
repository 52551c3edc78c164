"""Real-editor smoke test: headless Emacs 28 with Eglot talks to the server over stdio."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("emacs_smoke.el")


def test_emacs_eglot_receives_diagnostics_and_applies_a_quick_fix(tmp_path: Path) -> None:
    emacs = shutil.which("emacs")
    assert emacs, "emacs is required: run scripts/ensure-editors.sh (make test does)"
    project = tmp_path / "shop"
    shutil.copytree(REPO / "examples" / "shop", project)
    target = project / "src" / "products" / "router.py"
    report_path = tmp_path / "report.json"
    env = {
        "FBP_REPORT": str(report_path),
        "FBP_TARGET": str(target),
        "FBP_PYTHON": sys.executable,
        "FBP_FIX_CODE": "FBP201",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    # No -Q: Debian's site-start puts elpa-eglot on the load path.
    completed = subprocess.run(
        [emacs, "--batch", "-l", str(SCRIPT)],
        env=env,
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report_path.exists(), f"emacs wrote no report:\n{completed.stderr}"
    report = json.loads(report_path.read_text())
    assert report["errors"] == [], completed.stderr
    assert {"FBP201", "FBP202", "FBP203", "FBP204"} <= set(report["codes"])
    assert report["title"] == "Replace with `await asyncio.sleep(...)`"
    assert report["fixed"] and report["changed"]
    assert "    await asyncio.sleep(0.5)  # give the search cluster a moment" in report["text"]
    assert "time.sleep(0.5)" not in report["text"]
    assert "import asyncio\n" in report["text"]
    assert target.read_text() == (REPO / "examples/shop/src/products/router.py").read_text()
