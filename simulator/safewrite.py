"""The one way ttx writes a file: never over what it did not write, never through a planted link.

Every command that writes (`report -o`, `trend -o`, `graph -o`, `handout -o`, `schema --out`,
`new`, the report files of a session) goes through `write_output`. Its rules (docs/security.md):

- a session's journal and its scenario and map copies are never written over, not even with force;
- a character device, FIFO or socket (`-o /dev/stdout`, `-o /dev/full`, a named pipe) is written
  as a stream, never replaced by a file; a block device, a folder or a dangling link is refused;
- an existing regular file is replaced only with `force`, or when ttx recognisably wrote it (a report
  file in a session folder, or a file carrying ttx's mark: report.json's format, the HTML generator
  tag, the improvement plan's header row, a ttx JSON Schema `$id`, the handout's and the graph's
  first-line comment);
- the new text goes to a temporary file with a random name created exclusively (O_EXCL, O_NOFOLLOW)
  beside the target, is flushed to disk, then renamed over the target in one step, so a reader never
  sees half a file and a link planted at a guessable temporary name is never followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

# The files of a session folder that hold the session itself (see simulator.sessions).
SESSION_JOURNAL = "journal.jsonl"
SESSION_FILES = frozenset({SESSION_JOURNAL, "scenario.yaml", "map.yaml"})
# The report files ttx writes into a session folder; it may always replace its own.
SESSION_REPORTS = frozenset({"report.json", "report.md", "report.html", "improvement-plan.csv"})
# The first line of `ttx graph`: a Mermaid comment, which every Mermaid viewer skips.
GRAPH_MARK = "%% written by ttx graph"
# What ttx puts near the top of files it writes, so it can tell its own file from a user's.
MARKS = (
    GRAPH_MARK.encode(),
    b"<!-- ttx handout: ",  # the handout's first line, invisible when the Markdown is rendered
    b"<!-- ttx report: ",  # the Markdown AAR's first line
    b"<!-- ttx trend: ",  # the Markdown trend's first line
    b'"format": "ttx-',  # report.json
    b'<meta name="generator" content="ttx">',  # AAR and trend HTML
    b'"$id": "ttx-',  # ttx schema
    "\ufeffNo.,Priority,Critical decision,".encode(),  # improvement-plan.csv
)
_HEAD_BYTES = 4096
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class OutputError(OSError):
    """A file that must not or cannot be written; the message is one line for the user.

    An OSError, so code that already handles a failed write handles a refused one too.
    `exists` is true when the only problem is an existing file (a `--force` would write it).
    """

    def __init__(self, message: str, *, exists: bool = False, reason: str | None = None) -> None:
        super().__init__(message)
        self.exists = exists
        self.strerror = reason  # the system's words alone ("No space left on device"), when the disk refused


def write_output(path: Path, text: str | bytes, *, force: bool = False, create_folders: bool = False) -> None:
    """Write `text` (UTF-8) to `path` by the rules above; missing parent folders are made when `create_folders`.

    Raises OutputError with a one-line message when the rules forbid it or the disk refuses it.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
        if os.path.islink(path):
            raise OutputError(f"cannot write {path}: it is a link to a missing file; give the real path") from None
    except NotADirectoryError:
        raise OutputError(f"cannot write {path}: {path.parent} is not a folder") from None
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}", reason=error.strerror) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            _stream(path, data)
            return
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputError(f"cannot write {path}: it is {kind}; expected a file name")
    # A link to a regular file: the rules apply to the file it names, which is what gets replaced.
    target = Path(os.path.realpath(path)) if info is not None and os.path.islink(path) else path
    _refuse_session_file(path, target)
    if info is not None and not force and not _ours(target):
        raise OutputError(
            f"{path} already exists; not overwriting it — give another path, or --force to replace it", exists=True
        )
    if create_folders:
        _make_folders(path, target.parent)
    _replace(path, target, data, replace=info is not None)


def _refuse_session_file(path: Path, target: Path) -> None:
    if target.name in SESSION_FILES and (target.parent / SESSION_JOURNAL).exists():
        raise OutputError(
            f"cannot write {path}: it is part of the session in {target.parent}; ttx never writes over a"
            " session's journal or its copies — give another path"
        )


def _ours(target: Path) -> bool:
    """Whether ttx wrote the existing file `target`: its report in a session folder, or a file with ttx's mark."""
    if target.name in SESSION_REPORTS and (target.parent / SESSION_JOURNAL).is_file():
        return True
    try:
        descriptor = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        head = os.read(descriptor, _HEAD_BYTES)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return any(mark in head for mark in MARKS)


def _stream(path: Path, data: bytes) -> None:
    """Write to a device, FIFO or socket as a stream: no temporary file, no rename, no truncation."""
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}", reason=error.strerror) from None
    try:
        _write_all(descriptor, data)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}", reason=error.strerror) from None
    finally:
        os.close(descriptor)


def _make_folders(path: Path, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {path}: {folder} is not a folder") from None
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}", reason=error.strerror) from None


def _replace(path: Path, target: Path, data: bytes, *, replace: bool) -> None:
    folder = target.parent
    temporary = folder / f".{target.name[:200]}.{secrets.token_hex(8)}.tmp"
    try:
        descriptor = os.open(temporary, _OPEN_FLAGS, 0o666)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}", reason=error.strerror) from None
    try:
        try:
            _write_all(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if replace:
            os.replace(temporary, target)
        else:
            _publish_new(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # a failed write leaves nothing behind
        if isinstance(error, FileExistsError):
            raise OutputError(
                f"{path} appeared while writing; not overwriting it — give another path, or --force", exists=True
            ) from None
        raise OutputError(f"cannot write {path}: {error.strerror or error}", reason=error.strerror) from None


def _publish_new(temporary: Path, target: Path) -> None:
    """Give the finished temporary file the target's name, failing if a file of that name appeared meanwhile."""
    try:
        os.link(temporary, target, follow_symlinks=False)
    except OSError as error:
        if error.errno in (errno.EEXIST,):
            raise
        # A file system without hard links: check once more, then rename.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
