"""Where a fuzzed text is analysed: its path, settings and workspace, as the CLI would give them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import Settings, load_project
from fastapi_practices.engine import analyze
from fastapi_practices.model import Finding
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext

from fuzz.seeds import Seed

ALL_RULES = Settings(select=("ALL",))


@dataclass(frozen=True)
class Target:
    path: Path
    settings: Settings
    workspace: WorkspaceContext

    def analyze(self, text: str) -> list[Finding]:
        return analyze(text, self.path, self.settings, self.workspace)


@cache
def _project(root: Path) -> tuple[Settings, WorkspaceContext]:
    project = load_project(root / "pyproject.toml")
    settings = replace(project.settings, select=("ALL",))
    return settings, ProjectIndexes({project.root: settings}).get(project.root)


def target_for(seed: Seed, workdir: Path | None = None) -> Target:
    """A project file is analysed with its project's settings and index (every rule on); a rule
    example on its own, at its example path, or, when it has other files and `workdir` is
    given, inside a project written there (as the rule examples' own tests do)."""
    if seed.project is not None:
        settings, workspace = _project(seed.project.resolve())
        return Target(seed.project.resolve() / seed.relative, settings, workspace)
    if seed.files and workdir is not None:
        root = _example_project(seed, workdir)
        settings, workspace = _project(root)
        return Target(root / seed.relative, settings, workspace)
    return Target(Path(seed.relative), ALL_RULES, EMPTY_WORKSPACE)


def _example_project(seed: Seed, workdir: Path) -> Path:
    root = (workdir / seed.name).resolve()
    if not root.exists():
        files = {"pyproject.toml": '[project]\nname = "example"\n', **seed.files}
        for relative, text in {**files, seed.relative: seed.text}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root
