"""Seed §3, Pydantic: validation, base models and settings the v2 way."""
