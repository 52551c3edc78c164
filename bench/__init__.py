"""Benchmarks: print figures, never assert on time."""
