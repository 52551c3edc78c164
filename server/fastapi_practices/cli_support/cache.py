"""The `check` result cache: `.fastapi_practices_cache/` at each project root.

A file's findings depend on other files too (imports are followed, and some rules read the
whole project), so the cache is kept per project and trusted only as a whole: its key covers
the tool's own code, the settings and options, and the content of every file the run
discovered in that project. When nothing changed, every file is a hit and no
file is parsed; any change makes the next run check the project afresh.

Entries are JSON, never pickle: a cache directory can come from a cloned repository, and
loading it must not run anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import fastapi_practices
from fastapi_practices import __version__
from fastapi_practices.config import Settings
from fastapi_practices.model import (
    Applicability,
    Finding,
    FixOption,
    Position,
    Range,
    RelatedLocation,
    Severity,
    TextEdit,
)

logger = logging.getLogger(__name__)

CACHE_DIR = ".fastapi_practices_cache"
_FORMAT = 2
_OTHER_INPUTS = ("pytest.ini", "setup.cfg", "tox.ini")
"""Files outside the run's list that rules read (FBP803 reads pytest's `asyncio_mode`)."""

Entry = tuple[tuple[Finding, ...], tuple[tuple[TextEdit, ...] | None, ...]]


def _tool_fingerprint() -> str:
    """The version and every source file of the installed tool (so edits to rules count)."""
    package = Path(fastapi_practices.__file__).parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def _content_line(path: Path, texts: Mapping[Path, str]) -> str:
    text = texts.get(path)
    if text is not None:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
        return f"{path}:{digest.hexdigest()}"
    try:
        info = path.stat()
    except OSError:
        return f"{path}:-"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def project_key(
    root: Path, settings: Settings, options: Sequence[object], texts: Mapping[Path, str]
) -> str:
    """The key of a project's results: the tool, the settings and options, and the content of
    every file of the run (`texts`; files that could not be read count by size and time)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{_FORMAT}|{_tool_fingerprint()}|{settings!r}|{options!r}".encode())
    for path in sorted({*texts, *(root / name for name in _OTHER_INPUTS)}):
        digest.update(_content_line(path, texts).encode())
        digest.update(b"\n")
    return digest.hexdigest()


class ProjectCache:
    """The cached results of one project for one key; empty when the key does not match."""

    def __init__(self, root: Path, key: str, variant: object = None) -> None:
        self.root = root
        self.key = key
        self.variant = hashlib.blake2b(repr(variant).encode(), digest_size=6).hexdigest()
        """Runs with different output options keep separate results (json builds fix edits)."""
        self.entries: dict[str, Entry] = {}
        self._loaded = self._load()

    @property
    def directory(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def file(self) -> Path:
        return self.directory / f"results-{_FORMAT}-{self.variant}.json"

    def _load(self) -> bool:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("key") != self.key:
                return False
            self.entries = {
                name: (
                    tuple(_finding(item) for item in entry["findings"]),
                    tuple(_edits(item) for item in entry["fix_edits"]),
                )
                for name, entry in data["files"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries = {}
            return False
        return True

    def get(self, path: Path) -> Entry | None:
        return self.entries.get(self._name(path)) if self._loaded else None

    def put(self, path: Path, entry: Entry) -> None:
        self.entries[self._name(path)] = entry

    def _name(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path.resolve())

    def save(self) -> None:
        """Write the cache atomically; a project that cannot be written to just stays uncached."""
        data = {
            "key": self.key,
            "files": {
                name: {
                    "findings": [_finding_data(f) for f in findings],
                    "fix_edits": [_edits_data(e) for e in edits],
                }
                for name, (findings, edits) in self.entries.items()
            },
        }
        try:
            self.directory.mkdir(exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by fastapi-practices.\n*\n", encoding="utf-8")
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(temporary, self.file)
        except OSError as error:
            logger.info("%s: cache not written (%s)", self.directory, error)


def clean(paths: Iterable[Path]) -> list[Path]:
    """Remove every cache directory under `paths`; the directories removed."""
    import shutil

    removed = []
    for base in paths:
        for directory in (base / CACHE_DIR, *base.rglob(CACHE_DIR)):
            if directory.is_dir() and not directory.is_symlink() and directory not in removed:
                shutil.rmtree(directory, ignore_errors=True)
                removed.append(directory)
    return removed


def _range_data(rng: Range) -> list[int]:
    return [rng.start.line, rng.start.column, rng.end.line, rng.end.column]


def _range(data: list[int]) -> Range:
    return Range(Position(data[0], data[1]), Position(data[2], data[3]))


def _finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "severity": finding.severity.value,
        "range": _range_data(finding.range),
        "fixes": [
            [f.kind, f.title, f.applicability.value, f.is_preferred, f.editor_only]
            for f in finding.fixes
        ],
        "related": [[r.path, _range_data(r.range), r.message] for r in finding.related],
    }


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(
        code=data["code"],
        name=data["name"],
        message=data["message"],
        severity=Severity(data["severity"]),
        range=_range(data["range"]),
        fixes=tuple(
            FixOption(kind, title, Applicability(applicability), bool(preferred), bool(editor))
            for kind, title, applicability, preferred, editor in data["fixes"]
        ),
        related=tuple(
            RelatedLocation(path, _range(rng), message) for path, rng, message in data["related"]
        ),
    )


def _edits_data(edits: tuple[TextEdit, ...] | None) -> list[Any] | None:
    if edits is None:
        return None
    return [[_range_data(edit.range), edit.new_text] for edit in edits]


def _edits(data: list[Any] | None) -> tuple[TextEdit, ...] | None:
    if data is None:
        return None
    return tuple(TextEdit(_range(rng), text) for rng, text in data)
