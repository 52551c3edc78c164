"""fastapi-practices: FastAPI best practices as diagnostics, quick fixes and snippets."""

__version__ = "0.1.0"
