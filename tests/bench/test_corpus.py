"""The benchmark corpus helpers: file names, extraction filters, line counts, and a synthetic
project that really hits every rule family."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from fastapi_practices.cli import main

from bench.corpus import Source, Tree, archive_identity, extract, member_target, normalise
from bench.generate import count_lines, generate_project


def test_count_lines_counts_an_unterminated_last_line() -> None:
    assert count_lines(b"") == 0
    assert count_lines(b"a\nb\n") == 2
    assert count_lines(b"a\nb") == 2
    assert count_lines(b"\n\n") == 2


@pytest.mark.parametrize(
    ("filename", "identity"),
    [
        ("fastapi-0.165.0.tar.gz", ("fastapi", "0.165.0")),
        ("open_webui-0.12.4-py3-none-any.whl", ("open_webui", "0.12.4")),
        ("open-webui-0.12.4.tar.gz", ("open_webui", "0.12.4")),
        ("lnbits-1.6.2.zip", None),
        ("broken.whl", None),
    ],
)
def test_archive_identity(filename: str, identity: tuple[str, str] | None) -> None:
    assert archive_identity(filename) == identity


def test_normalise_matches_distribution_file_names() -> None:
    assert normalise("Open-WebUI") == normalise("open_webui") == "open_webui"


@pytest.mark.parametrize(
    ("name", "strip_top", "target"),
    [
        ("lnbits-1.6.2/lnbits/core/views.py", True, "lnbits/core/views.py"),
        ("lnbits-1.6.2/lnbits/static/app.js", True, None),
        ("lnbits-1.6.2/tests/test_api.py", True, None),
        ("lnbits-1.6.2/lnbits/../../evil.py", True, None),
        ("/lnbits/evil.py", False, None),
        ("open_webui/main.py", False, "open_webui/main.py"),
        ("open_webui-0.12.4.dist-info/RECORD", False, None),
    ],
)
def test_member_target_keeps_python_files_of_the_package(
    name: str, strip_top: bool, target: str | None
) -> None:
    package = "open_webui" if name.lstrip("/").startswith("open_webui") else "lnbits"
    found = member_target(name, package, strip_top)
    assert found == (PurePosixPath(target) if target else None)


def _sdist(path: Path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_extract_sdist_keeps_the_package_and_its_pyproject(tmp_path: Path) -> None:
    archive = tmp_path / "demo-1.0.tar.gz"
    _sdist(
        archive,
        {
            "demo-1.0/pyproject.toml": b'[project]\nname = "demo"\n',
            "demo-1.0/demo/app.py": b"x = 1\n",
            "demo-1.0/demo/static/app.js": b"let x;\n",
            "demo-1.0/tests/test_app.py": b"def test(): ...\n",
        },
    )
    source = Source("demo-tree", "demo", "1.0", wheel=False, package="demo", keep_pyproject=True)
    tree = extract(source, archive, tmp_path / "corpus")
    assert tree.python_files() == [tree.path / "demo" / "app.py"]
    assert (tree.path / "pyproject.toml").read_bytes() == b'[project]\nname = "demo"\n'
    assert tree.size() == (1, 1)


def test_extract_wheel_writes_a_minimal_pyproject(tmp_path: Path) -> None:
    archive = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(archive, "w") as wheel:
        wheel.writestr("demo/__init__.py", "")
        wheel.writestr("demo/main.py", "a = 1\nb = 2")
        wheel.writestr("demo/frontend/index.html", "<p>")
        wheel.writestr("demo-1.0.dist-info/METADATA", "Name: demo\n")
    source = Source("demo-tree", "demo", "1.0", wheel=True, package="demo")
    tree = extract(source, archive, tmp_path / "corpus")
    assert [path.name for path in tree.python_files()] == ["__init__.py", "main.py"]
    assert tree.size() == (2, 2)
    assert "demo-tree" in (tree.path / "pyproject.toml").read_text()


def test_synthetic_project_hits_every_rule_family(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    lines = generate_project(root, files=40)
    assert lines == Tree("synthetic", root).size()[1]
    capsys.readouterr()
    argv = ["check", str(root), "--output-format", "json", "--exit-zero", "--no-cache", "-j", "1"]
    assert main(argv) == 0
    findings = json.loads(capsys.readouterr().out)
    families = {finding["code"][:4] for finding in findings}
    assert families >= {f"FBP{family}" for family in range(1, 10)}
    clean = {"src/domain1/service.py", "src/domain1/schemas.py"}
    flagged = {Path(finding["filename"]).relative_to(root).as_posix() for finding in findings}
    assert not clean & flagged
