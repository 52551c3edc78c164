"""`check` over a tree of broken, odd and giant files: every file gets findings, FBP001 or a
one-line skip notice; the run never raises and never reports an internal error."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from fuzz.cases import mutated
from fuzz.mutations import giant_inputs
from fuzz.seeds import all_seeds, file_seeds
from tests.cli.helpers import run, write

CaptureFixture = pytest.CaptureFixture[str]


def _broken_tree(root: Path) -> dict[str, bytes]:
    """File name -> content: mutated seeds, odd bytes and the giant inputs."""
    rng = random.Random(7)
    files: dict[str, bytes] = {}
    for number, case in enumerate(mutated(all_seeds(), rng, 120)):
        name = "alembic.ini" if case.seed.relative.endswith(".ini") else f"m{number}.py"
        folder = f"ini{number}/" if name == "alembic.ini" else ""
        files[folder + name] = case.text.encode("utf-8", errors="surrogatepass")
    sample = next(s for s in file_seeds() if s.name == "shop/tests/conftest.py")
    giants = giant_inputs(sample.text)
    for name in ("5mb-string-line", "nested-lambdas", "nested-binary", "50k-lines"):
        files[f"giant_{name.replace('-', '_')}.py"] = giants[name].encode()
    files["latin1.py"] = "name = 'café'\n".encode("latin-1")
    files["nul.py"] = b"x = 1\x00\n"
    files["bom_only.py"] = b"\xef\xbb\xbf"
    files["crlf_cr.py"] = b"import time\r\rasync def f():\r    time.sleep(1)\r"
    files["empty.py"] = b""
    return files


def test_check_over_a_tree_of_broken_files(tmp_path: Path, capsys: CaptureFixture) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "broken"\n')
    files = _broken_tree(tmp_path)
    for relative, data in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "pipe.py").unlink(missing_ok=True)
    os.mkfifo(tmp_path / "pipe.py")  # a read would never end

    result = run(capsys, "check", "--no-cache", "--format", "json", "--exit-zero", str(tmp_path))
    assert result.code == 0
    assert "internal error" not in result.err
    assert "Traceback" not in result.err
    reported = {Path(item["filename"]).name for item in json.loads(result.out)}
    notices = [line for line in result.err.splitlines() if line.startswith("warning: ")]
    skipped = {Path(line.split(": ")[1]).name for line in notices if ": skipped: " in line}
    assert {"latin1.py", "giant_5mb_string_line.py"} <= skipped
    reasons = {line.split(": skipped: ")[1].split(" (")[0] for line in notices}
    assert reasons <= {"not valid UTF-8", "larger than 2000000 bytes"}, reasons
    assert {"nul.py", "giant_nested_lambdas.py", "crlf_cr.py"} <= reported
    assert len(reported) > 60


def test_explicit_odd_paths(tmp_path: Path, capsys: CaptureFixture) -> None:
    """A FIFO named on the command line, and a folder named like a module."""
    write(tmp_path, "pyproject.toml", '[project]\nname = "odd"\n')
    os.mkfifo(tmp_path / "pipe.py")
    write(tmp_path, "folder.py/inner.py", "import time\n\n\nasync def f():\n    time.sleep(1)\n")
    result = run(
        capsys, "check", "--no-cache", "--format", "concise", "--select", "FBP201",
        str(tmp_path / "pipe.py"), str(tmp_path / "folder.py"),
    )  # fmt: skip
    assert result.code == 1
    assert f"warning: {tmp_path / 'pipe.py'}: skipped: not a regular file" in result.err
    assert "inner.py:5:5: FBP201" in result.out
