"""`participant_joined`: someone who joins during play is journaled, replayed on resume and in every report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine import EngineError
from simulator.journal import JournalError, read_journal
from simulator.reporting.files import session_report
from simulator.reporting.trend import collect
from simulator.seats.hosting import HostedSession
from simulator.sessions import load_session
from tests.seats_support import hosted


def types_of(folder: Path) -> list[str]:
    return [event["type"] for event in read_journal(folder / "journal.jsonl").events]


def played_with_two_joins(workspace: Path) -> HostedSession:
    """Nell joins in the briefing, votes on the first question; Pat joins after it; the host is then killed."""
    session = hosted(workspace)
    room, engine = session.room, session.room.engine
    room.join(room.registry.room_code, "Nell Ortiz", ("soc-senior",))
    engine.start()
    engine.cast_ballot("Nell Ortiz", ["soc-senior"])
    engine.cast_ballot("Ivo Brannigan", ["soc-lead"])
    room.record(("soc-lead",))
    room.join(room.registry.room_code, "Pat Lee", ("client-dpo", "client-executive"))
    session.close()
    return session


def test_a_joined_participant_is_one_journal_line_with_name_and_roles(tmp_path: Path) -> None:
    session = played_with_two_joins(tmp_path)
    events = read_journal(session.folder / "journal.jsonl").events
    joined = [(e["name"], e["roles"]) for e in events if e["type"] == "participant_joined"]
    assert joined == [("Nell Ortiz", ["soc-senior"]), ("Pat Lee", ["client-dpo", "client-executive"])]
    assert types_of(session.folder)[0] == "participant_joined"  # in the briefing, before the first stage
    assert types_of(session.folder)[-1] == "participant_joined"  # after the first answer's events


def test_resume_replays_the_joins_and_finishes_with_everyone(tmp_path: Path) -> None:
    session = played_with_two_joins(tmp_path / "ws")
    before = types_of(session.folder)
    result = CliRunner().invoke(main, ["resume", str(session.folder), "--autoplay", "map"])
    assert result.exit_code == 0, result.output
    after = types_of(session.folder)
    assert after[: len(before)] == before  # nothing journaled twice
    assert after.count("participant_joined") == 2
    assert after[-1] == "session_ended"
    report = json.loads((session.folder / "report.json").read_text(encoding="utf-8"))
    names = [person["name"] for person in report["exercise"]["roster"]]
    assert names == ["Zora Quillfeather", "Ivo Brannigan", "Tamsin Okonkwo", "Nell Ortiz", "Pat Lee"]
    assert {"name": "Pat Lee", "roles": ["client-dpo", "client-executive"]} in report["exercise"]["roster"]
    people = [person["name"] for person in report["load"]["people"]]
    assert people[-2:] == ["Nell Ortiz", "Pat Lee"]
    ballots = report["private_ballots"]
    assert "Nell Ortiz" in [person["name"] for person in ballots["participants"]]


def test_report_and_trend_read_a_journal_with_joins(tmp_path: Path) -> None:
    session = played_with_two_joins(tmp_path / "ws")
    assert CliRunner().invoke(main, ["resume", str(session.folder), "--autoplay", "nobody"]).exit_code == 0
    (session.folder / "report.json").unlink()
    result = CliRunner().invoke(main, ["report", str(session.folder), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Nell Ortiz" in result.output and "Pat Lee" in result.output  # the AAR's people
    report = session_report(load_session(session.folder))
    assert [p.name for p in report.score.load.people][-2:] == ["Nell Ortiz", "Pat Lee"]
    collected = collect([tmp_path / "ws"])
    assert not collected.skipped, collected.skipped
    assert collected.points[0].source == "journal"
    assert [person.name for person in collected.points[0].people][-2:] == ["Nell Ortiz", "Pat Lee"]


def test_the_engine_refuses_a_bad_join_and_journals_nothing(tmp_path: Path) -> None:
    session = hosted(tmp_path)
    engine = session.room.engine
    six = [r.id for r in engine.authority_map.roles][:7]

    def refused(name: str, roles: list[str], message: str) -> None:
        with pytest.raises(ValueError) as raised:
            engine.add_participant(name, roles)
        assert str(raised.value) == message

    try:
        refused("Nell Ortiz", ["ceo"], "unknown role 'ceo'; expected a role of map 'msp'")
        refused("Nell Ortiz", [], "a participant holds at least one role of the map")
        refused("Nell Ortiz", six, "a participant holds at most 6 roles; 7 were picked")
        refused("  IVO   brannigan ", ["soc-lead"], "'Ivo Brannigan' is already a participant of this exercise")
        refused("\u0007\u001b", ["soc-lead"], "a participant's name is 1 to 80 characters")
        refused("N" * 81, ["soc-lead"], "a participant's name is 1 to 80 characters")
        assert types_of(session.folder) == []
        assert len(engine.roster.participants) == 3
        engine.start()
        engine.end()
        with pytest.raises(EngineError) as ended:
            engine.add_participant("Nell Ortiz", ["soc-lead"])
        assert str(ended.value) == "the exercise has ended; nobody can join it now"
    finally:
        session.close()


def test_the_longest_name_and_the_most_roles_are_taken(tmp_path: Path) -> None:
    """The limits are inclusive: an 80-character name holding 6 roles joins."""
    session = hosted(tmp_path)
    engine = session.room.engine
    try:
        six = [r.id for r in engine.authority_map.roles if r.id not in ("soc-lead", "soc-analyst")][:6]
        person = engine.add_participant("N" * 80, six)
        assert (person.name, person.roles) == ("N" * 80, six)
        assert engine.roster.participants[-1] == person
    finally:
        session.close()


def test_a_joined_role_counts_as_staffed_from_then_on(tmp_path: Path) -> None:
    session = hosted(tmp_path)
    engine = session.room.engine
    try:
        assert "vendor-support" not in engine.roster.staffed
        engine.add_participant("Nell Ortiz", ["vendor-support"])
        assert "vendor-support" in engine.roster.staffed
        holders = {choice.role: choice.holders for choice in engine.choices}
        assert holders["vendor-support"] == ("Nell Ortiz",)
    finally:
        session.close()


def rechained(lines: list[bytes]) -> list[bytes]:
    out = [lines[0]]
    for line in lines[1:]:
        event = json.loads(line)
        event["prev_sha256"] = hashlib.sha256(out[-1]).hexdigest()
        out.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode())
    return out


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"name": 7}, "name: expected str, got int"),
        ({"name": " "}, "name: expected 1 to 80 characters"),
        ({"roles": []}, "roles: expected 1 to 6 role ids"),
        ({"roles": "soc-senior"}, "roles: expected list, got str"),
    ],
)
def test_a_malformed_join_line_is_refused_with_its_line(tmp_path: Path, change: dict[str, object], why: str) -> None:
    session = played_with_two_joins(tmp_path)
    path = session.folder / "journal.jsonl"
    lines = path.read_bytes().splitlines()
    event = json.loads(lines[1])
    assert event["type"] == "participant_joined"
    lines[1] = json.dumps({**event, **change}, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(b"\n".join(rechained(lines)) + b"\n")
    with pytest.raises(JournalError) as refused:
        read_journal(path)
    assert str(refused.value) == f"{path}:2: malformed event ({why})"


def test_a_join_naming_a_role_the_map_lacks_does_not_resume(tmp_path: Path) -> None:
    session = played_with_two_joins(tmp_path / "ws")
    path = session.folder / "journal.jsonl"
    lines = path.read_bytes().splitlines()
    event = json.loads(lines[1])
    lines[1] = json.dumps({**event, "roles": ["head-of-everything"]}, separators=(",", ":")).encode()
    path.write_bytes(b"\n".join(rechained(lines)) + b"\n")
    result = CliRunner().invoke(main, ["resume", str(session.folder), "--autoplay", "map"])
    assert result.exit_code != 0
    assert "journal line 2" in result.output and "unknown role 'head-of-everything'" in result.output


def test_the_header_keeps_the_roster_as_given_and_seats_json_the_joined_seat(tmp_path: Path) -> None:
    """The header keeps the roster as given: the joins are only in the events."""
    session = played_with_two_joins(tmp_path)
    header = read_journal(session.folder / "journal.jsonl").header
    assert [person["name"] for person in header.roster] == ["Zora Quillfeather", "Ivo Brannigan", "Tamsin Okonkwo"]
    assert json.loads((session.folder / "seats.json").read_text(encoding="utf-8"))["seats"][-1]["name"] == "Pat Lee"


def test_trend_tells_how_to_finish_a_hosted_session(tmp_path: Path) -> None:
    """A hosted session carries on with `ttx host --resume`, which keeps the room code and the seats."""
    session = played_with_two_joins(tmp_path)
    [skipped] = collect([tmp_path]).skipped
    assert skipped.reason == "the session has not ended (1 answer so far); finish it with 'ttx host --resume'"
    (session.folder / "seats.json").unlink()  # a session played on one terminal has no seats
    [skipped] = collect([tmp_path]).skipped
    assert skipped.reason.endswith("finish it with 'ttx resume'")
