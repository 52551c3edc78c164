"""pygls' protocol with document changes applied the LSP way.

pygls splits lines with `str.splitlines`, which also breaks at form feeds and other separators
that are not line ends for the client, so incremental edits after such a character land on the
wrong line. Here changes are applied with the LSP's own line ends, and a change for a document
that was never opened is logged and ignored instead of raising.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method

from fastapi_practices.lsp.convert import TextLines, encoding_name

logger = logging.getLogger("fastapi_practices.lsp")


def apply_change(text: str, change: types.TextDocumentContentChangeEvent, encoding: str) -> str:
    if isinstance(change, types.TextDocumentContentChangePartial):
        lines = TextLines(text, encoding)
        rng = lines.range_from_client(change.range)
        start, end = lines.offset(rng.start), lines.offset(rng.end)
        if end < start:
            start, end = end, start
        return text[:start] + change.text + text[end:]
    return change.text


class PracticesProtocol(LanguageServerProtocol):
    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        uri = params.text_document.uri
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            logger.warning("ignoring a change to %s, which is not open", uri)
            return
        encoding = encoding_name(self.workspace.position_encoding)
        text = document.source
        for change in params.content_changes:
            text = apply_change(text, change, encoding)
        self.workspace.put_text_document(
            types.TextDocumentItem(
                uri=document.uri,
                language_id=document.language_id or "",
                version=params.text_document.version,
                text=text,
            )
        )
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None
