"""The session journal: append-only JSON Lines, the single source of truth (docs/journal.md).

Line 1 is the header (`records.Header`); every later line is an event with a
`type`, an `at` (UTC, ISO 8601) and, since `ttx-journal/2`, a `prev_sha256`:
the SHA-256 of the previous line's bytes as stored (without its newline). The
chain makes an edited, removed, inserted or reordered line visible by its line
number; it detects edits, it is not a signature.

Durability: a line is on disk (written, flushed, fsynced) before `append`
returns. Inside `group()` the lines are kept until the group ends and then
written and fsynced once: the engine groups every event of one answer, which
is acknowledged only when `answer` returns, so nothing acknowledged is lost.
Inside `unsynced()` a line is written at once but not fsynced: the seat server
writes the ballots that arrive together this way, then one `sync()` (in a
worker thread) covers them all, and each is acknowledged only once
`lines_synced` reaches its line. Every fsync covers every line written before
it, so a group or an `append` also makes the ballot lines before it durable.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from simulator.records import (
    JOURNAL_FORMAT,
    MAP_COPY,
    SCENARIO_COPY,
    UNCHAINED_FORMATS,
    AnswerRecord,
    BallotRecord,
    EventKind,
    Header,
    JoinedParticipant,
)
from simulator.safefiles import InputFileError, read_regular
from simulator.safetext import strip_controls

Event = dict[str, Any]

CHAIN_FIELD = "prev_sha256"
MAX_JOURNAL_BYTES = 64 * 1024 * 1024  # ~200,000 answers; a bigger journal.jsonl is not one ttx wrote
NO_CHAIN_NOTICE = "journal format '{format}' carries no hash chain: edits to it cannot be detected"


class JournalError(Exception):
    """A journal that cannot be read or written; the message says which line and why."""


class TamperedJournal(JournalError):
    """A journal whose hash chain breaks: a line was edited, removed, added or moved."""


class JournalWriteError(JournalError, OSError):
    """The journal could not be written (a full disk...); what is on disk is a consistent prefix."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def make_event(event_type: EventKind, /, **payload: Any) -> Event:
    """An event as it is journaled: type and time first, then its payload."""
    return {"type": event_type, "at": utc_now(), **payload}


def write_all(descriptor: int, data: bytes) -> None:
    """Write every byte (a short write is continued); OSError, e.g. ENOSPC, when the disk refuses."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def line_hash(line: bytes) -> str:
    """The chain's hash of one stored line: SHA-256 of its bytes without the newline, in hex."""
    return hashlib.sha256(line).hexdigest()


@dataclass
class JournalContents:
    header: Header
    events: list[Event]  # without their `prev_sha256`: the events as the engine produced them
    warnings: list[str] = field(default_factory=list)  # e.g. a torn last line that was skipped
    chained: bool = True  # False for a journal of a format before the hash chain
    tampered: list[str] = field(default_factory=list)  # where the chain breaks, when read with accept_tampered
    broken_lines: list[int] = field(default_factory=list)  # the line numbers of `tampered`
    last_hash: str = ""  # hash of the last complete line: the next line's `prev_sha256`
    torn: bool = False  # the last line was torn and left out

    def of_type(self, kind: EventKind) -> list[Event]:
        return [event for event in self.events if event.get("type") == kind]

    @property
    def ended(self) -> bool:
        return any(event.get("type") == "session_ended" for event in self.events)


