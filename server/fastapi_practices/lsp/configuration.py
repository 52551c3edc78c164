"""Where editor settings come from: initializationOptions, pushes, and workspace/configuration."""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from fastapi_practices.lsp import settings
from fastapi_practices.lsp.capabilities import ClientFeatures
from fastapi_practices.lsp.messages import ClientLogHandler, Notifier

logger = logging.getLogger("fastapi_practices.lsp")

CONFIG_FILE = "pyproject.toml"
CLIENT_REPLY_TIMEOUT = 5.0


class EditorConfiguration:
    """The current editor settings, merged from every source (later sources win)."""

    def __init__(self, server: LanguageServer, log_handler: ClientLogHandler | None) -> None:
        self.server = server
        self.log_handler = log_handler
        self.current = settings.EditorSettings()
        self.initialization_options: object = None
        self.pushed: object = None
        self.pulled: object = None
        self.warnings = Notifier(server)

    def take_push(self, pushed: object) -> None:
        """Keep our section of a `workspace/didChangeConfiguration` payload, if it has one."""
        if isinstance(pushed, dict):
            for key in (settings.SECTION, "fastapi-practices"):
                if key in pushed:
                    self.pushed = pushed[key]

    async def pull(self, features: ClientFeatures) -> None:
        if not features.configuration:
            return
        request = types.ConfigurationParams(
            items=[types.ConfigurationItem(section=settings.SECTION)]
        )
        try:
            values = await asyncio.wait_for(
                self.server.workspace_configuration_async(request), CLIENT_REPLY_TIMEOUT
            )
        except Exception as error:
            logger.warning("workspace/configuration failed: %s", error)
            return
        self.pulled = values[0] if values else None

    def apply(self, report: bool) -> bool:
        """Recompute the settings; True when they changed. Each bad key is shown once."""
        raw = settings.merge(self.initialization_options, self.pushed, self.pulled)
        parsed = settings.parse(raw)
        if report:
            self.warnings.forget(keep=parsed.problems)
            self.warnings.warn_once(parsed.problems)
        if self.log_handler is not None:
            self.log_handler.setLevel(parsed.settings.log_level)
        changed = parsed.settings != self.current
        self.current = parsed.settings
        return changed

    async def register_for_changes(self, features: ClientFeatures) -> None:
        """Ask the client to tell us about pyproject.toml and settings changes."""
        registrations = []
        if features.watch_files_dynamically:
            watchers = [
                types.FileSystemWatcher(glob_pattern=f"**/{CONFIG_FILE}"),
                types.FileSystemWatcher(glob_pattern="**/*.py"),
            ]
            registrations.append(
                types.Registration(
                    id="fastapi-practices-config-files",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=watchers
                    ),
                )
            )
        if features.configuration_dynamically:
            registrations.append(
                types.Registration(
                    id="fastapi-practices-configuration",
                    method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=types.DidChangeConfigurationRegistrationOptions(
                        section=settings.SECTION
                    ),
                )
            )
        if not registrations:
            return
        try:
            await asyncio.wait_for(
                self.server.client_register_capability_async(
                    types.RegistrationParams(registrations=registrations)
                ),
                CLIENT_REPLY_TIMEOUT,
            )
        except Exception as error:
            logger.info("the client did not accept change notifications: %s", error)
