"""The session journal: append-only JSON Lines, the single source of truth.

Line 1 is the header (`records.Header`); every later line is an event with a
`type` and an `at` (UTC, ISO 8601). Each line is written, flushed and fsynced
before `append` returns, so a crash loses nothing that was answered.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from simulator.records import JOURNAL_FORMAT, AnswerRecord, EventKind, Header

Event = dict[str, Any]


class JournalError(Exception):
    """A journal that cannot be read or written; the message says which line and why."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def make_event(event_type: EventKind, /, **payload: Any) -> Event:
    """An event as it is journaled: type and time first, then its payload."""
    return {"type": event_type, "at": utc_now(), **payload}


@dataclass
class JournalContents:
    header: Header
    events: list[Event]
    warnings: list[str] = field(default_factory=list)  # e.g. a torn last line that was skipped

    def of_type(self, kind: EventKind) -> list[Event]:
        return [event for event in self.events if event.get("type") == kind]

    @property
    def ended(self) -> bool:
        return any(event.get("type") == "session_ended" for event in self.events)


def _encode(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _header_from(data: object, path: Path) -> Header:
    if not isinstance(data, dict) or data.get("type") != "header":
        raise JournalError(f"{path}:1: expected a journal header as the first line")
    version = data.get("format")
    if version != JOURNAL_FORMAT:
        raise JournalError(
            f"{path}:1: journal format '{version}' is not supported; expected '{JOURNAL_FORMAT}'"
            " (was it written by another version of ttx?)"
        )
    try:
        return Header.from_json(data)
    except ValueError as error:
        raise JournalError(f"{path}:1: malformed journal header ({error})") from None


def read_journal(path: str | Path) -> JournalContents:
    """Read a journal. A torn last line is skipped with a warning; a bad line elsewhere is an error."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise JournalError(f"cannot read journal {path}: {error.strerror or error}") from None
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last complete line
    if not lines:
        raise JournalError(f"{path}: journal is empty; expected a header line")
    warnings: list[str] = []
    records: list[Any] = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            if number == len(lines) and number > 1:
                # A power cut mid-write leaves at most the last line torn.
                warnings.append(f"{path}:{number}: skipped a torn last line (an interrupted write)")
                break
            raise JournalError(f"{path}:{number}: not a complete JSON line ({error}); the journal is damaged") from None
    header = _header_from(records[0], path)
    events: list[Event] = []
    for number, record in enumerate(records[1:], start=2):
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            raise JournalError(f"{path}:{number}: expected an event object with a 'type'")
        if record["type"] == "answer_recorded":
            try:
                AnswerRecord.from_json(record)  # scoring reads these: refuse a damaged one here, with its line
            except ValueError as error:
                raise JournalError(f"{path}:{number}: malformed answer ({error})") from None
        events.append(record)
    return JournalContents(header, events, warnings)


class Journal:
    """An open journal file, appended to one fsynced line at a time."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def create(cls, path: str | Path, header: Header) -> Journal:
        """Start a new journal with its header; refuses to overwrite an existing one."""
        path = Path(path)
        try:
            handle = open(path, "xb")  # noqa: SIM115 - kept open for the whole session
        except FileExistsError:
            raise JournalError(f"{path}: a journal already exists here") from None
        journal = cls(path, handle)
        journal._write(header.to_json())
        return journal

    @classmethod
    def reopen(cls, path: str | Path) -> Journal:
        """Open an existing journal to continue it, cutting off a torn last line first."""
        path = Path(path)
        read_journal(path)  # refuse to append to a damaged or foreign file
        handle = open(path, "r+b")  # noqa: SIM115 - kept open for the whole session
        raw = handle.read()
        end = raw.rfind(b"\n") + 1
        tail = raw[end:]
        if tail:
            try:
                json.loads(tail.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                handle.truncate(end)  # the torn line read_journal skipped
                handle.seek(end)
            else:
                handle.seek(len(raw))
                handle.write(b"\n")  # complete line whose newline was lost
        else:
            handle.seek(len(raw))
        journal = cls(path, handle)
        journal._sync()
        return journal

    def append(self, event: Event) -> None:
        """Write one event line and make it durable before returning."""
        self._write(event)

    def _write(self, record: dict[str, Any]) -> None:
        self._handle.write(_encode(record))
        self._sync()

    def _sync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