def _encode(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _header_from(data: object, path: Path) -> Header:
    if not isinstance(data, dict) or data.get("type") != "header":
        raise JournalError(f"{path}:1: expected a journal header as the first line")
    version = data.get("format")
    if version != JOURNAL_FORMAT and version not in UNCHAINED_FORMATS:
        shown = strip_controls(version, multiline=False) if isinstance(version, str) and len(version) <= 40 else "?"
        raise JournalError(
            f"{path}:1: journal format '{shown}' is not supported; expected '{JOURNAL_FORMAT}'"
            " (was it written by another version of ttx?)"
        )
    try:
        header = Header.from_json(data)
    except ValueError as error:
        raise JournalError(f"{path}:1: malformed journal header ({error})") from None
    for source, expected in ((header.scenario, SCENARIO_COPY), (header.map, MAP_COPY)):
        if source.copy != expected:
            shown = source.copy if len(source.copy) <= 80 else source.copy[:80] + "…"
            raise JournalError(
                f"{path}:1: the header names copy {shown!r}; a session's copies are only ever"
                f" '{SCENARIO_COPY}' and '{MAP_COPY}' inside its folder"
            )
    return header


def _parse(line: bytes) -> Any:
    """One line as JSON; ValueError (a bad or over-long number, not JSON) or RecursionError (too deep)."""
    return json.loads(line.decode("utf-8"))


def _complete_lines(raw: bytes, path: Path) -> tuple[list[bytes], list[str]]:
    """The journal's complete lines, and a warning when a torn last line was left out."""
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last complete line
    if not lines:
        raise JournalError(f"{path}: journal is empty; expected a header line")
    last = lines[-1]
    if len(lines) > 1 and not raw.endswith(b"\n"):
        try:
            _parse(last)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            # A power cut mid-write leaves at most the last line torn.
            return lines[:-1], [f"{path}:{len(lines)}: skipped a torn last line (an interrupted write)"]
        except ValueError:
            pass  # complete JSON with an impossible number: reported below with its line
    return lines, []


def _record(line: bytes, number: int, path: Path) -> Any:
    try:
        return _parse(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        # Both name a position, never the line's text: a short message whatever the line holds.
        raise JournalError(f"{path}:{number}: not a complete JSON line ({error}); the journal is damaged") from None
    except RecursionError:
        raise JournalError(
            f"{path}:{number}: a line nested too deeply to be an event; the journal is damaged"
        ) from None
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits.
        raise JournalError(f"{path}:{number}: a number too long to be real; the journal is damaged") from None


def parse_journal(raw: bytes, path: Path, accept_tampered: bool = False) -> JournalContents:
    """A journal from its bytes: header, verified hash chain, events; JournalError names the bad line."""
    lines, warnings = _complete_lines(raw, path)
    torn = bool(warnings)
    header = _header_from(_record(lines[0], 1, path), path)
    chained = header.format == JOURNAL_FORMAT
    if not chained:
        warnings.append(f"{path}:1: " + NO_CHAIN_NOTICE.format(format=header.format))
    tampered: list[str] = []
    broken_lines: list[int] = []
    events: list[Event] = []
    ended_on = 0
    previous = line_hash(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        record = _record(line, number, path)
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            raise JournalError(f"{path}:{number}: expected an event object with a 'type'")
        if chained:
            claimed = record.pop(CHAIN_FIELD, None)
            if claimed != previous:
                broken = _chain_break(path, number, claimed)
                if not accept_tampered:
                    raise TamperedJournal(broken)
                tampered.append(broken)
                broken_lines.append(number)
        elif CHAIN_FIELD in record:
            # Format 1 never wrote a chain: a header set back to format 1 would skip the check.
            broken = f"{path}:1: the header says format '{header.format}', but line {number} carries a hash chain"
            if not accept_tampered:
                raise TamperedJournal(broken)
            if 1 not in broken_lines:
                tampered.append(broken)
                broken_lines.append(1)
            record.pop(CHAIN_FIELD)
        previous = line_hash(line)
        try:
            _check_event(record)
        except ValueError as error:
            raise JournalError(f"{path}:{number}: malformed {_kind_shown(record['type'])} ({error})") from None
        if record["type"] == "session_ended":
            if ended_on:
                raise JournalError(
                    f"{path}:{number}: a second 'session_ended' (the session ended on line {ended_on});"
                    " a journal ends once"
                )
            ended_on = number
        elif record["type"] == "answer_withdrawn":
            ended_on = 0  # a correction after the end reopens the session (DESIGN §5.1): it may end again
        events.append(record)
    return JournalContents(header, events, warnings, chained, tampered, broken_lines, previous, torn)


def _check_event(record: dict[str, Any]) -> None:
    """The fields replay, scoring and the reports read from an event; ValueError names the first bad one."""
    if not isinstance(record.get("at"), str):
        raise ValueError(f"at: expected str, got {type(record.get('at')).__name__}")
    kind = record["type"]
    if kind == "answer_recorded":
        AnswerRecord.from_json(record)
    elif kind == "ballot_cast":
        BallotRecord.from_json(record)
    elif kind == "participant_joined":
        JoinedParticipant.from_json(record)
    elif kind == "note_added":
        for key in ("author", "text"):
            if not isinstance(record.get(key), str):
                raise ValueError(f"{key}: expected str, got {type(record.get(key)).__name__}")
    elif kind == "session_ended" and not isinstance(record.get("reason", ""), str):
        raise ValueError(f"reason: expected str, got {type(record.get('reason')).__name__}")


def _kind_shown(kind: str) -> str:
    return {"answer_recorded": "answer", "ballot_cast": "ballot", "note_added": "note"}.get(kind, "event")


def _chain_break(path: Path, number: int, claimed: object) -> str:
    if claimed is None:
        return f"{path}:{number}: the hash chain breaks here: the line carries no '{CHAIN_FIELD}'"
    return (
        f"{path}:{number}: the hash chain breaks here: line {number - 1} was changed,"
        f" or a line was removed, added or moved just before line {number}"
    )


def read_journal(path: str | Path, accept_tampered: bool = False) -> JournalContents:
    """Read and verify a journal. A torn last line is skipped with a warning; a bad line elsewhere is an error.

    A broken hash chain raises TamperedJournal naming the first line that breaks
    it, unless `accept_tampered`: then every break is listed in `tampered`.
    Reading takes no lock: a writer appends whole lines, and a line it is still
    writing reads as a torn last line.
    """
    path = Path(path)
    try:
        raw = read_regular(path, MAX_JOURNAL_BYTES)
    except InputFileError as error:
        raise JournalError(f"cannot read journal {path}: {error}") from None
    return parse_journal(raw, path, accept_tampered)


class Journal:
    """An open journal file, appended to one fsynced line (or one fsynced group of lines) at a time.

    Lines appended inside `unsynced()` are written at once and fsynced later by `sync()`.
    """

    def __init__(self, path: Path, handle: IO[bytes], last_hash: str, chained: bool = True) -> None:
        self.path = path
        self._handle = handle
        self._last_hash = last_hash
        self._chained = chained
        self._group: list[bytes] | None = None  # lines waiting for the end of a group
        self._unsynced = False  # inside `unsynced()`: lines are written without their fsync
        self._failed: str = ""  # why an earlier write failed: nothing more is written after it
        self._lines_written = 0  # lines in the file (the header is line 1)
        self._lines_synced = 0  # lines an fsync has completed over: on disk whatever happens next
        # The owner thread appends, writes and closes; sync() alone may also run in a worker thread.
        self._closing = threading.Lock()  # held by sync() and close(): a sync never sees its descriptor closed
        self._counting = threading.Lock()  # for `_lines_synced`, which two threads may raise at once
        self.contents: JournalContents | None = None  # what was on disk when it was reopened

    @classmethod
    def create(cls, path: str | Path, header: Header) -> Journal:
        """Start a new journal with its header; refuses to overwrite an existing one."""
        path = Path(path)
        try:
            handle = open(path, "xb", buffering=0)  # noqa: SIM115 - kept open for the whole session
        except FileExistsError:
            raise JournalError(f"{path}: a journal already exists here") from None
        line = _encode(header.to_json())
        journal = cls(path, handle, line_hash(line))
        try:
            journal._write([line])
        except JournalWriteError:
            journal.close()
            raise
        return journal

    @classmethod
    def reopen(cls, path: str | Path, accept_tampered: bool = False) -> Journal:
        """Open an existing journal to continue it, cutting off a torn last line first.

        The caller holds the session's lock (`sessions.SessionLock`): nobody else
        writes while the file is read and continued. `contents` holds what was read.
        """
        path = Path(path)
        try:
            raw = read_regular(path, MAX_JOURNAL_BYTES)
        except InputFileError as error:
            raise JournalError(f"cannot read journal {path}: {error}") from None
        contents = parse_journal(raw, path, accept_tampered)  # refuse to append to a damaged or foreign file
        handle = open(path, "r+b", buffering=0)  # noqa: SIM115 - kept open for the whole session
        try:
            end = raw.rfind(b"\n") + 1
            if contents.torn:
                handle.truncate(end)  # the torn line parse_journal skipped
                handle.seek(end)
            elif end < len(raw):
                handle.seek(len(raw))
                handle.write(b"\n")  # a complete line whose newline was lost
            else:
                handle.seek(len(raw))
            journal = cls(path, handle, contents.last_hash, contents.chained)
            journal.contents = contents
            os.fsync(handle.fileno())  # the cut or the added newline is on disk before anything is appended
            journal._lines_written = journal._lines_synced = 1 + len(contents.events)
        except OSError as error:
            handle.close()
            raise JournalWriteError(f"cannot continue journal {path}: {error.strerror or error}") from None
        return journal

    @property
    def lines_written(self) -> int:
        """Lines in the file so far, the header included: the line number of the last event appended."""
        return self._lines_written

    @property
    def lines_synced(self) -> int:
        """Lines an fsync has covered: they survive a crash or `kill -9` (a line is acknowledged only then)."""
        return self._lines_synced

    def append(self, event: Event) -> None:
        """Write one event line and make it durable before returning (or at the end of the group).

        Inside `unsynced()` the line is written but its fsync is left to `sync()`.
        """
        record = {**event, CHAIN_FIELD: self._last_hash} if self._chained else dict(event)
        line = _encode(record)
        self._last_hash = line_hash(line)
        if self._group is not None:
            self._group.append(line)
        else:
            self._write([line], sync=not self._unsynced)

    @contextmanager
    def unsynced(self) -> Iterator[None]:
        """Appends inside are written at once, in order, but not fsynced: `sync()` (or any later fsync) covers them.

        Whoever appends this way must not acknowledge a line before `lines_synced`
        reaches it. Inside a group it changes nothing: the group is fsynced when it ends.
        """
        outer, self._unsynced = self._unsynced, True
        try:
            yield
        finally:
            self._unsynced = outer

    def sync(self) -> None:
        """Fsync every line written so far and count them as synced; JournalWriteError if the disk refuses.

        It may run in a worker thread while the owner thread goes on appending:
        the lines counted are those written before the fsync began, a line
        written meanwhile waits for the next fsync, and `close()` waits for it.
        """
        with self._closing:
            self._fsync_written()

    def _fsync_written(self) -> None:
        covered = self._lines_written
        if self._failed:
            raise JournalWriteError(f"{self.path}: not synced, an earlier write failed ({self._failed})")
        if self._handle.closed:
            raise JournalWriteError(f"{self.path}: not synced, the journal is closed")
        try:
            os.fsync(self._handle.fileno())
        except OSError as error:
            # After a failed fsync the kernel may have dropped the lines: none of them may be acknowledged.
            self._failed = error.strerror or str(error)
            raise JournalWriteError(f"cannot write to journal {self.path}: {self._failed}") from None
        with self._counting:  # an fsync in another thread may finish at the same moment: the count only grows
            self._lines_synced = max(self._lines_synced, covered)

    @contextmanager
    def group(self) -> Iterator[None]:
        """Appends inside are written together and fsynced once when the block ends."""
        if self._group is not None:
            yield  # already inside a group: the outer one writes
            return
        self._group = []
        try:
            yield
        finally:
            lines, self._group = self._group, None
            if lines:
                self._write(lines)

    def _write(self, lines: list[bytes], sync: bool = True) -> None:
        if self._failed:
            raise JournalWriteError(f"{self.path}: not written, an earlier write failed ({self._failed})")
        try:
            write_all(self._handle.fileno(), b"".join(line + b"\n" for line in lines))
        except OSError as error:
            self._failed = error.strerror or str(error)
            raise JournalWriteError(f"cannot write to journal {self.path}: {self._failed}") from None
        self._lines_written += len(lines)
        if sync:
            self._fsync_written()  # the owner thread: it need not wait for a sync() in flight elsewhere

    def close(self) -> None:
        """Close the file, after an fsync of lines still unsynced (best effort: none of them was acknowledged)."""
        with self._closing:
            if self._handle.closed:
                return
            if self._lines_synced < self._lines_written and not self._failed:
                with suppress(OSError):
                    os.fsync(self._handle.fileno())
            self._handle.close()  # unbuffered: nothing is left to flush, so closing cannot fail on a full disk

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
