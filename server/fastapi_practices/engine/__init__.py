"""Parse once with `ast`, walk once, and let every enabled rule look at each node."""

from fastapi_practices.engine.analyze import analyze

__all__ = ["analyze"]
