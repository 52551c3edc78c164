"""What the real-editor smoke tests share: a copy of the sample project, a clean environment,
one editor run that writes a JSON report, and the checks every editor must pass."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ROUTER = Path("src") / "products" / "router.py"


@dataclass(frozen=True)
class SmokeRun:
    report: dict[str, Any]
    target: Path
    stderr: str


def run_editor(tmp_path: Path, command: list[str]) -> SmokeRun:
    """Run `command` in a copy of examples/shop; the editor script reads FBP_* variables."""
    project = tmp_path / "shop"
    shutil.copytree(REPO / "examples" / "shop", project)
    target = project / ROUTER
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
    completed = subprocess.run(
        command,
        env=env,
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report_path.exists(), f"the editor wrote no report:\n{completed.stderr}"
    return SmokeRun(json.loads(report_path.read_text()), target, completed.stderr)


def assert_sleep_fixed_in_buffer_only(run: SmokeRun) -> None:
    """Diagnostics arrived, the FBP201 quick fix changed the buffer, and nothing was saved."""
    assert run.report["errors"] == [], run.stderr
    assert {"FBP201", "FBP202", "FBP203", "FBP204"} <= set(run.report["codes"])
    assert run.report["fixed"] and run.report["changed"]
    assert "await asyncio.sleep(0.5)" in run.report["text"]
    assert "time.sleep(0.5)" not in run.report["text"]
    assert run.target.read_text() == (REPO / "examples" / "shop" / ROUTER).read_text()
