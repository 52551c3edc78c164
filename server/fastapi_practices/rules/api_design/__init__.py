"""Seed §7, API design: routers, response models and documented status codes."""
