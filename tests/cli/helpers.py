"""Small projects on disk and a way to run the CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi_practices.cli import main

SLEEPY_ROUTE = (
    "import time\n"
    "from fastapi import APIRouter\n"
    "\n"
    "router = APIRouter()\n"
    "\n"
    "\n"
    '@router.get("/slow")\n'
    "async def slow():\n"
    "    time.sleep(2)\n"
    '    return {"ok": True}\n'
)
FIXED_ROUTE = (
    "import time\n"
    "from fastapi import APIRouter\n"
    "import asyncio\n"
    "\n"
    "router = APIRouter()\n"
    "\n"
    "\n"
    '@router.get("/slow")\n'
    "async def slow():\n"
    "    await asyncio.sleep(2)\n"
    '    return {"ok": True}\n'
)
CLEAN_MODULE = "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"
ONLY_SLEEP = '[tool.fastapi-practices]\nselect = ["FBP201"]\n'
"""Other rules are being added in parallel; the CLI tests look at FBP201 alone."""


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    code = main(list(argv))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def project(root: Path, files: dict[str, str], config: str = ONLY_SLEEP) -> Path:
    write(root, "pyproject.toml", f'[project]\nname = "demo"\n\n{config}')
    for relative, text in files.items():
        write(root, relative, text)
    return root
