"""Corrections and added time through the engine's public API: the events written, the refusals, and resuming them.

Events are compared whole (but for their time); refusals word for word.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.engine import Engine, EngineError, ResumeError
from simulator.loading import load_map, load_scenario
from simulator.model import AuthorityMap, Participant, Roster, Scenario

FIXTURES = Path(__file__).parent / "fixtures" / "engine"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(FIXTURES / "loop.yaml")


@pytest.fixture(scope="module")
def timed(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The loop scenario with a 90-second limit on its critical decision, who-authorises."""
    text = (FIXTURES / "loop.yaml").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("timed") / "timed.yaml"
    path.write_text(text.replace("critical: true", "critical: true\n        time_limit_s: 90"), encoding="utf-8")
    return load_scenario(path)


@pytest.fixture(scope="module")
def tiny_map() -> AuthorityMap:
    return load_map(FIXTURES / "tiny-map.yaml")


ROOM = Roster(
    participants=[Participant(name="Ana", roles=["lead", "backup"]), Participant(name="Bo", roles=["analyst"])]
)


def started(scenario: Scenario, tiny_map: AuthorityMap) -> Engine:
    engine = Engine(scenario, tiny_map, ROOM, 1)
    engine.start()
    return engine


def last_event(engine: Engine) -> dict[str, Any]:
    return {key: value for key, value in engine.events[-1].items() if key != "at"}


def refusal(error: type[Exception], action: Any, *args: Any) -> str:
    with pytest.raises(error) as raised:
        action(*args)
    return str(raised.value)


