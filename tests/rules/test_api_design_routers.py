"""FBP701, FBP702, FBP706 beyond their examples: includes, domains, fix-all, configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi_practices.config import Settings
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.model import Finding
from fastapi_practices.rules.api_design.routes import router_domain

FAMILY = ("FBP701", "FBP702", "FBP703", "FBP704", "FBP705", "FBP706")


def _findings(code: str, text: str, path: str = "app/main.py", **settings: object) -> list[Finding]:
    found = analyze(text, Path(path), Settings(select=(code,), **settings))  # type: ignore[arg-type]
    return [f for f in found if f.code == code]


ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"


def test_prefix_and_tags_fixed_together_by_fix_all() -> None:
    settings = Settings(select=("FBP701", "FBP702"))
    result = fix_all(ROUTER, Path("src/blog_posts/router.py"), settings)
    assert result.text == (
        'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/blog_posts", '
        'tags=["blog_posts"])\n'
    )
    assert result.remaining == []


def test_included_by_keyword_router_argument() -> None:
    text = (
        "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nv1 = APIRouter()\n"
        "app.include_router(router=v1, prefix='/v1', tags=['v1'])\n"
    )
    assert _findings("FBP701", text) == []
    assert _findings("FBP702", text) == []


def test_include_of_a_different_router_with_the_same_name_does_not_count() -> None:
    text = (
        "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nrouter = APIRouter()\n\n\n"
        "def mount(router):\n    app.include_router(router, prefix='/x')\n"
    )
    (finding,) = _findings("FBP701", text)
    assert finding.range.start.line == 3


def test_include_with_kwargs_counts_as_supplied() -> None:
    text = (
        "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nrouter = APIRouter()\n"
        "app.include_router(router, **OPTIONS)\n"
    )
    assert _findings("FBP701", text) == []


def test_router_reported_on_its_call_node() -> None:
    text = "from fastapi import APIRouter\n\nrouter = APIRouter(\n    tags=['a'],\n)\n"
    (finding,) = _findings("FBP701", text)
    assert (finding.range.start.line, finding.range.start.column) == (2, 9)
    assert (finding.range.end.line, finding.range.end.column) == (4, 1)


@pytest.mark.parametrize(
    ("path", "domain"),
    [
        ("src/posts/router.py", "posts"),
        ("app/orders/router.py", "orders"),
        ("src/router.py", None),
        ("src/posts/routes.py", None),
        ("src/my-posts/router.py", None),
        ("router.py", None),
    ],
)
def test_domain_comes_from_the_package_of_router_py(path: str, domain: str | None) -> None:
    findings = _findings("FBP701", ROUTER, path)
    assert findings
    assert findings[0].data.get("domain") == domain
    assert bool(findings[0].fixes) is (domain is not None)


def test_configured_router_module_name_gives_the_domain() -> None:
    findings = _findings(
        "FBP702", ROUTER, "src/posts/routes.py", role_modules={"router": "routes.py"}
    )
    assert findings[0].data["domain"] == "posts"


def test_router_module_at_the_project_root_has_no_domain(tmp_path: Path) -> None:
    (tmp_path / "router.py").write_text(ROUTER)
    findings = _findings("FBP701", ROUTER, str(tmp_path / "router.py"), root=tmp_path)
    assert findings and findings[0].fixes == ()
    nested = tmp_path / "shop" / "router.py"
    settings = Settings(select=("FBP701",), root=tmp_path)
    found = analyze(ROUTER, nested, settings)
    assert router_domain(nested, settings) == "shop"
    assert found[0].data["domain"] == "shop"


def test_prefix_fix_uses_the_file_quote_style() -> None:
    text = "from fastapi import APIRouter\n\nX = 'x'\nrouter = APIRouter()\n"
    (finding,) = _findings("FBP701", text, "src/users/router.py")
    edits = build_fix(text, finding, path=Path("src/users/router.py"))
    assert edits is not None
    assert apply_edits(text, edits).endswith("router = APIRouter(prefix='/users')\n")


def test_prefix_fix_refuses_when_the_keyword_appeared_meanwhile() -> None:
    (finding,) = _findings("FBP701", ROUTER, "src/users/router.py")
    changed = ROUTER.replace("APIRouter()", "APIRouter(prefix='/u')")
    assert build_fix(changed, finding, path=Path("src/users/router.py")) is None


def test_docs_always_public_reports_the_call() -> None:
    text = "from fastapi import FastAPI\n\napp = FastAPI(\n    title='Shop',\n)\n"
    (finding,) = _findings("FBP706", text)
    assert finding.range.start.line == 2 and finding.range.end.line == 4
    assert finding.fixes == ()


def test_docs_always_public_positional_star_args_is_silent() -> None:
    text = "from fastapi import FastAPI\n\napp = FastAPI(*ARGS)\n"
    assert _findings("FBP706", text) == []
