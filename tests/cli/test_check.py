"""`check`: exit codes, the output formats, rule selection and the summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi_practices.docs import doc_url

from tests.cli.helpers import CLEAN_MODULE, SLEEPY_ROUTE, project, run

CaptureFixture = pytest.CaptureFixture[str]


def test_clean_project_exits_zero(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": CLEAN_MODULE})
    result = run(capsys, "check", str(tmp_path))
    assert result.code == 0
    assert result.out.strip() == "All checks passed!"


def test_finding_exits_one_and_full_format_shows_excerpt(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("app/main.py:9:5: FBP201 [*] `time.sleep()`")
    assert " 9 |     time.sleep(2)" in lines
    assert "   |     ^^^^^^^^^^^^^ FBP201" in lines
    assert "  = help: Replace with `await asyncio.sleep(...)`" in lines
    assert lines[-2:] == ["Found 1 error.", "[*] 1 fixable with the --fix option."]


def test_concise_format_is_one_line_per_finding(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE, "app/other.py": SLEEPY_ROUTE})
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "check", "--format", "concise", ".")
    assert result.out.splitlines() == [
        "app/main.py:9:5: FBP201 [*] `time.sleep()` blocks the event loop inside `async def`; "
        "use `await asyncio.sleep()`",
        "app/other.py:9:5: FBP201 [*] `time.sleep()` blocks the event loop inside `async def`; "
        "use `await asyncio.sleep()`",
        "Found 2 errors.",
        "[*] 2 fixable with the --fix option.",
    ]


def test_excerpt_underlines_by_display_width(tmp_path: Path, capsys: CaptureFixture) -> None:
    source = 'import time\n\n\nasync def poll():\n    x = "日本"; time.sleep(1)\n'
    project(tmp_path, {"wide.py": source})
    result = run(capsys, "check", str(tmp_path))
    text_line = next(line for line in result.out.splitlines() if line.startswith("5 |"))
    caret_line = next(line for line in result.out.splitlines() if "^" in line)
    # Each of the two wide characters takes two columns, so the carets start under `time`.
    assert caret_line.index("^") == text_line.index("time") + 2
    assert caret_line.endswith("^^^^^^^^^^^^^ FBP201")


def test_json_format_has_ruff_shaped_fields(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    result = run(capsys, "check", "--format", "json", str(tmp_path))
    assert result.code == 1
    [entry] = json.loads(result.out)
    assert entry["code"] == "FBP201"
    assert entry["name"] == "blocking-sleep-in-async"
    assert entry["severity"] == "warning"
    assert entry["filename"] == str(tmp_path / "app" / "main.py")
    assert Path(entry["filename"]).is_absolute()
    assert entry["location"] == {"row": 9, "column": 5}
    assert entry["end_location"] == {"row": 9, "column": 18}
    assert entry["noqa_row"] == 9
    assert entry["url"] == doc_url("FBP201")
    fix = entry["fix"]
    assert fix["applicability"] == "safe"
    assert fix["message"] == "Replace with `await asyncio.sleep(...)`"
    contents = {edit["content"] for edit in fix["edits"]}
    assert contents == {"await asyncio.sleep(2)", "import asyncio\n"}
    replacement = next(e for e in fix["edits"] if e["content"].startswith("await"))
    assert replacement["location"] == {"row": 9, "column": 5}
    assert replacement["end_location"] == {"row": 9, "column": 18}


def test_json_columns_count_code_points(tmp_path: Path, capsys: CaptureFixture) -> None:
    source = 'import time\n\n\nasync def poll():\n    x = "é😀"; time.sleep(1)\n'
    project(tmp_path, {"m.py": source})
    [entry] = json.loads(run(capsys, "check", "--format", "json", str(tmp_path)).out)
    assert entry["location"] == {"row": 5, "column": 15}  # UTF-16 would say 16, bytes 19


def test_json_fix_is_null_without_a_fix(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"broken.py": "def f(:\n    pass\n"}, config="")
    result = run(capsys, "check", "--format", "json", "--select", "FBP001", str(tmp_path))
    [entry] = json.loads(result.out)
    assert entry["code"] == "FBP001"
    assert entry["fix"] is None


def test_empty_json_is_an_empty_list(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": CLEAN_MODULE})
    result = run(capsys, "check", "--format", "json", str(tmp_path))
    assert (result.code, json.loads(result.out)) == (0, [])


def test_sarif_format(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    result = run(capsys, "check", "--format", "sarif", str(tmp_path))
    assert result.code == 1
    sarif = json.loads(result.out)
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"]
    [run_] = sarif["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "fastapi-practices"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) >= {"FBP001", "FBP201"}
    for rule in rules.values():
        assert {"id", "name", "shortDescription", "helpUri"} <= set(rule)
    [finding] = run_["results"]
    assert finding["ruleId"] == "FBP201"
    assert driver["rules"][finding["ruleIndex"]]["id"] == "FBP201"
    assert finding["level"] == "warning"
    assert finding["message"]["text"].startswith("`time.sleep()`")
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == (tmp_path / "app" / "main.py").as_uri()
    assert location["region"] == {"startLine": 9, "startColumn": 5, "endLine": 9, "endColumn": 18}
    assert run_["columnKind"] == "unicodeCodePoints"
    replacements = finding["fixes"][0]["artifactChanges"][0]["replacements"]
    assert {r["insertedContent"]["text"] for r in replacements} == {
        "await asyncio.sleep(2)",
        "import asyncio\n",
    }


def test_github_format(
    tmp_path: Path, capsys: CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "check", "--format", "github")
    assert result.code == 1
    assert result.out.splitlines() == [
        "::warning title=fastapi-practices (FBP201),file=app/main.py,line=9,col=5,endLine=9,"
        "endColumn=18::FBP201 `time.sleep()` blocks the event loop inside `async def`; "
        "use `await asyncio.sleep()`"
    ]


def test_github_levels_follow_severity(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"broken.py": "x = (1,\n"}, config="")
    result = run(capsys, "check", "--format", "github", "--select", "FBP001", str(tmp_path))
    assert result.out.startswith("::error title=fastapi-practices (FBP001),")


def test_statistics(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"a.py": SLEEPY_ROUTE, "b.py": SLEEPY_ROUTE})
    result = run(capsys, "check", "--statistics", str(tmp_path))
    assert result.code == 1
    assert result.out.splitlines() == ["2\tFBP201\t[*] blocking-sleep-in-async"]
    as_json = run(capsys, "check", "--statistics", "--format", "json", str(tmp_path))
    assert json.loads(as_json.out) == [
        {"code": "FBP201", "name": "blocking-sleep-in-async", "count": 2, "fixable": True}
    ]


def test_exit_zero(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    result = run(capsys, "check", "--exit-zero", str(tmp_path))
    assert result.code == 0
    assert "Found 1 error." in result.out


def test_ignore_on_the_command_line(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    assert run(capsys, "check", "--ignore", "FBP2", str(tmp_path)).code == 0


def test_select_overrides_pyproject(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = '[tool.fastapi-practices]\nignore = ["FBP201"]\n'
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, config=config)
    assert run(capsys, "check", "--select", "FBP201", str(tmp_path)).code == 1
    assert run(capsys, "check", "--select", "FBP001", str(tmp_path)).code == 0


def test_extend_select_adds_to_pyproject(tmp_path: Path, capsys: CaptureFixture) -> None:
    config = '[tool.fastapi-practices]\nselect = ["FBP001"]\n'
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE}, config=config)
    assert run(capsys, "check", str(tmp_path)).code == 0
    result = run(capsys, "check", "--extend-select", "fbp201", "--format", "json", str(tmp_path))
    assert [entry["code"] for entry in json.loads(result.out)] == ["FBP201"]


def test_comma_lists_and_repeated_options(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": SLEEPY_ROUTE})
    result = run(capsys, "check", "--select", "FBP001, FBP201", "--ignore", "FBP0", str(tmp_path))
    assert result.code == 1
    assert run(capsys, "check", "--ignore", "FBP001", "--ignore", "FBP201", str(tmp_path)).code == 0


def test_each_project_uses_its_own_config(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path / "one", {"main.py": SLEEPY_ROUTE})
    project(
        tmp_path / "two",
        {"main.py": SLEEPY_ROUTE},
        config='[tool.fastapi-practices]\nignore = ["FBP2"]\n',
    )
    result = run(capsys, "check", "--format", "json", str(tmp_path))
    found = {(entry["filename"], entry["code"]) for entry in json.loads(result.out)}
    assert (str(tmp_path / "one" / "main.py"), "FBP201") in found
    assert not any(code.startswith("FBP2") and "two" in Path(name).parts for name, code in found)


def test_noqa_is_respected(tmp_path: Path, capsys: CaptureFixture) -> None:
    source = SLEEPY_ROUTE.replace("time.sleep(2)", "time.sleep(2)  # noqa: FBP201")
    project(tmp_path, {"app/main.py": source})
    assert run(capsys, "check", str(tmp_path)).code == 0


def test_output_is_sorted_by_path_then_position(tmp_path: Path, capsys: CaptureFixture) -> None:
    two_sleeps = "import time\n\n\nasync def a():\n    time.sleep(1)\n    time.sleep(2)\n"
    project(tmp_path, {"b.py": two_sleeps, "a/z.py": two_sleeps, "a-b.py": two_sleeps})
    entries = json.loads(run(capsys, "check", "--format", "json", str(tmp_path)).out)
    keys = [
        (Path(e["filename"]).relative_to(tmp_path).as_posix(), e["location"]["row"])
        for e in entries
    ]
    assert keys == [
        ("a/z.py", 5),
        ("a/z.py", 6),
        ("a-b.py", 5),
        ("a-b.py", 6),
        ("b.py", 5),
        ("b.py", 6),
    ]


def test_no_cache_is_accepted(tmp_path: Path, capsys: CaptureFixture) -> None:
    project(tmp_path, {"app/main.py": CLEAN_MODULE})
    assert run(capsys, "check", "--no-cache", str(tmp_path)).code == 0


def test_empty_directory_warns(tmp_path: Path, capsys: CaptureFixture) -> None:
    result = run(capsys, "check", str(tmp_path))
    assert result.code == 0
    assert "no Python files found" in result.err


def test_version(capsys: CaptureFixture) -> None:
    result = run(capsys, "--version")
    assert result.code == 0
    assert result.out.strip() == "fastapi-practices 0.1.0"


def test_no_command_is_a_usage_error(capsys: CaptureFixture) -> None:
    result = run(capsys)
    assert result.code == 2
    assert "usage:" in result.err
