"""What reading, reopening and writing a journal says when something is wrong, word for word.

Every message is written out as the user reads it (`path:line: ...`); the journals are built
through `Journal.create` and `append`, which store whatever event they are given.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

import simulator.journal
from simulator.journal import Journal, JournalError, JournalWriteError, TamperedJournal, parse_journal, read_journal
from simulator.records import Header, SourceFile

AT = "2026-11-23T02:14:00.000+00:00"


def header() -> Header:
    return Header(
        scenario=SourceFile("loop", "/somewhere/loop.yaml", "0" * 64, "scenario.yaml"),
        map=SourceFile("tiny", "/somewhere/tiny-map.yaml", "1" * 64, "map.yaml"),
        seed=5,
        roster=[{"name": "Team", "roles": ["lead"]}],
        mode="headless",
        started_at="2026-11-23T02:14:00+00:00",
    )


def note(text: str) -> dict[str, Any]:
    return {"type": "note_added", "at": AT, "author": "F", "text": text, "step": None, "decision": None, "clock": ""}


def journal_of(path: Path, *events: dict[str, Any]) -> Path:
    with Journal.create(path, header()) as journal:
        for event in events:
            journal.append(event)
    return path


def reading_error(path: Path) -> str:
    with pytest.raises(JournalError) as raised:
        read_journal(path)
    return str(raised.value)


BALLOT = {"type": "ballot_cast", "at": AT, "step": "alert", "decision": "who-triages", "participant": "Ana"}


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({k: v for k, v in BALLOT.items() if k != "step"} | {"roles": []}, "malformed ballot (step: missing)"),
        (BALLOT | {"roles": "lead"}, "malformed ballot (roles: expected list"),
        (note("x") | {"author": 5}, "malformed note (author: expected str, got int)"),
        ({k: v for k, v in note("x").items() if k != "text"}, "malformed note (text: expected str, got NoneType)"),
        ({"type": "session_ended", "at": AT, "reason": 5}, "malformed event (reason: expected str, got int)"),
        ({"type": "stage_entered", "stage": "detection"}, "malformed event (at: expected str, got NoneType)"),
        ({"type": "stage_entered", "at": 1764555240}, "malformed event (at: expected str, got int)"),
    ],
    ids=["ballot-without-step", "ballot-roles-text", "note-author", "note-without-text", "reason", "no-at", "at-int"],
)
def test_a_malformed_event_is_named_by_its_kind_and_line(tmp_path: Path, event: dict[str, Any], message: str) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("fine"), event)
    assert reading_error(path).startswith(f"{path}:3: {message}")


def test_events_without_optional_fields_are_read(tmp_path: Path) -> None:
    ended = {"type": "session_ended", "at": AT}  # no reason: none is needed to end
    asked = {"type": "decision_asked", "at": AT}  # kinds nothing reads a field of
    path = journal_of(tmp_path / "journal.jsonl", asked, BALLOT | {"roles": ["lead"]}, ended)
    assert [event["type"] for event in read_journal(path).events] == ["decision_asked", "ballot_cast", "session_ended"]


def test_reopen_refuses_a_broken_chain_unless_told(tmp_path: Path) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"), note("second"))
    path.write_bytes(path.read_bytes().replace(b'"first"', b'"FIRST"'))
    with pytest.raises(TamperedJournal) as raised:
        Journal.reopen(path)
    assert str(raised.value) == (
        f"{path}:3: the hash chain breaks here: line 2 was changed, or a line was removed, added or moved just before"
        " line 3"
    )
    with Journal.reopen(path, accept_tampered=True) as journal:
        assert journal.contents is not None and journal.contents.broken_lines == [3]


def test_reopen_of_a_missing_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with pytest.raises(JournalError) as raised:
        Journal.reopen(path)
    assert str(raised.value) == f"cannot read journal {path}: cannot read file: No such file or directory"


def test_reopen_keeps_to_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"))
    size = path.stat().st_size
    monkeypatch.setattr(simulator.journal, "MAX_JOURNAL_BYTES", size - 1)
    with pytest.raises(JournalError) as raised:
        Journal.reopen(path)
    assert size < 1000  # shown in bytes, without a thousands separator
    assert str(raised.value) == (
        f"cannot read journal {path}: file is {size} bytes; expected at most {size - 1} bytes — is this the right file?"
    )
    monkeypatch.setattr(simulator.journal, "MAX_JOURNAL_BYTES", size)
    Journal.reopen(path).close()


def test_reopen_names_the_damaged_line_of_its_file(tmp_path: Path) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"), note("second"), note("third"))
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2][:15]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(JournalError) as raised:
        Journal.reopen(path)
    assert str(raised.value).startswith(f"{path}:3: not a complete JSON line (")


def test_a_reopened_journal_names_itself_when_a_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"))
    journal = Journal.reopen(path)

    def full_disk(_descriptor: int, _data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(JournalWriteError) as raised:
        journal.append(note("lost"))
    journal.close()
    assert str(raised.value) == f"cannot write to journal {path}: No space left on device"


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
        (OSError("the disk went away"), "the disk went away"),
    ],
    ids=["with-strerror", "without-strerror"],
)
def test_reopen_says_why_it_cannot_continue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, shown: str
) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"))

    def failing_fsync(_descriptor: int) -> None:
        raise error

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(JournalWriteError) as raised:
        Journal.reopen(path)
    assert str(raised.value) == f"cannot continue journal {path}: {shown}"
    monkeypatch.undo()
    assert [json.loads(line)["type"] for line in path.read_bytes().splitlines()] == ["header", "note_added"]


def test_a_line_is_stored_as_compact_utf8_json_after_its_chain(tmp_path: Path) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("Zoë → 東京"))
    header_line, event_line = path.read_bytes().split(b"\n")[:2]
    expected_hash = hashlib.sha256(header_line).hexdigest()
    assert (
        event_line
        == (
            '{"type":"note_added","at":"2026-11-23T02:14:00.000+00:00","author":"F","text":"Zoë → 東京",'
            f'"step":null,"decision":null,"clock":"","prev_sha256":"{expected_hash}"}}'
        ).encode()
    )


def test_a_created_journal_has_no_contents_read_back(tmp_path: Path) -> None:
    with Journal.create(tmp_path / "journal.jsonl", header()) as journal:
        assert journal.contents is None  # only a reopened journal holds what it read


def test_a_write_error_without_an_errno_is_shown_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = journal_of(tmp_path / "journal.jsonl")
    journal = Journal.reopen(path)

    def broken(_descriptor: int, _data: object) -> int:
        raise OSError("the disk went away")

    monkeypatch.setattr(os, "write", broken)
    with pytest.raises(JournalWriteError) as raised:
        journal.append(note("lost"))
    with pytest.raises(JournalWriteError) as again:
        journal.append(note("lost too"))
    journal.close()
    assert str(raised.value) == f"cannot write to journal {path}: the disk went away"
    assert str(again.value) == f"{path}: not written, an earlier write failed (the disk went away)"


@pytest.mark.parametrize(
    ("version", "shown"),
    [
        ("ttx-journal/99", "ttx-journal/99"),
        ("ttx\n\x1b[31mjournal/9", "ttx [31mjournal/9"),  # one line, no terminal control sequence
        ("v" * 40, "v" * 40),
        ("v" * 41, "?"),  # too long to be a version: not repeated
        (2, "?"),
        (None, "?"),
    ],
    ids=["other-version", "control-characters", "40-characters", "41-characters", "a-number", "none"],
)
def test_an_unsupported_format_is_shown_safely(tmp_path: Path, version: object, shown: str) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text(json.dumps(header().to_json() | {"format": version}) + "\n", encoding="utf-8")
    assert reading_error(path) == (
        f"{path}:1: journal format '{shown}' is not supported; expected 'ttx-journal/2'"
        " (was it written by another version of ttx?)"
    )


def test_an_empty_journal_expects_a_header(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b"")
    assert reading_error(path) == f"{path}: journal is empty; expected a header line"


@pytest.mark.parametrize(
    ("damaged", "reason"),
    [
        (b'{"type":"note_ad', "Unterminated string starting at: line 1 column 9 (char 8)"),
        (b'{"type":\xff}', "'utf-8' codec can't decode byte 0xff in position 8: invalid start byte"),
    ],
    ids=["cut-json", "not-utf8"],
)
def test_a_damaged_line_before_the_last_says_why(tmp_path: Path, damaged: bytes, reason: str) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"))
    path.write_bytes(path.read_bytes() + damaged + b"\n")  # complete (newline-ended), so not a torn tail
    assert reading_error(path) == f"{path}:3: not a complete JSON line ({reason}); the journal is damaged"


def test_parsing_bytes_refuses_a_broken_chain_unless_told(tmp_path: Path) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"), note("second"))
    edited = path.read_bytes().replace(b'"second"', b'"2nd"').replace(b'"first"', b'"1st"')
    with pytest.raises(TamperedJournal) as raised:
        parse_journal(edited, path)
    assert str(raised.value).startswith(f"{path}:3: the hash chain breaks here: line 2 was changed")
    assert parse_journal(edited, path, accept_tampered=True).broken_lines == [3]


def test_a_header_set_back_to_format_1_is_listed_once_when_accepted(tmp_path: Path) -> None:
    path = journal_of(tmp_path / "journal.jsonl", note("first"), note("second"))
    lines = path.read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b'"format":"ttx-journal/2"', b'"format":"ttx-journal/1"')
    path.write_bytes(b"\n".join(lines))
    contents = read_journal(path, accept_tampered=True)
    message = f"{path}:1: the header says format 'ttx-journal/1', but line 2 carries a hash chain"
    assert contents.tampered == [message] and contents.broken_lines == [1]  # once, though two lines carry it
    assert [event.get("text") for event in contents.events] == ["first", "second"]
    assert all("prev_sha256" not in event for event in contents.events)


@pytest.mark.parametrize(
    ("copy", "shown"),
    [("../" + "a" * 77, "../" + "a" * 77), ("../" + "a" * 78, "../" + "a" * 77 + "…")],
    ids=["80-characters", "81-characters"],
)
def test_a_copy_outside_the_folder_is_named_up_to_80_characters(tmp_path: Path, copy: str, shown: str) -> None:
    record = header().to_json()
    record["scenario"] = record["scenario"] | {"copy": copy}
    path = tmp_path / "journal.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert reading_error(path) == (
        f"{path}:1: the header names copy '{shown}'; a session's copies are only ever 'scenario.yaml' and"
        " 'map.yaml' inside its folder"
    )
