"""What the fuzzers start from: every fixture and example file, and every rule example."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import all_rules

REPO = Path(__file__).resolve().parents[1]
PROJECTS = (
    REPO / "examples" / "shop",
    REPO / "tests" / "fixtures" / "structure" / "domains",
    REPO / "tests" / "fixtures" / "structure" / "flat",
    REPO / "tests" / "fixtures" / "workspace" / "seed_like",
)
DATA_FILE_NAMES = frozenset({"alembic.ini", "pyproject.toml"})
SKIPPED_DIRS = frozenset({".fastapi_practices_cache", "__pycache__"})


@dataclass(frozen=True)
class Seed:
    """One file's text, where it lives (relative to its project) and its project's other files."""

    name: str
    relative: str
    text: str
    project: Path | None = None
    """The project on disk holding the file, or None for a rule example."""
    files: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """A rule example's other files (written next to it when it runs inside a project)."""

    @property
    def is_python(self) -> bool:
        return self.relative.endswith(".py")


def project_files(project: Path) -> list[Path]:
    """The Python files and the data files some rules read, in a stable order."""
    found = []
    for path in sorted(project.rglob("*")):
        if any(part in SKIPPED_DIRS for part in path.relative_to(project).parts):
            continue
        if path.is_file() and (path.suffix == ".py" or path.name in DATA_FILE_NAMES):
            found.append(path)
    return found


def file_seeds() -> list[Seed]:
    """Every fixture and example file."""
    seeds = []
    for project in PROJECTS:
        for path in project_files(project):
            relative = path.relative_to(project).as_posix()
            seeds.append(
                Seed(
                    name=f"{project.name}/{relative}",
                    relative=relative,
                    text=path.read_text(encoding="utf-8"),
                    project=project,
                )
            )
    return seeds


def example_seeds() -> list[Seed]:
    """The code of every rule example (valid and invalid)."""
    seeds = []
    for rule in all_rules():
        for number, example in enumerate(rule.examples):
            if not isinstance(example, (Valid, Invalid)):
                continue
            seeds.append(
                Seed(
                    name=f"{rule.code}-{number}",
                    relative=example.path,
                    text=example.code,
                    files=dict(example.files),
                )
            )
    return seeds


def all_seeds() -> list[Seed]:
    return [*file_seeds(), *example_seeds()]
