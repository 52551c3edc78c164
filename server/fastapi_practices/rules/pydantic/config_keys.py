"""pydantic v1 `class Config` options and their v2 `ConfigDict` / `SettingsConfigDict` names."""

from __future__ import annotations

# v1 name -> v2 name (the pydantic migration guide's table of renamed options).
RENAMED = {
    "allow_population_by_field_name": "populate_by_name",
    "anystr_lower": "str_to_lower",
    "anystr_strip_whitespace": "str_strip_whitespace",
    "anystr_upper": "str_to_upper",
    "keep_untouched": "ignored_types",
    "max_anystr_length": "str_max_length",
    "min_anystr_length": "str_min_length",
    "orm_mode": "from_attributes",
    "schema_extra": "json_schema_extra",
    "validate_all": "validate_default",
}

# Options spelled the same in v2 (some existed in v1 already, some are v2 names that a
# transitional `class Config` may already use).
UNCHANGED = frozenset(
    {
        "alias_generator",
        "allow_inf_nan",
        "arbitrary_types_allowed",
        "cache_strings",
        "coerce_numbers_to_str",
        "defer_build",
        "extra",
        "frozen",
        "from_attributes",
        "hide_input_in_errors",
        "ignored_types",
        "json_encoders",
        "json_schema_extra",
        "json_schema_mode_override",
        "json_schema_serialization_defaults_required",
        "loc_by_alias",
        "plugin_settings",
        "populate_by_name",
        "protected_namespaces",
        "regex_engine",
        "revalidate_instances",
        "ser_json_bytes",
        "ser_json_inf_nan",
        "ser_json_timedelta",
        "str_max_length",
        "str_min_length",
        "str_strip_whitespace",
        "str_to_lower",
        "str_to_upper",
        "strict",
        "title",
        "use_attribute_docstrings",
        "use_enum_values",
        "validate_assignment",
        "validate_default",
        "validate_return",
        "validation_error_cause",
    }
)

# Extra options of `SettingsConfigDict`, spelled as in v1's `BaseSettings.Config`.
SETTINGS_ONLY = frozenset(
    {
        "case_sensitive",
        "env_file",
        "env_file_encoding",
        "env_ignore_empty",
        "env_nested_delimiter",
        "env_parse_none_str",
        "env_prefix",
        "secrets_dir",
    }
)

# `extra = Extra.forbid`: the v2 value is the plain string.
EXTRA_ENUMS = frozenset({"pydantic.Extra", "pydantic.config.Extra"})


def v2_name(key: str, settings: bool) -> str | None:
    """The v2 option for v1 option `key`, or None when there is no faithful one."""
    if key in RENAMED:
        return RENAMED[key]
    if key in UNCHANGED or (settings and key in SETTINGS_ONLY):
        return key
    return None
