"""The JSON Lines journal: header first, fsynced events, torn lines, versions, and the Engine writing it."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from simulator.engine import Engine
from simulator.journal import Journal, JournalError, make_event, read_journal
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.records import JOURNAL_FORMAT, AnswerRecord, Header, SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "engine"


def header(seed: int = 5) -> Header:
    return Header(
        scenario=SourceFile("loop", str(FIXTURES / "loop.yaml"), "0" * 64, "scenario.yaml"),
        map=SourceFile("tiny", str(FIXTURES / "tiny-map.yaml"), "1" * 64, "map.yaml"),
        seed=seed,
        roster=[{"name": "Team", "roles": ["lead"]}],
        mode="headless",
        started_at="2026-11-23T02:14:00+00:00",
    )


def test_header_first_then_timestamped_events(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, header()) as journal:
        journal.append(make_event("stage_entered", stage="detection", step="alert", clock="02:00"))
        journal.append(make_event("note_added", author="F", text="ünïcode ok", step=None, decision=None, clock=""))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["type"] == "header" and json.loads(lines[0])["format"] == JOURNAL_FORMAT
    contents = read_journal(path)
    assert contents.header == header() and contents.warnings == []
    assert [e["type"] for e in contents.events] == ["stage_entered", "note_added"]
    at = datetime.fromisoformat(contents.events[0]["at"])
    assert at.utcoffset() == timezone.utc.utcoffset(None)
    assert contents.events[1]["text"] == "ünïcode ok"


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal.create(path, header()).close()
    with pytest.raises(JournalError, match="already exists"):
        Journal.create(path, header(seed=9))
    assert read_journal(path).header.seed == 5


def _journal_with_events(path: Path, count: int) -> None:
    with Journal.create(path, header()) as journal:
        for n in range(count):
            journal.append(make_event("note_added", author="F", text=f"note {n}", step=None, decision=None, clock=""))


def test_torn_last_line_is_skipped_with_a_warning_and_cut_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    _journal_with_events(path, 2)
    with open(path, "ab") as handle:
        handle.write(b'{"type":"answer_reco')  # the power went out here
    contents = read_journal(path)
    assert [e["text"] for e in contents.events] == ["note 0", "note 1"]
    assert len(contents.warnings) == 1 and ":4:" in contents.warnings[0] and "torn" in contents.warnings[0]
    with Journal.reopen(path) as journal:
        journal.append(make_event("note_added", author="F", text="after", step=None, decision=None, clock=""))
    again = read_journal(path)
    assert again.warnings == [] and [e["text"] for e in again.events] == ["note 0", "note 1", "after"]


def test_complete_last_line_missing_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    _journal_with_events(path, 1)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert read_journal(path).warnings == []
    with Journal.reopen(path) as journal:
        journal.append(make_event("note_added", author="F", text="next", step=None, decision=None, clock=""))
    assert [e["text"] for e in read_journal(path).events] == ["note 0", "next"]


def test_torn_line_in_the_middle_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    _journal_with_events(path, 3)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2][:15]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(JournalError, match=r"journal\.jsonl:3: not a complete JSON line"):
        read_journal(path)
    with pytest.raises(JournalError, match=":3:"):
        Journal.reopen(path)


def test_wrong_format_version_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    record = header().to_json() | {"format": "ttx-journal/99"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(JournalError, match="'ttx-journal/99' is not supported; expected 'ttx-journal/2'"):
        read_journal(path)


def test_a_file_without_a_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"type":"note_added"}\n', encoding="utf-8")
    with pytest.raises(JournalError, match="expected a journal header"):
        read_journal(path)


def test_answer_is_durable_before_answer_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(FIXTURES / "loop.yaml")
    authority_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name="Ana", roles=authority_map.role_ids)])
    path = tmp_path / "journal.jsonl"
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        synced.append(len(path.read_bytes().splitlines()))  # lines on disk at each sync

    monkeypatch.setattr(os, "fsync", fsync)
    journal = Journal.create(path, header())
    engine = Engine(scenario, authority_map, roster, seed=5, journal=journal)
    engine.start()
    engine.answer(["analyst"], answered_by="Ana", latency_ms=1200, ballots={"Ana": ["analyst"]})
    on_disk = [json.loads(line) for line in path.read_bytes().splitlines()]
    # One fsync for the header, one for the start (3 events), one for the whole answer (5 events):
    # the answer is on disk, with everything it caused, when answer() returns.
    assert synced == [1, 4, 9]
    assert [e["type"] for e in on_disk[1:]] == [e["type"] for e in engine.events]
    kinds = [e["type"] for e in on_disk]
    assert kinds == [
        "header",
        "stage_entered",
        "inject_shown",
        "decision_asked",
        "ballot_cast",
        "answer_recorded",
        "stage_entered",
        "inject_shown",
        "decision_asked",
    ]
    recorded = AnswerRecord.from_json(on_disk[kinds.index("answer_recorded")])
    assert recorded == engine.answers[0] and recorded.latency_ms == 1200
    journal.close()


def test_resume_after_a_crash_between_ballots_and_answer(tmp_path: Path) -> None:
    scenario = load_scenario(FIXTURES / "loop.yaml")
    authority_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name="Ana", roles=["lead"]), Participant(name="Bo", roles=["analyst"])])
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, header()) as journal:
        engine = Engine(scenario, authority_map, roster, seed=5, journal=journal)
        engine.start()
        engine.answer(["analyst"], ballots={"Ana": ["lead"], "Bo": ["analyst"]})
        engine.answer(["lead"], ballots={"Ana": ["lead"], "Bo": ["lead"]})
    # The crash hits after the second answer's ballots, before its answer_recorded.
    lines = path.read_bytes().splitlines(keepends=True)
    kinds = [json.loads(line)["type"] for line in lines]
    cut = len(kinds) - 1 - kinds[::-1].index("answer_recorded")
    path.write_bytes(b"".join(lines[:cut]))
    assert [k for k in kinds[:cut]][-2:] == ["ballot_cast", "ballot_cast"]

    def resume() -> Engine:
        contents = read_journal(path)
        with Journal.reopen(path) as journal:
            return Engine.restore(scenario, authority_map, roster, 5, contents.events, journal)

    restored = resume()
    pending = restored.pending_decision
    assert pending is not None and pending.decision.id == "who-confirms" and len(restored.answers) == 1
    assert len(path.read_bytes().splitlines()) == cut  # nothing was written twice
    assert restored.ballots == {"Ana": ("lead",), "Bo": ("lead",)}  # the room's ballots survived the crash
    with Journal.reopen(path) as journal:
        restored.journal = journal
        restored.answer(["lead"], ballots={"Ana": ["lead"], "Bo": ["analyst"]})
    # Bo changed their mind: one more ballot, and the answer keeps the latest of each.
    kinds = [json.loads(line)["type"] for line in path.read_bytes().splitlines()]
    assert kinds[cut : cut + 2] == ["ballot_cast", "answer_recorded"]
    again = resume()
    assert [a.ballots for a in again.answers][-1] == {"Ana": ("lead",), "Bo": ("analyst",)}
    assert again.answers == restored.answers


def test_a_ballot_is_journaled_when_cast(tmp_path: Path) -> None:
    scenario = load_scenario(FIXTURES / "loop.yaml")
    tiny_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name="Ana", roles=["lead"]), Participant(name="Bo", roles=["analyst"])])
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, header()) as journal:
        engine = Engine(scenario, tiny_map, roster, seed=1, journal=journal)
        engine.start()
        engine.cast_ballot("Ana", ["lead"])
        on_disk = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert on_disk[-1]["type"] == "ballot_cast" and on_disk[-1]["participant"] == "Ana"
        engine.cast_ballot("Ana", ["analyst"])  # a change of mind replaces the first ballot
        engine.cast_ballot("Bo", ["analyst"])
        assert engine.ballots == {"Ana": ("analyst",), "Bo": ("analyst",)}
        result = engine.answer(["analyst"])
    assert result.record.ballots == {"Ana": ("analyst",), "Bo": ("analyst",)}
    assert engine.ballots == {}
    with pytest.raises(ValueError, match="unknown participant 'Cy'"):
        engine.cast_ballot("Cy", ["lead"])


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("roles", 5, "roles: expected list"),
        ("latency_ms", "fast", "latency_ms: expected int"),
        ("decision", None, "decision"),
    ],
)
def test_a_tampered_answer_is_refused_with_its_line(tmp_path: Path, field: str, value: object, expected: str) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, header()) as journal:
        engine = Engine(
            load_scenario(FIXTURES / "loop.yaml"),
            load_map(FIXTURES / "tiny-map.yaml"),
            Roster(participants=[Participant(name="Team", roles=["lead"])]),
            seed=5,
            journal=journal,
        )
        engine.start()
        engine.answer(["lead"])
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if '"answer_recorded"' in line)
    event = json.loads(lines[number - 1])
    event[field] = value
    lines[number - 1] = json.dumps(event)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(JournalError, match=rf"journal.jsonl:{number}: malformed answer \({expected}"):
        read_journal(path)


def test_a_tampered_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, header()):
        pass
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    first["seed"] = "<meta http-equiv=refresh content=0;url=http://example.com>"
    path.write_text(json.dumps(first) + "\n", encoding="utf-8")
    with pytest.raises(JournalError, match=r"journal.jsonl:1: malformed journal header \(seed: expected int"):
        read_journal(path)


def test_a_failed_report_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    from simulator.sessions import write_atomically

    target = tmp_path / "report.json"
    target.mkdir()  # replacing a folder with a file fails
    with pytest.raises(OSError):
        write_atomically(target, "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
