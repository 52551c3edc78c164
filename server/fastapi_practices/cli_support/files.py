"""Reading a source file exactly as it is, and writing it back atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = "\ufeff"
DEFAULT_MAX_FILE_SIZE = 2_000_000


class SourceSkipped(Exception):
    """A file that cannot be checked; the message is the reason, for a one-line notice."""


@dataclass(frozen=True)
class SourceText:
    """The decoded text (line endings untouched) and whether the file started with a BOM."""

    text: str
    bom: bool = False

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> SourceText:
    """Read and decode UTF-8 without newline translation. Raises SourceSkipped."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block the read or never end.
            raise SourceSkipped("not a regular file")
        size = info.st_size
        if size > max_bytes:
            raise SourceSkipped(
                f"larger than {max_bytes} bytes ({size} bytes; see --max-file-size)"
            )
        data = path.read_bytes()
    except OSError as error:
        raise SourceSkipped(f"cannot read ({error.strerror or type(error).__name__})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceSkipped(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    if text.startswith(BOM):
        return SourceText(text[len(BOM) :], bom=True)
    return SourceText(text)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file's content in one step, keeping its permission bits.

    The new content goes to a temporary file in the same directory, then `os.replace` swaps
    it in, so a reader never sees a half-written file. A symbolic link is written through; a
    file the user may not write is left alone.
    """
    target = path.resolve()
    mode = stat.S_IMODE(target.stat().st_mode)
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "Permission denied", str(target))
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
