"""Seed §3, Pydantic: validation, base models and settings the v2 way."""

from fastapi_practices.rules.pydantic import (
    app_base_model,
    email_type,
    json_encoders,
    membership_validator,
    monolithic_settings,
    regex_validator,
    settings_import,
    url_type,
    v1_config,
    v1_validator,
    validator_raises,
)

__all__ = [
    "app_base_model",
    "email_type",
    "json_encoders",
    "membership_validator",
    "monolithic_settings",
    "regex_validator",
    "settings_import",
    "url_type",
    "v1_config",
    "v1_validator",
    "validator_raises",
]
