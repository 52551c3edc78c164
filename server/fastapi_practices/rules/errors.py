"""Seed §5, error handling."""
