"""A copy of the seed-like fixture project per test, so tests may edit it freely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEED_LIKE = Path(__file__).parent.parent / "fixtures" / "workspace" / "seed_like"


@pytest.fixture
def seed_like(tmp_path: Path) -> Path:
    target = tmp_path / "seed_like"
    shutil.copytree(SEED_LIKE, target)
    return target
