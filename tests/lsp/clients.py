"""The test client: pytest-lsp's, recording what the server sends, and real client profiles."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


class RecordingClient(LanguageClient):
    """pytest-lsp's client, also keeping every publishDiagnostics and registration in order."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.profile: Profile = Profile("visual-studio-code")
        self.init_result: types.InitializeResult | None = None

    @property
    def encoding(self) -> str:
        assert self.init_result is not None
        encoding = self.init_result.capabilities.position_encoding
        return str(getattr(encoding, "value", encoding or "utf-16"))


def _record_diagnostics(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def _record_registration(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def recording_features() -> dict[str, Any]:
    """pytest-lsp's default client features plus the recording of diagnostics/registrations."""
    return {
        **DEFAULT_CLIENT_FEATURES,
        PUBLISH: _record_diagnostics,
        types.CLIENT_REGISTER_CAPABILITY: _record_registration,
    }


def make_client() -> RecordingClient:
    client = RecordingClient()
    register_lsp_features(client, recording_features())
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "fastapi_practices.lsp", "--stdio"],
    client_factory=make_client,
)


@dataclass(frozen=True)
class Profile:
    """A real client's capabilities, optionally narrowed, plus what the test sends at start."""

    client: str
    options: dict[str, Any] = field(default_factory=lambda: {"debounceMs": 20})
    encodings: tuple[str, ...] | None = None
    without_resolve: bool = False
    without_configuration: bool = False
    configuration: dict[str, Any] | None = None

    def __str__(self) -> str:
        return self.client

    def capabilities(self) -> types.ClientCapabilities:
        capabilities = client_capabilities(self.client)
        if self.encodings is not None:
            capabilities.general = types.GeneralClientCapabilities(
                position_encodings=list(self.encodings)
            )
        if self.without_resolve and capabilities.text_document is not None:
            action = capabilities.text_document.code_action
            if action is not None:
                action.resolve_support = None
        if self.without_configuration and capabilities.workspace is not None:
            capabilities.workspace.configuration = False
        return capabilities


VSCODE = Profile("visual-studio-code")
NEOVIM = Profile("neovim")
EMACS = Profile("emacs")