def test_a_withdrawn_ballot_is_journaled_whole(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.cast_ballot("Bo", ["lead", "observer"])
    assert engine.withdraw_ballot("Bo") == ("lead", "observer")
    assert last_event(engine) == {
        "type": "answer_withdrawn",
        "step": "alert",
        "decision": "who-triages",
        "attempt": 1,
        "participant": "Bo",
        "roles": ["lead", "observer"],
        "reason": "",  # none given
    }


def test_withdrawing_a_ballot_is_refused_when_there_is_none(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(scenario, tiny_map, ROOM, 1)
    assert refusal(EngineError, engine.withdraw_ballot, "Ana") == "no decision is waiting for ballots (state: briefing)"
    engine.start()
    assert refusal(EngineError, engine.withdraw_ballot, "Ana") == "Ana has cast no ballot for this decision"


def test_a_withdrawn_answer_is_journaled_whole(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["observer", "analyst"])
    engine.withdraw_answer()
    assert last_event(engine) == {
        "type": "answer_withdrawn",
        "step": "alert",
        "decision": "who-triages",
        "attempt": 1,
        "roles": ["observer", "analyst"],
        "timed_out": False,
        "reason": "",  # none given
    }
    engine.answer([], timed_out=True)
    engine.withdraw_answer("the clock ran out by mistake")
    assert last_event(engine) == {
        "type": "answer_withdrawn",
        "step": "alert",
        "decision": "who-triages",
        "attempt": 1,
        "roles": [],
        "timed_out": True,
        "reason": "the clock ran out by mistake",
    }


def test_withdrawing_an_answer_is_refused_word_for_word(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    assert (
        refusal(EngineError, engine.withdraw_answer) == "no answer has been recorded yet, so there is none to withdraw"
    )
    engine.answer(["analyst"])
    engine.end("stopped")
    assert refusal(EngineError, engine.withdraw_answer) == (
        "the exercise was ended early; its answers can no longer be withdrawn"
    )


def test_any_early_end_keeps_its_answers(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    engine.end("the room had to leave")
    assert refusal(EngineError, engine.withdraw_answer) == (
        "the exercise was ended early; its answers can no longer be withdrawn"
    )
    assert engine.finished and [a.decision for a in engine.answers] == ["who-triages"]


def test_ballots_cast_for_a_withdrawn_answer_stand(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.cast_ballot("Ana", ["lead"])
    engine.cast_ballot("Bo", ["analyst"])
    engine.answer(["analyst"])
    assert engine.ballots == {}
    engine.withdraw_answer()
    assert engine.ballots == {"Ana": ("lead",), "Bo": ("analyst",)}
    assert engine.answer(["lead"]).record.ballots == {"Ana": ("lead",), "Bo": ("analyst",)}


def play_to_the_timed_decision(engine: Engine) -> None:
    for roles in (["analyst"], ["lead"], ["lead"]):  # who-triages, who-confirms, who-rates
        engine.answer(roles)
    pending = engine.pending_decision
    assert pending is not None and (pending.decision.id, pending.time_limit_s) == ("who-authorises", 90)


def test_added_time_is_journaled_whole(timed: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(timed, tiny_map)
    play_to_the_timed_decision(engine)
    engine.extend_time(1)
    assert last_event(engine) == {
        "type": "time_extended",
        "step": "contain",
        "decision": "who-authorises",
        "attempt": 1,
        "seconds": 1,
        "limit_s": 91,
    }
    pending = engine.extend_time(3600)  # the most at once
    assert pending.time_limit_s == 3691 and last_event(engine)["limit_s"] == 3691


@pytest.mark.parametrize("seconds", [0, -5, 3601])
def test_added_time_out_of_range_is_refused(timed: Scenario, tiny_map: AuthorityMap, seconds: int) -> None:
    engine = started(timed, tiny_map)
    play_to_the_timed_decision(engine)
    assert refusal(ValueError, engine.extend_time, seconds) == (
        f"extra time must be between 1 and 3600 seconds, not {seconds}"
    )
    assert engine.events[-1]["type"] == "decision_asked"


def test_no_time_can_be_added_when_no_decision_waits(timed: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(timed, tiny_map, ROOM, 1)
    assert refusal(EngineError, engine.extend_time, 30) == "no decision is waiting for an answer (state: briefing)"
    engine.start()
    assert refusal(EngineError, engine.extend_time, 30) == "decision 'who-triages' has no time limit to extend"


def test_a_resume_replays_corrections_with_their_reasons(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.cast_ballot("Bo", ["lead"])
    engine.withdraw_ballot("Bo", "wrong key")
    engine.answer(["analyst"])
    engine.withdraw_answer("mis-keyed")
    engine.answer(["lead"])
    events = [dict(event) for event in engine.events]
    unreasoned = [{k: v for k, v in e.items() if k != "reason"} for e in events]  # a journal line without one

    restored = Engine.restore(scenario, tiny_map, ROOM, 1, events)
    without = Engine.restore(scenario, tiny_map, ROOM, 1, unreasoned)

    def reasons(of: Engine) -> list[Any]:
        return [e["reason"] for e in of.events if e["type"] == "answer_withdrawn"]

    assert reasons(restored) == ["wrong key", "mis-keyed"]
    assert reasons(without) == ["", ""]
    assert [a.roles for a in restored.answers] == [("lead",)] == [a.roles for a in without.answers]


def test_a_correction_for_another_decision_is_refused_on_resume(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    engine.withdraw_answer("mis-keyed")
    events = [dict(event) for event in engine.events]
    line = 2 + next(i for i, e in enumerate(events) if e["type"] == "answer_withdrawn")
    events[line - 2]["decision"] = "who-leads"
    assert refusal(ResumeError, Engine.restore, scenario, tiny_map, ROOM, 1, events) == (
        f"journal line {line}: a correction in the journal withdraws an answer to decision 'who-leads',"
        " but replaying reaches decision 'who-triages'; the journal does not match"
    )


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        ([12.5, 7.0], 12.5),  # the most recorded, not the last
        ([0, 0.4], 0.4),
        ([0], 0.0),
        ([999_999_999.5], 999_999_999.5),
        ([10**9, 3.0], 3.0),  # out of range: an edited line
        ([-1, "50", 2.0], 2.0),
        ([True], 0.0),  # a flag, not a number
        ([], 0.0),
    ],
)
def test_a_resume_carries_on_from_the_most_time_played(
    scenario: Scenario, tiny_map: AuthorityMap, recorded: list[Any], expected: float
) -> None:
    engine = started(scenario, tiny_map)
    events = [dict(event) for event in engine.events]
    for event, played in zip(events, recorded, strict=False):
        event["played_s"] = played
    assert Engine.restore(scenario, tiny_map, ROOM, 1, events).played_before == expected


def test_a_correction_keeps_the_seeded_variables(tmp_path: Path, tiny_map: AuthorityMap) -> None:
    hosts = ", ".join(f"FS-{n:02}" for n in range(1, 100))
    text = (FIXTURES / "loop.yaml").read_text(encoding="utf-8").replace("choice: [FS-01]", f"choice: [{hosts}]")
    path = tmp_path / "hosts.yaml"
    path.write_text(text, encoding="utf-8")
    engine = started(load_scenario(path), tiny_map)
    shown = [(item.title, item.text) for item in engine.items]
    assert shown[0][1].startswith("An alert fires on FS-") and "{{" not in shown[0][1]
    engine.answer(["analyst"])
    engine.withdraw_answer()
    assert [(item.title, item.text) for item in engine.items] == shown  # rebuilt with the session's seed


def test_a_correction_after_the_last_answer_reopens_the_session(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    for roles in (["analyst"], ["lead"], ["lead"], ["lead"], ["analyst"]):
        engine.answer(roles)
    assert engine.finished and engine.end_reason == "completed"
    withdrawn = engine.withdraw_answer("meant the lead")
    assert withdrawn.decision == "who-leads" and not engine.finished and engine.end_reason is None
    assert asked(engine) == "who-leads"


def asked(engine: Engine) -> str:
    pending = engine.pending_decision
    assert pending is not None
    return pending.decision.id


def test_added_time_without_its_seconds_is_refused_on_resume(timed: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(timed, tiny_map)
    play_to_the_timed_decision(engine)
    engine.extend_time(30)
    events = [dict(event) for event in engine.events]
    del events[-1]["seconds"]  # an edited line
    assert refusal(ResumeError, Engine.restore, timed, tiny_map, ROOM, 1, events) == (
        f"journal line {len(events) + 1}: the journal does not replay against this scenario and map:"
        " extra time must be between 1 and 3600 seconds, not 0"
    )
