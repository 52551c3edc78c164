"""What the client said it can do, read once at `initialize`."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types
from pygls.capabilities import get_capability


@dataclass(frozen=True)
class ClientFeatures:
    resolve_edit: bool = False
    document_changes: bool = False
    # `CreateFile` in a workspace edit's `documentChanges` (cross-file fixes that add a module).
    create_files: bool = False
    is_preferred: bool = False
    code_action_literals: bool = True
    markdown_hover: bool = True
    configuration: bool = False
    watch_files_dynamically: bool = False
    configuration_dynamically: bool = False
    work_done_progress: bool = False

    @classmethod
    def of(cls, capabilities: types.ClientCapabilities) -> ClientFeatures:
        def has(path: str) -> bool:
            return bool(get_capability(capabilities, path, False))

        resolve_properties = get_capability(
            capabilities, "text_document.code_action.resolve_support.properties", []
        )
        hover_formats = get_capability(capabilities, "text_document.hover.content_format", None)
        resource_operations = get_capability(
            capabilities, "workspace.workspace_edit.resource_operations", []
        )
        document_changes = has("workspace.workspace_edit.document_changes")
        return cls(
            resolve_edit="edit" in (resolve_properties or [])
            and has("text_document.code_action.data_support"),
            document_changes=document_changes,
            create_files=document_changes
            and types.ResourceOperationKind.Create in (resource_operations or []),
            is_preferred=has("text_document.code_action.is_preferred_support"),
            code_action_literals=get_capability(
                capabilities, "text_document.code_action.code_action_literal_support", None
            )
            is not None,
            markdown_hover=hover_formats is None or types.MarkupKind.Markdown in hover_formats,
            configuration=has("workspace.configuration"),
            watch_files_dynamically=has("workspace.did_change_watched_files.dynamic_registration"),
            configuration_dynamically=has(
                "workspace.did_change_configuration.dynamic_registration"
            ),
            work_done_progress=has("window.work_done_progress"),
        )
