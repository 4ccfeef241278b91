"""Writing a new file safely: never over an existing one unless told, never half-written.

The bytes go to a temporary file created exclusively (O_EXCL) in the target folder, are flushed
to disk, and only then take the final name: by a hard link, which fails if the name has appeared
meanwhile, or with `force` by an atomic rename over the old file. A failure removes the
temporary file. (A small local writer until the shared safe writer lands; same contract.)
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class OutputExists(Exception):
    """The target exists and `force` was not given."""


def write_new(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path`; OutputExists if it exists (without `force`), OSError if it cannot be written."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if not force:
            raise OutputExists(str(path))
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a folder", str(path))
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a sheet is an ordinary file
        if force:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _link_new(temporary: str, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise OutputExists(str(path)) from None
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, no worse than open("x")).
        if os.path.lexists(path):
            raise OutputExists(str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)
