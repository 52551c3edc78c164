"""Seed §8, testing."""
