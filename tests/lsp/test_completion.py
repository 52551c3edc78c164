"""Snippet completion through a real server, for each client profile: role-aware order, imports
merged through additionalTextEdits, a plain-text fallback, and silence in strings/comments."""

from __future__ import annotations

from pathlib import Path

from fastapi_practices.snippets.template import expand_defaults
from lsprotocol import types

from tests.lsp.clients import RecordingClient
from tests.lsp.helpers import apply_text_edits, open_document, position_of, wait_for_diagnostics
from tests.snippets.project import write_domain_project

ROUTER_HEAD = (
    "from fastapi import (\n    APIRouter,\n)\n\n"
    'router = APIRouter(prefix="/posts", tags=["posts"])\n\n\n'
)


async def complete(
    client: RecordingClient, path: Path, text: str, marker: str = "fbp"
) -> tuple[str, list[types.CompletionItem]]:
    """Open `path` with `text` and complete at the end of the last `marker`."""
    uri = open_document(client, path, text)
    await wait_for_diagnostics(client, uri, version=1)
    start = position_of(text, marker, client.encoding, occurrence=text.count(marker) - 1)
    position = types.Position(start.line, start.character + len(marker))
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position,
            context=types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked),
        )
    )
    if result is None:
        return uri, []
    items = result.items if isinstance(result, types.CompletionList) else result
    return uri, sorted(items, key=lambda item: item.sort_text or item.label)


def accept(client: RecordingClient, text: str, item: types.CompletionItem) -> str:
    """The text after the client inserts `item` with every tab stop left at its default."""
    edit = item.text_edit
    assert isinstance(edit, types.TextEdit)
    inserted = edit.new_text
    if item.insert_text_format == types.InsertTextFormat.Snippet:
        inserted = expand_defaults(inserted)
    main = types.TextEdit(range=edit.range, new_text=inserted)
    return apply_text_edits(text, [main, *(item.additional_text_edits or [])], client.encoding)


def snippet_client(client: RecordingClient) -> bool:
    return client.profile.client != "emacs"


async def test_router_module_gets_route_snippets_first(
    client: RecordingClient, project: Path
) -> None:
    write_domain_project(project)
    text = "fbp"
    _, items = await complete(client, project / "src" / "posts" / "router.py", text)
    labels = [item.label for item in items]
    assert set(labels[:6]) == {
        "fbp-router",
        "fbp-get",
        "fbp-list",
        "fbp-post",
        "fbp-put",
        "fbp-delete",
    }
    assert all(item.kind == types.CompletionItemKind.Snippet for item in items)
    get = items[labels.index("fbp-get")]
    assert get.detail and "post" in get.detail
    documentation = get.documentation
    value = documentation.value if isinstance(documentation, types.MarkupContent) else documentation
    assert value is not None and "PostResponse" in value and "valid_post_id" in value


async def test_each_role_module_gets_its_own_snippets_first(
    client: RecordingClient, project: Path
) -> None:
    write_domain_project(project)
    expected = {
        "src/posts/schemas.py": {"fbp-schema", "fbp-base-model"},
        "src/posts/dependencies.py": {"fbp-dep-chain"},  # valid_post_id exists: offered once
        "src/posts/exceptions.py": {"fbp-exception", "fbp-handler"},
        "tests/posts/test_more.py": {"fbp-async-client", "fbp-test"},
    }
    for relative, first in expected.items():
        path = project / relative
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        _, items = await complete(client, path, existing + "\n\nfbp")
        labels = [item.label for item in items]
        assert set(labels[: len(first)]) == first, (relative, labels)


async def test_accepting_a_route_merges_its_imports(client: RecordingClient, project: Path) -> None:
    write_domain_project(project)
    path = project / "src" / "posts" / "router.py"
    text = ROUTER_HEAD + "fbp-g"
    _, items = await complete(client, path, text, marker="fbp-g")
    (get,) = [item for item in items if item.label == "fbp-get"]
    result = accept(client, text, get)
    assert result.startswith(
        "from fastapi import (\n    APIRouter,\n    Depends,\n    status,\n)\n"
        "from typing import Annotated\n"
        "from src.posts.dependencies import valid_post_id\n"
        "from src.posts.schemas import PostResponse\n"
    )
    assert result.count("import Annotated") == 1
    assert '    "/{post_id}",\n    response_model=PostResponse,\n' in result
    assert result.endswith("    return post")
    compile(result, str(path), "exec")


async def test_in_an_empty_module_the_imports_come_with_the_snippet(
    client: RecordingClient, project: Path
) -> None:
    write_domain_project(project)
    path = project / "src" / "posts" / "routes_v2.py"
    _, items = await complete(client, path, "fbp-rou", marker="fbp-rou")
    (router,) = [item for item in items if item.label == "fbp-router"]
    assert not router.additional_text_edits
    assert accept(client, "fbp-rou", router) == (
        'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/posts", tags=["posts"])'
    )


async def test_clients_without_snippets_get_plain_text(
    client: RecordingClient, project: Path
) -> None:
    write_domain_project(project)
    _, items = await complete(client, project / "src" / "posts" / "schemas.py", "\nfbp")
    (schema,) = [item for item in items if item.label == "fbp-schema"]
    edit = schema.text_edit
    assert isinstance(edit, types.TextEdit)
    if snippet_client(client):
        assert schema.insert_text_format == types.InsertTextFormat.Snippet
        assert "${1:Post}${2|Create,Update,Response|}" in edit.new_text
    else:
        assert schema.insert_text_format == types.InsertTextFormat.PlainText
        assert "$" not in edit.new_text
        assert edit.new_text.startswith(
            "class PostCreate(BaseModel):\n    name: str = Field(min_length=1, max_length=100)"
        )


async def test_nothing_inside_strings_or_comments(client: RecordingClient, project: Path) -> None:
    write_domain_project(project)
    path = project / "src" / "posts" / "utils.py"
    for text in ('"""Helpers.\n\nfbp', "# fbp", "x = 'fbp", "x = call(\n    fbp", "x = fbp"):
        _, items = await complete(client, path, text)
        assert items == [], text


async def test_a_second_router_is_not_offered(client: RecordingClient, project: Path) -> None:
    write_domain_project(project)
    _, items = await complete(client, project / "src" / "posts" / "router.py", ROUTER_HEAD + "fbp")
    labels = [item.label for item in items]
    assert "fbp-router" not in labels
    assert labels[0] == "fbp-get" or labels[0] == "fbp-list"
