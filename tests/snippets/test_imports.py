"""Missing imports are added once, merged into the module's own statements when possible."""

from __future__ import annotations

import ast

import pytest
from fastapi_practices.snippets.imports import Wanted, plan_imports
from fastapi_practices.snippets.scaffold import apply_edits

STATUS: Wanted = ("fastapi", "status")


def added(text: str, *wanted: Wanted) -> str:
    return apply_edits(text, plan_imports(text, list(wanted)).edits())


def test_merged_into_a_parenthesized_import_one_name_per_line() -> None:
    text = "from fastapi import (\n    APIRouter,\n    Depends\n)\n\nrouter = APIRouter()\n"
    result = added(text, STATUS, ("fastapi", "Depends"))
    assert result == (
        "from fastapi import (\n    APIRouter,\n    Depends,\n    status,\n)\n\n"
        "router = APIRouter()\n"
    )


def test_merged_into_a_parenthesized_import_on_one_line() -> None:
    assert added("from fastapi import (APIRouter, Depends)\n", STATUS) == (
        "from fastapi import (APIRouter, Depends, status)\n"
    )
    assert added("from fastapi import (APIRouter,)\n", STATUS) == (
        "from fastapi import (APIRouter, status)\n"
    )


def test_merged_into_a_plain_import_before_its_comment() -> None:
    assert added("from fastapi import APIRouter  # routes\n", STATUS) == (
        "from fastapi import APIRouter, status  # routes\n"
    )


def test_the_parenthesized_statement_is_preferred_over_a_plain_one() -> None:
    text = "from fastapi import Depends\nfrom fastapi import (\n    APIRouter,\n)\n"
    assert added(text, STATUS) == (
        "from fastapi import Depends\nfrom fastapi import (\n    APIRouter,\n    status,\n)\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "from fastapi import status\n",
        "from fastapi import (\n    status,\n)\n",
        "from fastapi import APIRouter, status as status\n",
    ],
)
def test_never_duplicated(text: str) -> None:
    assert plan_imports(text, [STATUS]).edits() == []


def test_a_name_bound_to_something_else_is_not_shadowed() -> None:
    assert plan_imports("status = 3\n", [STATUS]).edits() == []
    assert plan_imports("from starlette import status\n", [STATUS]).edits() == []
    assert plan_imports("def status():\n    pass\n", [STATUS]).edits() == []


def test_new_statements_go_after_the_last_import() -> None:
    text = "import os\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n"
    result = added(text, ("typing", "Annotated"), ("sys", None), ("typing", "Any"))
    assert result == (
        "import os\n\nfrom fastapi import APIRouter\nimport sys\n"
        "from typing import Annotated, Any\n\nrouter = APIRouter()\n"
    )


def test_new_statements_go_after_the_docstring_or_first() -> None:
    assert added('"""Doc."""\n\nx = 1\n', STATUS) == (
        '"""Doc."""\n\nfrom fastapi import status\n\nx = 1\n'
    )
    assert added("x = 1\n", STATUS) == "from fastapi import status\n\nx = 1\n"
    assert added("", STATUS) == "from fastapi import status\n"


def test_a_module_that_does_not_parse_still_gets_correct_imports() -> None:
    text = "from fastapi import (\n    APIRouter,\n)\n\ndef broken(:\n"
    result = added(text, STATUS)
    assert result.startswith("from fastapi import (\n    APIRouter,\n    status,\n)\n")


def test_imports_inside_blocks_do_not_count() -> None:
    text = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from fastapi import status\n"
    result = added(text, STATUS)
    ast.parse(result)
    assert result.startswith("from typing import TYPE_CHECKING\nfrom fastapi import status\n")


def test_a_merge_and_new_statements_at_one_place_are_one_insertion() -> None:
    text = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    edits = plan_imports(text, [STATUS, ("typing", "Annotated")]).edits()
    assert len(edits) == 1
    assert apply_edits(text, edits) == (
        "from fastapi import APIRouter, status\nfrom typing import Annotated\n\n"
        "router = APIRouter()\n"
    )
