"""Whether a fixed text is still valid in its own language."""

from __future__ import annotations

import ast
import configparser
import io
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def parses(text: str, path: Path | None = None) -> bool:
    suffix = path.suffix if path is not None else ".py"
    try:
        if suffix == ".ini":
            # As the file is read from disk: in text mode, where a lone CR ends a line too.
            parser = configparser.ConfigParser(interpolation=None, strict=False)
            parser.read_file(io.StringIO(text, newline=None))
        elif suffix == ".toml":
            tomllib.loads(text)
        else:
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, configparser.Error):
        return False
    return True
