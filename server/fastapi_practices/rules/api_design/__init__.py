"""Seed §7, API design: routers, response models and documented status codes."""

from fastapi_practices.rules.api_design import (
    create_status,
    public_docs,
    response_model,
    router_prefix,
    router_tags,
    undocumented_status,
)

__all__ = [
    "create_status",
    "public_docs",
    "response_model",
    "router_prefix",
    "router_tags",
    "undocumented_status",
]
