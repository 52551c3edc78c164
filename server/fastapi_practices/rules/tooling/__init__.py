"""Seed's closing advice: the project's own tooling (ruff) enforces the practices too."""

from fastapi_practices.rules.tooling import ruff_config  # noqa: F401
