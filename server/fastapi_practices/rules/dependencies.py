"""Seed §4, dependencies."""
