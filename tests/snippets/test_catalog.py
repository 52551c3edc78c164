"""The catalog itself: valid snippet syntax, modern forms only, and its plain-text expansion."""

from __future__ import annotations

import re

import pytest
from fastapi_practices.snippets import PREFIX, SNIPPETS, Snippet
from fastapi_practices.snippets.context import substitute
from fastapi_practices.snippets.naming import Names
from fastapi_practices.snippets.template import (
    SnippetSyntaxError,
    escape,
    expand_defaults,
    indent_body,
    validate,
)

VALUES = {
    **Names.for_domain("posts").substitutions(),
    "BaseModel": "BaseModel",
    "Base": "Base",
    "app": "app",
    "fixture": "pytest_asyncio.fixture",
}
REQUIRED = {
    "router", "get", "post", "put", "delete", "schema", "base-model", "settings", "dep-valid",
    "dep-chain", "exception", "handler", "service-query", "naming-convention", "table",
    "async-client", "test", "lifespan",
}  # fmt: skip


def test_the_catalog_has_every_snippet_the_issue_asks_for() -> None:
    keys = {snippet.key for snippet in SNIPPETS}
    assert keys >= REQUIRED
    assert all(snippet.label == PREFIX + snippet.key for snippet in SNIPPETS)
    assert len(keys) == len(SNIPPETS)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.label)
def test_every_body_is_valid_snippet_syntax_with_tab_stops(snippet: Snippet) -> None:
    body = substitute(snippet.body, VALUES)
    validate(body)
    assert "«" not in body and "»" not in body
    assert re.search(r"\$\{?\d", body), "a snippet without a single tab stop"
    assert not body.endswith("\n")
    assert snippet.detail and snippet.practice


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.label)
def test_no_snippet_teaches_a_form_the_rules_flag(snippet: Snippet) -> None:
    plain = expand_defaults(substitute(snippet.body, VALUES))
    assert "class Config" not in plain
    assert "json_encoders" not in plain
    assert "AsyncClient(app=" not in plain
    assert not re.search(r"status_code=\d", plain)
    assert "@validator" not in plain and ".query(" not in plain


def test_route_snippets_declare_response_model_status_code_and_responses() -> None:
    for key in ("get", "post", "put", "delete"):
        snippet = next(s for s in SNIPPETS if s.key == key)
        plain = expand_defaults(substitute(snippet.body, VALUES))
        assert "response_model=" in plain and "status_code=status." in plain, key
        assert "responses={" in plain, key


def test_defaults_choices_and_mirrors_expand() -> None:
    body = "class ${1:Post}${2|Create,Update|}:\n    x = ${1}\n    y = $1$0"
    assert expand_defaults(body) == "class PostCreate:\n    x = Post\n    y = Post"
    assert (
        expand_defaults(body, {2: "Update", 1: "Tag"})
        == "class TagUpdate:\n    x = Tag\n    y = Tag"
    )


def test_nested_placeholders_and_escapes_expand() -> None:
    assert expand_defaults("${1:a ${2:b} c} \\$x \\} \\\\") == "a b c $x } \\"
    assert expand_defaults(escape("cost: $5 {x}")) == "cost: $5 {x}"


def test_a_mirror_before_its_placeholder_still_gets_the_default() -> None:
    assert expand_defaults("$1 and ${1:post}") == "post and post"


@pytest.mark.parametrize("body", ["${1:open", "$x", "${1|a,b}", "${name}"])
def test_malformed_bodies_are_rejected(body: str) -> None:
    with pytest.raises(SnippetSyntaxError):
        validate(body)


def test_indentation_applies_to_following_lines_only() -> None:
    assert indent_body("a\nb\n\nc", "    ") == "a\n    b\n\n    c"
    assert indent_body("a\nb", "") == "a\nb"


def test_names_come_from_the_domain() -> None:
    posts = Names.for_domain("posts")
    assert (posts.entity, posts.entity_class, posts.prefix) == ("post", "Post", "/posts")
    categories = Names.for_domain("blog_categories")
    assert categories.entity == "blog_category"
    assert categories.entity_class == "BlogCategory"
    assert categories.prefix == "/blog-categories"
    assert Names.for_domain("addresses").entity == "address"
    assert Names.for_domain("status").entity == "status"
    assert Names.for_domain(None).entity == "item"
    assert Names.for_domain("Not-A-Domain").entity == "item"
