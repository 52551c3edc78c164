"""FBP804: a domain whose tests do not live in a `tests/<domain>/` package of their own."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register
from fastapi_practices.workspace.layout import ProjectLayout, layout_for

TESTS = "tests"
_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/posts', tags=['posts'])\n"
_DOMAIN = {"src/__init__.py": "", "src/posts/__init__.py": ""}
_TEST = "def test_posts() -> None:\n    assert True\n"


@register
class TestsNotMirroring(Rule):
    code = "FBP804"
    name = "tests-not-mirroring"
    severity = Severity.INFO
    summary = "A domain has no `tests/<domain>/` package mirroring it."
    why = (
        "When `tests/` mirrors the domains of `src/`, the tests of a domain are found, run and "
        "moved together with it, and a domain without any test stands out. A flat `tests/` "
        "folder mixes them all and hides which domain is untested. The finding sits on the "
        "first line of the domain's `router.py`; a domain without a `router.py` is not judged."
    )
    recommended = "# src/posts/router.py is tested by tests/posts/test_router.py\n" + _TEST
    examples = (
        Invalid(_ROUTER, line=1, path="src/posts/router.py", files=_DOMAIN, note="no tests at all"),
        Invalid(
            _ROUTER,
            line=1,
            path="src/posts/router.py",
            files={**_DOMAIN, "tests/__init__.py": "", "tests/test_posts.py": _TEST},
            note="a flat `tests/` folder",
        ),
        Invalid(
            _ROUTER,
            line=1,
            path="src/posts/router.py",
            files={**_DOMAIN, "tests/users/test_router.py": _TEST, "tests/posts/data.json": "{}"},
            note="another domain is mirrored; `tests/posts/` holds no Python module",
        ),
        Valid(
            _ROUTER,
            path="src/posts/router.py",
            files={**_DOMAIN, "tests/posts/__init__.py": "", "tests/posts/test_router.py": _TEST},
        ),
        Valid(
            _ROUTER,
            path="src/posts/router.py",
            files={**_DOMAIN, "tests/posts/test_router.py": _TEST},
            note="a test folder without `__init__.py`",
        ),
        Valid(
            _ROUTER,
            path="src/posts/router.py",
            files={**_DOMAIN, "tests/posts/api/test_router.py": _TEST},
            note="tests grouped one level deeper",
        ),
        Valid(
            "from pydantic import BaseModel\n\n\nclass Post(BaseModel):\n    title: str\n",
            path="src/posts/schemas.py",
            files=_DOMAIN,
            note="reported on the domain's `router.py` only",
        ),
        Valid(
            _ROUTER,
            path="src/router.py",
            files={"src/__init__.py": ""},
            note="a router at the source root belongs to no domain",
        ),
        Valid(
            _ROUTER,
            path="app/posts/router.py",
            files={
                "app/__init__.py": "",
                "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
                "app/posts/__init__.py": "",
                "tests/posts/test_router.py": _TEST,
            },
            note="the source root is the package that creates `FastAPI()`",
        ),
        Valid(_ROUTER, path="src/posts/router.py", note="no project on disk: nothing to look at"),
    )

    def finish(self, ctx: FileContext) -> None:
        path = ctx.path
        if path is None or ctx.settings.root is None:
            return
        if path.name != ctx.settings.role_modules.get("router", "router.py"):
            return
        layout = ctx.layout or layout_for(ctx.settings)
        if layout is None:
            return
        domain, role = layout.role_of(path)
        if domain is None or role != "router":
            return
        if any(_holds_python(folder / domain) for folder in _test_folders(layout)):
            return
        ctx.report(
            self,
            ctx.lines.line_range(0),
            f"the `{domain}` domain has no `tests/{domain}/` package mirroring it",
            data={"domain": domain},
        )


def _test_folders(layout: ProjectLayout) -> list[Path]:
    """`tests/` at the project root, beside each source root, or inside it."""
    folders = [layout.root / TESTS]
    for source_root in layout.source_roots:
        folders.extend([source_root.parent / TESTS, source_root / TESTS])
    return list(dict.fromkeys(folders))


def _holds_python(folder: Path, depth: int = 1) -> bool:
    """A folder with a Python module in it or in one of its subfolders (`depth` levels)."""
    try:
        with os.scandir(folder) as entries:
            found = list(entries)
    except OSError:
        return False
    if any(e.name.endswith(".py") and e.is_file() for e in found):
        return True
    return depth > 0 and any(
        _holds_python(Path(e.path), depth - 1)
        for e in found
        if e.is_dir(follow_symlinks=False) and not e.name.startswith((".", "__"))
    )
