"""Corrections (DESIGN §5.1), added time and ballots that outlive a time limit, all without a UI."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.corrections import corrections, standing_answers, withdrawn_ballots
from simulator.engine import Engine, EngineError
from simulator.journal import Journal, read_journal
from simulator.loading import load_map, load_scenario
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.records import Header, SourceFile
from simulator.reporting.aar import build_aar
from simulator.reporting.files import score_events
from simulator.reporting.html import aar_html
from simulator.reporting.markdown import aar_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "engine"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(FIXTURES / "loop.yaml")


@pytest.fixture(scope="module")
def tiny_map() -> AuthorityMap:
    return load_map(FIXTURES / "tiny-map.yaml")


@pytest.fixture
def room() -> Roster:
    return Roster(
        participants=[
            Participant(name="Ana", roles=["lead", "backup"]),
            Participant(name="Bo", roles=["analyst"]),
            Participant(name="Cy", roles=["observer"]),
        ]
    )


def asked(engine: Engine) -> str:
    pending = engine.pending_decision
    assert pending is not None
    return pending.decision.id


def journaled(tmp_path: Path, scenario: Scenario, tiny_map: AuthorityMap, roster: Roster) -> Engine:
    source = SourceFile("x", "x.yaml", "0" * 64, "x.yaml")
    header = Header(source, source, 1, [p.model_dump() for p in roster.participants], "facilitated", "2026-01-01")
    engine = Engine(scenario, tiny_map, roster, 1, journal=Journal.create(tmp_path / "journal.jsonl", header))
    engine.start()
    return engine


def test_withdrawing_an_answer_undoes_its_jump_and_asks_again(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(scenario, tiny_map, Roster(participants=[Participant(name="T", roles=["lead"])]), 1)
    engine.start()
    engine.answer(["analyst"])
    result = engine.answer(["observer"])  # drift on who-confirms: two jumps, the first wins
    assert [f.id for f in result.fired] == ["jump-ahead", "jump-back"]
    assert asked(engine) == "who-rates"

    withdrawn = engine.withdraw_answer("mis-keyed")

    assert (withdrawn.decision, withdrawn.roles) == ("who-confirms", ("observer",))
    assert asked(engine) == "who-confirms"
    assert [a.decision for a in engine.answers] == ["who-triages"]
    assert [i.id for i in engine.items] == ["alert", "confirm"]  # the jump's inject is gone
    engine.answer(["lead"])
    engine.answer(["lead"])
    assert engine.current_step is not None and engine.current_step.id == "contain"  # no jump any more
    event = next(e for e in engine.events if e["type"] == "answer_withdrawn")
    assert (event["decision"], event["attempt"], event["reason"]) == ("who-confirms", 1, "mis-keyed")


def test_withdrawing_a_gap_takes_back_its_clock_advance(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(scenario, tiny_map, Roster(participants=[Participant(name="T", roles=["lead"])]), 1)
    engine.start()
    engine.answer([])  # gap: thirty minutes pass
    assert engine.clock == "02:30"
    engine.withdraw_answer()
    assert engine.clock == "02:00" and asked(engine) == "who-triages"
    engine.answer(["analyst"])
    assert engine.clock == "02:10"


def test_nothing_to_withdraw_and_no_withdrawing_after_an_early_end(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(scenario, tiny_map, Roster(participants=[Participant(name="T", roles=["lead"])]), 1)
    engine.start()
    with pytest.raises(EngineError, match="no answer has been recorded yet"):
        engine.withdraw_answer()
    engine.answer(["analyst"])
    engine.end("stopped")
    with pytest.raises(EngineError, match="ended early"):
        engine.withdraw_answer()


def test_a_withdrawn_ballot_stays_in_the_journal_marked_withdrawn(
    tmp_path: Path, scenario: Scenario, tiny_map: AuthorityMap, room: Roster
) -> None:
    engine = journaled(tmp_path, scenario, tiny_map, room)
    engine.cast_ballot("Ana", ["analyst"])
    engine.cast_ballot("Bo", ["lead"])  # meant to pick analyst
    assert engine.withdraw_ballot("Bo", "wrong key") == ("lead",)
    assert engine.ballots == {"Ana": ("analyst",)}
    engine.cast_ballot("Bo", ["analyst"])
    record = engine.answer(["analyst"]).record
    assert record.ballots == {"Ana": ("analyst",), "Bo": ("analyst",)}

    events = read_journal(tmp_path / "journal.jsonl").events
    kinds = [e["type"] for e in events]
    assert kinds.count("ballot_cast") == 3  # the withdrawn one is still there
    [withdrawal] = [e for e in events if e["type"] == "answer_withdrawn"]
    assert (withdrawal["participant"], withdrawal["roles"], withdrawal["reason"]) == ("Bo", ["lead"], "wrong key")
    [ballot] = withdrawn_ballots(events)
    assert (ballot.participant, ballot.roles, ballot.decision) == ("Bo", ("lead",), "who-triages")


def test_resume_replays_corrections_and_scores_the_standing_answer(
    tmp_path: Path, scenario: Scenario, tiny_map: AuthorityMap, room: Roster
) -> None:
    engine = journaled(tmp_path, scenario, tiny_map, room)
    engine.answer(["analyst"])
    engine.answer([])  # gap on who-confirms: five minutes pass, a jump back waits for the step's end
    assert engine.clock == "02:15" and asked(engine) == "who-rates"
    engine.withdraw_answer("the room meant the lead")
    assert engine.clock == "02:10" and asked(engine) == "who-confirms"
    engine.answer(["lead"])
    engine.cast_ballot("Cy", ["observer"])
    engine.withdraw_ballot("Cy")
    assert engine.journal is not None
    engine.journal.close()

    events = read_journal(tmp_path / "journal.jsonl").events
    restored = Engine.restore(scenario, tiny_map, room, 1, events)
    assert restored.answers == engine.answers
    assert [a.roles for a in restored.answers] == [("analyst",), ("lead",)]
    assert restored.pending_decision == engine.pending_decision
    assert asked(restored) == "who-rates" and restored.ballots == {}
    assert restored.clock == engine.clock == "02:10"
    assert [e["type"] for e in restored.events] == [e["type"] for e in events]

    assert [(a.decision, a.roles) for a in standing_answers(events)] == [
        ("who-triages", ("analyst",)),
        ("who-confirms", ("lead",)),
    ]
    score = score_events(scenario, tiny_map, room, events)
    assert [a.outcome for a in score.answers] == ["aligned", "aligned"]
    [correction] = corrections(events)
    assert correction.withdrawn.roles == () and correction.replaced_by is not None
    assert correction.replaced_by.roles == ("lead",) and correction.reason == "the room meant the lead"


def test_time_runs_out_during_ballots_and_every_ballot_is_kept(
    scenario: Scenario, tiny_map: AuthorityMap, room: Roster
) -> None:
    engine = Engine(scenario, tiny_map, room, 1)
    engine.start()
    engine.cast_ballot("Ana", ["analyst"])
    engine.cast_ballot("Bo", ["lead"])
    record = engine.answer([], timed_out=True).record
    assert record.timed_out and record.roles == ()
    assert record.ballots == {"Ana": ("analyst",), "Bo": ("lead",)}


def test_added_time_is_journaled_and_replayed(tmp_path: Path, tiny_map: AuthorityMap, room: Roster) -> None:
    text = (FIXTURES / "loop.yaml").read_text(encoding="utf-8")
    timed = tmp_path / "timed.yaml"
    timed.write_text(text.replace("critical: true", "critical: true\n        time_limit_s: 90"), encoding="utf-8")
    scenario = load_scenario(timed)
    engine = Engine(scenario, tiny_map, room, 1)
    engine.start()
    with pytest.raises(EngineError, match="has no time limit"):
        engine.extend_time(60)
    engine.answer(["analyst"])
    engine.answer(["lead"])
    engine.answer(["lead"])
    pending = engine.extend_time(60)
    assert (pending.decision.id, pending.time_limit_s) == ("who-authorises", 150)
    engine.extend_time(30)
    assert engine.events[-1]["type"] == "time_extended" and engine.events[-1]["limit_s"] == 180
    restored = Engine.restore(scenario, tiny_map, room, 1, engine.events)
    again = restored.pending_decision
    assert again is not None and again.time_limit_s == 180


def test_the_report_shows_the_standing_answer_and_the_correction_in_its_appendix(
    tmp_path: Path, scenario: Scenario, tiny_map: AuthorityMap, room: Roster
) -> None:
    engine = journaled(tmp_path, scenario, tiny_map, room)
    engine.answer(["analyst"])
    engine.cast_ballot("Ana", ["observer"])
    engine.cast_ballot("Bo", ["lead"])
    engine.withdraw_ballot("Ana", "pressed the wrong digit")
    engine.answer(["observer"])  # drift: the two jumps fire
    engine.withdraw_answer("meant the incident lead")
    engine.answer(["lead"])
    contents = read_journal(tmp_path / "journal.jsonl")
    score = score_events(scenario, tiny_map, room, contents.events)
    aar = build_aar(contents.header, scenario, tiny_map, contents.events, score)
    text = aar_markdown(aar)
    page = aar_html(aar)
    assert "Who confirms the incident?: corrected from Observer to Incident lead — meant the incident lead" in page
    assert "Ballot of Ana on Who confirms the incident?: Observer (withdrawn) — pressed the wrong digit" in page
    assert "Who confirms the incident?: corrected from Observer to Incident lead — meant the incident lead" in text
    assert "Ana on Who confirms the incident?: Observer (withdrawn) — pressed the wrong digit" in text
    assert "Someone skips containment" not in text  # the undone jump is not in the timeline
    assert "drift" not in [a.outcome for a in score.answers]


def test_played_time_is_journaled_and_carried_over_on_resume(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    roster = Roster(participants=[Participant(name="T", roles=["lead"])])
    engine = Engine(scenario, tiny_map, roster, 1)
    seconds = iter([12.0, 47.25, 301.0])
    engine.played = lambda: next(seconds)
    engine.start()  # stage_entered and inject_shown, decision_asked: 12.0, 47.25, 301.0
    assert [e.get("played_s") for e in engine.events] == [12.0, 47.2, 301.0]
    restored = Engine.restore(scenario, tiny_map, roster, 1, engine.events)
    assert restored.played_before == 301.0
