"""FBP801 and FBP803 beyond their examples, and reading pytest's `asyncio_mode` for FBP803."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.config import Settings, load_project, pytest_asyncio_auto
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.model import Finding
from fastapi_practices.rules.testing.paths import is_test_file

TEST = "async def test_ping(client):\n    assert await client.get('/ping')\n"


def _findings(
    code: str, text: str, path: str = "tests/test_x.py", **settings: object
) -> list[Finding]:
    found = analyze(text, Path(path), Settings(select=(code,), **settings))  # type: ignore[arg-type]
    return [f for f in found if f.code == code]


# ----- FBP803 detection -----------------------------------------------------------------------
def test_auto_mode_silences_the_rule() -> None:
    assert _findings("FBP803", TEST)
    assert _findings("FBP803", TEST, pytest_asyncio_auto=True) == []


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("tests/test_x.py", True),
        ("tests/helpers.py", True),
        ("src/tests/unit/check.py", True),
        ("app/test_views.py", True),
        ("app/views_test.py", True),
        ("conftest.py", True),
        ("app/views.py", False),
        ("app/testing.py", False),
        ("tests/data.txt", False),
    ],
)
def test_test_file_patterns(path: str, is_test: bool) -> None:
    assert is_test_file(Path(path)) is is_test
    assert bool(_findings("FBP803", TEST, path)) is is_test


def test_a_tests_folder_above_the_project_root_does_not_count(tmp_path: Path) -> None:
    root = tmp_path / "tests" / "project"
    assert is_test_file(root / "app" / "views.py", root) is False
    assert is_test_file(root / "tests" / "views.py", root) is True
    assert _findings("FBP803", TEST, str(root / "app" / "views.py"), root=root) == []
    assert _findings("FBP803", TEST, str(root / "tests" / "helpers.py"), root=root)


def test_class_level_pytestmark_and_non_test_classes() -> None:
    marked = (
        "import pytest\n\n\nclass TestA:\n    pytestmark = pytest.mark.asyncio\n\n"
        "    async def test_a(self):\n        pass\n"
    )
    assert _findings("FBP803", marked) == []
    helper = "class Helper:\n    async def test_a(self):\n        pass\n"
    assert _findings("FBP803", helper) == []


def test_fixture_from_pytest_asyncio_is_not_a_test() -> None:
    text = "import pytest_asyncio\n\n\n@pytest_asyncio.fixture\nasync def test_db():\n    yield 1\n"
    assert _findings("FBP803", text) == []


def test_a_local_pytest_name_gives_no_fix() -> None:
    text = "from helpers import fake as pytest\n\n\n" + TEST
    (finding,) = _findings("FBP803", text)
    assert finding.fixes == ()


def test_fix_all_marks_every_test_and_keeps_sync_ones() -> None:
    text = (
        "import pytest\n\n\nasync def test_a():\n    pass\n\n\ndef test_b():\n    pass\n\n\n"
        "class TestC:\n    async def test_c(self):\n        pass\n"
    )
    result = fix_all(text, Path("tests/test_abc.py"), Settings(select=("FBP803",)))
    assert result.remaining == []
    assert result.text.count("@pytest.mark.asyncio") == 2
    assert "    @pytest.mark.asyncio\n    async def test_c" in result.text
    assert "\n\ndef test_b" in result.text.replace("@pytest.mark.asyncio\n", "")


def test_marker_fix_keeps_crlf_line_endings() -> None:
    text = "import pytest\r\n\r\n\r\nasync def test_a():\r\n    pass\r\n"
    (finding,) = _findings("FBP803", text)
    edits = build_fix(text, finding, path=Path("tests/test_x.py"))
    assert edits is not None
    assert apply_edits(text, edits) == (
        "import pytest\r\n\r\n\r\n@pytest.mark.asyncio\r\nasync def test_a():\r\n    pass\r\n"
    )


# ----- pytest configuration -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pytest.ini", "[pytest]\nasyncio_mode = auto\n"),
        (".pytest.ini", "[pytest]\nasyncio_mode=auto\n"),
        ("pyproject.toml", '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'),
        ("pyproject.toml", '[tool.pytest]\nasyncio_mode = "auto"\n'),
        ("pyproject.toml", '[tool.pytest.ini_options]\naddopts = "-q --asyncio-mode=auto"\n'),
        ("pyproject.toml", '[tool.pytest.ini_options]\naddopts = ["--asyncio-mode", "auto"]\n'),
        ("setup.cfg", "[tool:pytest]\nasyncio_mode = auto\n"),
        ("tox.ini", "[pytest]\nasyncio_mode = auto\n"),
    ],
)
def test_auto_mode_is_read_from_every_pytest_config_file(
    tmp_path: Path, name: str, content: str
) -> None:
    (tmp_path / name).write_text(content)
    assert pytest_asyncio_auto(tmp_path) is True


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n"},
        {"pytest.ini": "", "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'},
        {"pytest.ini": "[pytest\nbroken"},
        {"pyproject.toml": "not = [valid"},
        {"setup.cfg": "[tool:pytest]\nasyncio_mode = auto\n", "tox.ini": "[pytest]\nx = 1\n"},
        {"setup.cfg": "[pytest]\nasyncio_mode = auto\n"},
        {"tox.ini": "%%% \x00 not ini"},
    ],
    ids=[
        "nothing",
        "strict",
        "empty-pytest-ini-wins",
        "broken-ini",
        "broken-toml",
        "tox-before-setup-cfg",
        "wrong-setup-cfg-section",
        "garbage",
    ],
)
def test_auto_mode_off(tmp_path: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    assert pytest_asyncio_auto(tmp_path) is False


def test_load_project_derives_auto_mode_and_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "tests").mkdir()
    plain = load_project(tmp_path / "tests")
    assert plain.settings.pytest_asyncio_auto is False
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    auto = load_project(tmp_path / "tests")
    assert auto.settings.pytest_asyncio_auto is True
    assert auto.settings.fingerprint() != plain.settings.fingerprint()
    overridden = auto.settings.with_overrides({"select": ["FBP8"]}, "editor")
    assert overridden.pytest_asyncio_auto is True
    findings = analyze(TEST, tmp_path / "tests" / "test_a.py", auto.settings)
    assert [f for f in findings if f.code == "FBP803"] == []


# ----- FBP801 ---------------------------------------------------------------------------------
def test_sync_test_client_reports_each_construction_without_fix() -> None:
    text = (
        "from fastapi.testclient import TestClient\n\nfrom app.main import app, admin\n\n"
        "client = TestClient(app)\nadmin_client = TestClient(app=admin)\n"
    )
    findings = _findings("FBP801", text, "tests/conftest.py")
    assert [f.range.start.line for f in findings] == [4, 5]
    assert all(f.fixes == () for f in findings)
    assert findings[0].range.start.column == 9


def test_sync_test_client_is_not_blocking_network() -> None:
    text = (
        "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\n"
        "async def test_a():\n    client = TestClient(app)\n    client.get('/')\n"
    )
    codes = {f.code for f in analyze(text, Path("tests/test_a.py"))}
    assert "FBP801" in codes and "FBP202" not in codes
