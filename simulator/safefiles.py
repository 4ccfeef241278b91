"""Bounded reads of regular files only: no device, FIFO or socket, and never more than a cap.

A symlink to /dev/zero, a FIFO or a 20 GB file given as an input must fail fast with a message,
never block or fill memory. Paths are resolved first, so a link to a regular file is fine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_INPUT_BYTES = 2 * 1024 * 1024  # scenario, map, roster and answers files
MAX_REPORT_BYTES = 64 * 1024 * 1024  # a report.json read back by `ttx trend`


class InputFileError(Exception):
    """An input that cannot be read; the message says why, in words for the user."""


def read_regular(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them, or an InputFileError."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below refuses it anyway.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputFileError(f"cannot read file: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"not a regular file ({_kind(info.st_mode)}); expected a file on disk")
        if info.st_size > limit:
            raise InputFileError(f"file is {_over(info.st_size, limit)} — is this the right file?")
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more than allowed tells a file that grew since fstat
        # Ask for the size fstat gave (plus the byte that tells growth): `os.read(fd, n)` allocates
        # n bytes before it reads, so a fixed large request costs a big allocation per small file.
        wanted = info.st_size + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, max(wanted, 64 * 1024)))
            wanted = 0
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise InputFileError(f"file is over {_size(limit)}; expected at most {_size(limit)}")
        return data
    except OSError as error:
        raise InputFileError(f"cannot read file: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _over(size: int, limit: int) -> str:
    """'3.1 MB; expected at most 2 MB', in bytes when the rounded sizes would read alike."""
    if _size(size) == _size(limit) or _size(size).replace(".0 ", " ") == _size(limit):
        return f"{size:,} bytes; expected at most {_size(limit)} ({limit:,} bytes)"
    return f"{_size(size)}; expected at most {_size(limit)}"


def _size(count: int) -> str:
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // 1048576} MB"
    if count >= 1024 * 1024:
        return f"{count / 1048576:.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"
