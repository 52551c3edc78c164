"""The benchmark corpus: real FastAPI code from PyPI and a synthetic domain-based project.

`python -m bench.corpus [--files N]` fills `bench/.corpus/` (git-ignored):

- `downloads/`: the archives, fetched once with `pip download --no-deps` and kept;
- `fastapi-docs/docs_src/`: the ~490 small tutorial apps of the fastapi sdist;
- `lnbits/lnbits/`: the application package of the lnbits sdist (with its pyproject.toml);
- `open-webui/open_webui/`: the backend of the open-webui wheel (~106 MB; only `*.py` kept);
- `synthetic/`: a generated domain-based project of about N files, with hits of every family.

Only Python files are extracted, so both linters see exactly the same files. Each tree is a
project of its own, with a pyproject.toml: the root of its settings and of its result cache.
`bench/.corpus/` holds an empty `.git` directory, which makes it a repository root of its own:
without it the repository's `.gitignore`, which ignores `bench/.corpus/`, would hide every file
from our discovery (ruff does not apply it to the paths given on its command line). Re-running
does nothing for what is already there.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bench.generate import count_lines, generate_project

CORPUS_DIR = Path(__file__).resolve().parent / ".corpus"
DEFAULT_SYNTHETIC_FILES = 500
SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class Source:
    """One registry distribution and the part of it the benchmark checks."""

    tree: str
    project: str
    version: str
    wheel: bool
    package: str
    """The folder of the archive to extract (inside the sdist's top folder for an sdist)."""
    keep_pyproject: bool = False
    """Use the distribution's own pyproject.toml rather than a minimal one."""

    @property
    def requirement(self) -> str:
        return f"{self.project}=={self.version}"


SOURCES = (
    Source("fastapi-docs", "fastapi", "0.165.0", wheel=False, package="docs_src"),
    Source("lnbits", "lnbits", "1.6.2", wheel=False, package="lnbits", keep_pyproject=True),
    Source("open-webui", "open-webui", "0.12.4", wheel=True, package="open_webui"),
)


@dataclass(frozen=True)
class Tree:
    name: str
    path: Path

    def python_files(self) -> list[Path]:
        return sorted(self.path.rglob("*.py"))

    def size(self) -> tuple[int, int]:
        """(files, lines) of the Python files in the tree."""
        files = self.python_files()
        return len(files), sum(count_lines(path.read_bytes()) for path in files)


def normalise(project: str) -> str:
    """A project name as distribution file names spell it (PEP 503 / 427)."""
    return "_".join(part for part in project.lower().replace(".", "-").split("-") if part)


def archive_identity(filename: str) -> tuple[str, str] | None:
    """`(normalised project, version)` of an sdist or wheel file name; None for anything else."""
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        return (normalise(parts[0]), parts[1]) if len(parts) >= 5 else None
    if filename.endswith(".tar.gz"):
        project, _, version = filename[: -len(".tar.gz")].rpartition("-")
        return (normalise(project), version) if project and version else None
    return None


def member_target(name: str, package: str, strip_top: bool) -> PurePosixPath | None:
    """Where an archive member goes inside its tree: Python files under `package` only.

    `strip_top` drops the sdist's top folder (`lnbits-1.6.2/`). Absolute names and `..` parts
    are refused, so nothing is written outside the tree.
    """
    path = PurePosixPath(name)
    parts = path.parts[1:] if strip_top else path.parts
    if (
        path.is_absolute()
        or ".." in parts
        or len(parts) < 2
        or parts[0] != package
        or path.suffix != ".py"
    ):
        return None
    return PurePosixPath(*parts)


def _archive(source: Source, downloads: Path) -> Path | None:
    wanted = (normalise(source.project), source.version)
    suffix = ".whl" if source.wheel else ".tar.gz"
    if not downloads.is_dir():
        return None
    for path in sorted(downloads.iterdir()):
        if path.name.endswith(suffix) and archive_identity(path.name) == wanted:
            return path
    return None


def download(source: Source, downloads: Path) -> Path:
    """The archive of `source`, fetched with pip unless already in `downloads`."""
    found = _archive(source, downloads)
    if found is not None:
        return found
    downloads.mkdir(parents=True, exist_ok=True)
    kind = "--only-binary" if source.wheel else "--no-binary"
    print(f"corpus: downloading {source.requirement} with pip ...", file=sys.stderr, flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            kind,
            ":all:",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
            "--quiet",
            "--dest",
            str(downloads),
            source.requirement,
        ],
        check=True,
    )
    found = _archive(source, downloads)
    if found is None:
        raise RuntimeError(f"pip did not save {source.requirement} into {downloads}")
    return found


