"""`python -m fastapi_practices` as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import SLEEPY_ROUTE, project


def test_python_dash_m_check(tmp_path: Path) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    completed = subprocess.run(
        [sys.executable, "-m", "fastapi_practices", "check", "--format", "concise", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.splitlines()[0].startswith("app/main.py:9:5: FBP201 [*] ")
    assert completed.stderr == ""


def test_serve_stdio_answers_initialize() -> None:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
    )
    request = f"Content-Length: {len(body)}\r\n\r\n{body}".encode()
    completed = subprocess.run(
        [sys.executable, "-m", "fastapi_practices", "serve", "--stdio"],
        input=request,
        capture_output=True,
        timeout=120,
        check=False,
    )
    header, _, payload = completed.stdout.partition(b"\r\n\r\n")
    assert header.startswith(b"Content-Length: ")
    length = int(header.split(b"\r\n")[0].split(b":")[1])
    response = json.loads(payload[:length])
    assert response["id"] == 1
    assert "capabilities" in response["result"]


def test_a_terminal_without_unicode_gets_escapes_not_a_crash() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "fastapi_practices", "rules"],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert completed.returncode == 0, completed.stderr
    assert b"FBP001  syntax-error" in completed.stdout
    assert b"\\u2014" in completed.stdout