def _members(archive: Path, package: str) -> Iterator[tuple[PurePosixPath, bytes]]:
    if archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as wheel:
            for info in wheel.infolist():
                target = member_target(info.filename, package, strip_top=False)
                if target is not None and not info.is_dir():
                    yield target, wheel.read(info)
        return
    with tarfile.open(archive, "r:gz") as sdist:
        for member in sdist:
            target = member_target(member.name, package, strip_top=True)
            handle = sdist.extractfile(member) if member.isfile() else None
            if target is not None and handle is not None:
                yield target, handle.read()


def _pyproject(archive: Path) -> bytes | None:
    """The top-level pyproject.toml of an sdist."""
    with tarfile.open(archive, "r:gz") as sdist:
        for member in sdist:
            parts = PurePosixPath(member.name).parts
            if len(parts) == 2 and parts[1] == "pyproject.toml" and member.isfile():
                handle = sdist.extractfile(member)
                return handle.read() if handle is not None else None
    return None


def _minimal_pyproject(name: str) -> bytes:
    return f'[project]\nname = "{name}"\nversion = "0"\n'.encode()


def _install(staging: Path, target: Path) -> None:
    """Move `staging` into place in one step."""
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def extract(source: Source, archive: Path, corpus: Path) -> Tree:
    """The tree of `source`, extracted from `archive` unless it already exists."""
    tree = Tree(source.tree, corpus / source.tree)
    if tree.path.is_dir():
        return tree
    staging = corpus / f".{source.tree}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    for relative, data in _members(archive, source.package):
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if not staging.is_dir():
        raise RuntimeError(f"{archive.name} has no Python files under {source.package}/")
    pyproject = _pyproject(archive) if source.keep_pyproject else None
    (staging / "pyproject.toml").write_bytes(pyproject or _minimal_pyproject(source.tree))
    _install(staging, tree.path)
    return tree


def _generator_fingerprint(files: int) -> str:
    digest = hashlib.blake2b(str(files).encode(), digest_size=8)
    for module in ("generate.py", "workspace_index.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def synthetic(corpus: Path, files: int) -> Tree:
    """The generated project of about `files` files; rewritten when the size or the generator
    changed since it was last written."""
    tree = Tree(SYNTHETIC, corpus / SYNTHETIC)
    stamp = corpus / f"{SYNTHETIC}.stamp"
    fingerprint = _generator_fingerprint(files)
    if tree.path.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint:
        return tree
    staging = corpus / f".{SYNTHETIC}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    generate_project(staging, files)
    _install(staging, tree.path)
    stamp.write_text(fingerprint)
    return tree


def registry_trees(corpus: Path = CORPUS_DIR) -> list[Tree]:
    """The three registry trees, downloading and extracting what is missing."""
    downloads = corpus / "downloads"
    return [extract(source, download(source, downloads), corpus) for source in SOURCES]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files",
        type=int,
        default=DEFAULT_SYNTHETIC_FILES,
        help=f"files of the synthetic project (default {DEFAULT_SYNTHETIC_FILES})",
    )
    args = parser.parse_args(argv)
    trees = [*registry_trees(), synthetic(CORPUS_DIR, args.files)]
    for tree in trees:
        files, lines = tree.size()
        print(f"{tree.name:<13} {files:>6,} files {lines:>9,} lines  {tree.path}")


if __name__ == "__main__":
    main(sys.argv[1:])
