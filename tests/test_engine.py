"""The stage machine and the Engine: moves, jumps, once-only consequences, the clock, deputies, resume."""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

import pytest

from simulator.catalogue import STAGES, is_legal_move
from simulator.engine import Engine, EngineError, IllegalMove, ResumeError, StageMachine
from simulator.engine.machine import BRIEFING, DEBRIEF, enter_trigger, transition_table
from simulator.engine.views import FiredConsequence, ShownArtifact, ShownItem
from simulator.loading import load_map, load_scenario
from simulator.model import AuthorityMap, Participant, Roster, Scenario

FIXTURES = Path(__file__).parent / "fixtures" / "engine"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(FIXTURES / "loop.yaml")


@pytest.fixture(scope="module")
def tiny_map() -> AuthorityMap:
    return load_map(FIXTURES / "tiny-map.yaml")


def everyone(authority_map: AuthorityMap) -> Roster:
    return Roster(participants=[Participant(name="Team", roles=authority_map.role_ids)])


def started(scenario: Scenario, authority_map: AuthorityMap, roster: Roster | None = None) -> Engine:
    engine = Engine(scenario, authority_map, roster or everyone(authority_map), seed=1)
    engine.start()
    return engine


def asked(engine: Engine) -> str:
    pending = engine.pending_decision
    assert pending is not None
    return pending.decision.id


# --- machine -------------------------------------------------------------------


# DESIGN.md §4, written out: rows are the stage a session is in, columns the stage it moves to, in the
# order detection, confirmation, containment, communication, investigation, documentation.
# Forward moves (and staying) are legal; the only moves back are the loops real incidents take.
LEGAL_MOVES = """
               det conf cont comm inv doc
detection       Y   Y    Y    Y    Y   Y
confirmation    Y   Y    Y    Y    Y   Y
containment     .   Y    Y    Y    Y   Y
communication   .   .    Y    Y    Y   Y
investigation   .   .    Y    Y    Y   Y
documentation   .   .    .    .    .   Y
"""


def _legal_table() -> dict[tuple[str, str], bool]:
    rows = LEGAL_MOVES.strip().splitlines()[1:]
    order = [row.split()[0] for row in rows]
    table = {}
    for row in rows:
        source, *marks = row.split()
        table.update({(source, dest): mark == "Y" for dest, mark in zip(order, marks, strict=True)})
    return table


LEGAL = _legal_table()


def test_the_written_table_covers_the_six_stages() -> None:
    assert sorted({source for source, _ in LEGAL}) == sorted(STAGES) and len(LEGAL) == 36


@pytest.mark.parametrize(("source", "dest"), list(itertools.product(STAGES, STAGES)))
def test_every_stage_move_follows_the_table(source: str, dest: str) -> None:
    assert is_legal_move(source, dest) is LEGAL[source, dest]  # type: ignore[arg-type]
    machine = StageMachine()
    machine.move_to(source)  # any stage may open the session
    if LEGAL[source, dest]:
        machine.move_to(dest)
        assert machine.state == dest
    else:
        with pytest.raises(IllegalMove, match=f"from {source} to {dest}"):
            machine.move_to(dest)
        assert machine.state == source


def test_transitions_are_the_data_table() -> None:
    machine = StageMachine()
    declared = {(s, t["dest"]) for t in transition_table() for s in t["source"]}
    expected = {(s, d) for (s, d), legal in LEGAL.items() if s != d and legal}
    expected |= {(BRIEFING, d) for d in STAGES} | {(s, DEBRIEF) for s in (BRIEFING, *STAGES)}
    assert declared == expected
    built = {
        (t.source, t.dest)
        for stage in (*STAGES, DEBRIEF)
        for t in machine._machine.get_transitions(enter_trigger(stage))
    }
    assert built == expected
    assert not hasattr(machine, "to_detection")  # no auto transitions: only the declared moves exist


def test_machine_records_revisits_and_ends_in_debrief() -> None:
    machine = StageMachine()
    assert machine.state == BRIEFING and machine.stage is None
    for stage in ("detection", "confirmation", "detection", "containment", "communication", "containment"):
        machine.move_to(stage)
    assert machine.visits == ["detection", "confirmation", "detection", "containment", "communication", "containment"]
    machine.end()
    assert machine.finished and machine.stage is None
    with pytest.raises(IllegalMove):
        machine.move_to("documentation")


def test_unknown_stage_is_rejected() -> None:
    with pytest.raises(IllegalMove, match="unknown stage 'debrief'"):
        StageMachine().move_to("debrief")


# --- engine --------------------------------------------------------------------


def test_starts_in_briefing_and_renders_everything(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(scenario, tiny_map, everyone(tiny_map), seed=3)
    assert engine.state == "briefing" and engine.pending_decision is None
    assert engine.title == "Loops on FS-01" and "{{" not in engine.summary
    engine.start()
    assert engine.state == "detection" and engine.clock == "02:00"
    assert engine.inject == "An alert fires on FS-01."
    assert [(a.title, a.body) for a in engine.artifacts] == [("FS-01 log", "vssadmin delete shadows on FS-01")]
    pending = engine.pending_decision
    assert pending is not None and pending.ask == "Who triages the alert on FS-01?" and pending.attempt == 1
    assert [(c.role, c.party_name) for c in engine.choices][:1] == [("lead", "Client")]
    with pytest.raises(EngineError):
        engine.start()


def test_aligned_path_visits_steps_in_order(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    for roles in (["analyst"], ["lead"], [], ["lead"], ["analyst"]):
        engine.answer(roles)
    assert engine.finished and engine.state == "debrief" and engine.end_reason == "completed"
    assert [a.decision for a in engine.answers] == [
        "who-triages",
        "who-confirms",
        "who-rates",
        "who-authorises",
        "who-leads",
    ]
    assert engine.stages_visited == ["detection", "confirmation", "containment", "investigation"]
    assert [item.kind for item in engine.items] == ["step"] * 4
    assert engine.events[-1]["type"] == "session_ended"
    with pytest.raises(EngineError, match="no decision"):
        engine.answer(["lead"])


def test_clock_advances_and_never_runs_backwards(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    result = engine.answer([])  # gap: slow-triage adds 30 minutes
    assert [f.id for f in result.fired] == ["slow-triage"] and result.fired[0].clock_advance == 30
    # The next step says 02:10, but the clock already reached 02:30.
    assert engine.current_step is not None and engine.current_step.id == "confirm"
    assert engine.clock == "02:30"
    engine.answer(["lead"])
    engine.answer([])
    assert engine.clock == "03:00"  # a later step time moves the clock forward
    engine.answer(["lead"])
    assert engine.clock == "Day 2 09:00"
    assert engine.answers[1].clock == "02:30"


def test_goto_waits_for_the_step_and_replays_with_attempts(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    result = engine.answer([])  # who-confirms gap: retriage, goto alert
    assert [f.goto for f in result.fired] == ["alert"]
    assert asked(engine) == "who-rates"  # the jump waits for the rest of the step
    engine.answer([])
    step = engine.current_step
    assert step is not None and step.id == "alert" and engine.state == "detection"
    pending = engine.pending_decision
    assert pending is not None and pending.attempt == 2
    assert engine.clock == "02:15"  # 02:10 + 5, not back to 02:00
    engine.answer(["analyst"])
    assert engine.answers[-1].attempt == 2 and engine.answers[0].attempt == 1
    assert engine.stages_visited == ["detection", "confirmation", "detection", "confirmation"]


def test_each_consequence_fires_at_most_once(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    fired: list[str] = []
    steps_played: list[str] = []
    for _ in range(20):
        if engine.finished:
            break
        step = engine.current_step
        assert step is not None
        steps_played.append(step.id)
        fired += [f.id for f in engine.answer([]).fired]
    assert engine.finished  # a jump back cannot loop forever
    assert fired == ["slow-triage", "retriage"]
    assert [a.decision for a in engine.answers] == [
        "who-triages",
        "who-confirms",
        "who-rates",
        "who-triages",  # replayed after retriage; slow-triage does not fire again
        "who-confirms",  # retriage does not fire again either
        "who-rates",
        "who-authorises",
        "who-leads",
    ]
    consequence_items = [i.id for i in engine.items if i.kind == "consequence"]
    assert consequence_items == ["slow-triage", "retriage"]
    assert engine.items[1].text == "Thirty minutes pass on FS-01."


def test_first_goto_of_a_step_wins(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    result = engine.answer(["observer"])  # drift: jump-ahead (investigate) then jump-back (alert)
    assert [f.id for f in result.fired] == ["jump-ahead", "jump-back"]
    engine.answer([])
    step = engine.current_step
    assert step is not None and step.id == "investigate"  # containment was skipped
    assert engine.stages_visited == ["detection", "confirmation", "investigation"]


def test_jump_back_across_stages_moves_the_machine(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    for roles in (["analyst"], ["lead"], [], ["lead"]):
        engine.answer(roles)
    engine.answer(["observer"])  # who-leads drift: late-jump back to containment
    assert engine.state == "containment" and engine.clock == "Day 2 10:00"
    engine.answer(["lead"])
    assert engine.state == "investigation" and asked(engine) == "who-leads"
    engine.answer(["observer"])  # late-jump already fired: the session ends
    assert engine.finished


def test_deputy_of_an_unstaffed_role_is_aligned(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    roster = Roster(participants=[Participant(name="Sam", roles=["backup", "analyst", "observer"])])
    engine = started(scenario, tiny_map, roster)
    engine.answer(["analyst"])
    result = engine.answer(["backup"])  # lead is unstaffed; backup is its deputy
    assert result.classification.outcome == "aligned" and result.classification.via_deputy
    assert result.fired == ()
    staffed = started(scenario, tiny_map)  # everyone staffed: naming the deputy is drift
    staffed.answer(["analyst"])
    assert staffed.answer(["backup"]).classification.outcome == "drift"


def test_unknown_role_is_rejected_and_nothing_recorded(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    before = len(engine.events)
    with pytest.raises(ValueError, match="unknown role 'analist' — did you mean 'analyst'"):
        engine.answer(["analist"])
    with pytest.raises(ValueError, match="unknown role"):
        engine.answer(["analyst"], ballots={"Team": ["nobody-here"]})
    with pytest.raises(ValueError, match="unknown participant"):
        engine.answer(["analyst"], ballots={"Stranger": ["analyst"]})
    assert len(engine.events) == before and engine.answers == []
    assert asked(engine) == "who-triages"


def test_timed_out_records_a_gap(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    result = engine.answer(["analyst"], latency_ms=95_000, timed_out=True)
    assert result.record.roles == () and result.record.timed_out
    assert result.classification.outcome == "gap"
    assert [f.id for f in result.fired] == ["slow-triage"]


def test_ballots_are_recorded_and_journaled_before_the_answer(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    roster = Roster(
        participants=[
            Participant(name="Ana", roles=["lead", "backup"]),
            Participant(name="Bo", roles=["analyst", "observer"]),
        ]
    )
    engine = started(scenario, tiny_map, roster)
    result = engine.answer(["analyst"], answered_by="Ana", ballots={"Ana": ["analyst"], "Bo": ["analyst", "observer"]})
    assert result.record.ballots == {"Ana": ("analyst",), "Bo": ("analyst", "observer")}
    kinds = [e["type"] for e in engine.events]
    answered = kinds.index("answer_recorded")
    assert kinds[answered - 2 : answered] == ["ballot_cast", "ballot_cast"]
    assert engine.events[answered - 1]["roles"] == ["analyst", "observer"]


def test_notes_carry_where_play_stood(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = Engine(scenario, tiny_map, everyone(tiny_map), seed=1)
    engine.note("Room is ready", author="Facilitator")
    engine.start()
    note = engine.note("They hesitated", author="Facilitator")
    assert (note.step, note.decision, note.clock) == ("alert", "who-triages", "02:00")
    assert engine.events[-1]["type"] == "note_added" and engine.events[-1]["text"] == "They hesitated"


def test_end_stops_early(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    engine.end()
    assert engine.finished and engine.end_reason == "stopped" and engine.pending_decision is None
    assert engine.events[-1] == {**engine.events[-1], "type": "session_ended", "reason": "stopped", "answers": 1}


# --- restore -------------------------------------------------------------------


def _play(engine: Engine, answers: list[list[str]]) -> None:
    for roles in answers:
        engine.answer(roles)


# Jumps back to detection, then from investigation back to containment.
LOOPING = [["analyst"], [], [], [], ["lead"], ["observer"], ["lead"], ["observer"], ["lead"], ["analyst"]]


def test_progress_counts_answers_of_the_scripts_five_decisions_and_grows_on_a_replay(
    scenario: Scenario, tiny_map: AuthorityMap
) -> None:
    engine = started(scenario, tiny_map)
    seen = []
    for roles in LOOPING:
        seen.append(engine.progress)
        engine.answer(roles)
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9), (10, 10)]


@pytest.mark.parametrize("stopped_after", range(len(LOOPING) + 1))
def test_restore_ends_at_the_pending_decision(scenario: Scenario, tiny_map: AuthorityMap, stopped_after: int) -> None:
    original = started(scenario, tiny_map)
    original.note("before the loop")
    _play(original, LOOPING[:stopped_after])
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert restored.answers == original.answers
    assert restored.pending_decision == original.pending_decision
    assert restored.clock == original.clock and restored.stages_visited == original.stages_visited
    assert [n.text for n in restored.notes] == ["before the loop"]
    assert [e["type"] for e in restored.events] == [e["type"] for e in original.events]
    _play(restored, LOOPING[stopped_after:])
    _play(original, LOOPING[stopped_after:])
    assert restored.finished and restored.answers == original.answers
    assert [e["type"] for e in restored.events] == [e["type"] for e in original.events]


def test_restore_rejects_a_journal_of_another_scenario(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    _play(original, [["analyst"], ["lead"]])
    events = [dict(e) for e in original.events]
    for event in events:
        if event["type"] == "answer_recorded" and event["decision"] == "who-confirms":
            event["decision"] = "who-rates"
    with pytest.raises(ResumeError, match=r"answer #2 .* 'who-rates'"):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)


def test_an_illegal_stage_move_that_slipped_past_validation_is_a_clear_error(tiny_map: AuthorityMap) -> None:
    # Built without the loader's checks, which would have rejected this order.
    scenario = Scenario.model_validate(
        {
            "id": "backwards",
            "title": "Backwards",
            "steps": [
                {"id": "archive", "stage": "documentation", "inject": "Filed."},
                {"id": "alert", "stage": "detection", "inject": "An alert."},
            ],
        }
    )
    engine = Engine(scenario, tiny_map, everyone(tiny_map), seed=1)
    with pytest.raises(EngineError, match="step 'alert': cannot move from documentation to detection"):
        engine.start()


def test_a_consequence_without_a_clock_advance_leaves_the_clock(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    assert engine.clock == "02:10"
    result = engine.answer(["observer"])  # drift: jump-ahead and jump-back, neither moves the clock
    assert [(f.id, f.clock_advance) for f in result.fired] == [("jump-ahead", 0), ("jump-back", 0)]
    assert engine.clock == "02:10"
    assert [e["clock"] for e in engine.events if e["type"] == "consequence_fired"] == ["02:10", "02:10"]


def test_restore_keeps_latency_and_time_outs(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.answer(["analyst"], latency_ms=4_321)
    original.answer(["lead"], latency_ms=61_000, timed_out=True)
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert [(a.decision, a.roles, a.latency_ms, a.timed_out) for a in restored.answers] == [
        ("who-triages", ("analyst",), 4_321, False),
        ("who-confirms", (), 61_000, True),
    ]


def test_restore_of_a_stopped_session_stays_stopped(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.answer(["analyst"])
    original.end()
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert restored.finished and restored.state == "debrief"
    assert restored.end_reason == "stopped" and restored.pending_decision is None
    assert [e["type"] for e in restored.events].count("session_ended") == 1


def test_restore_of_a_completed_session_ends_once(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    _play(original, [["analyst"], ["lead"], [], ["lead"], ["analyst"]])
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert restored.end_reason == "completed" and restored.finished
    assert [e["type"] for e in restored.events].count("session_ended") == 1


def test_restore_rejects_a_ballot_for_another_decision(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.cast_ballot("Team", ["analyst"])
    events = [dict(e) for e in original.events]
    ballot = next(e for e in events if e["type"] == "ballot_cast")
    assert ballot["decision"] == "who-triages"
    ballot["decision"] = "who-confirms"
    with pytest.raises(
        ResumeError,
        match="a ballot in the journal is for decision 'who-confirms', but replaying reaches decision 'who-triages';",
    ):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)
    ballot["decision"], ballot["step"] = "who-triages", "confirm"
    with pytest.raises(ResumeError, match="a ballot in the journal is for decision 'who-triages'"):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)


def test_restore_keeps_a_ballot_cast_before_the_crash(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.cast_ballot("Team", ["analyst", "lead"])
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert restored.ballots == {"Team": ("analyst", "lead")}


class _Recorder:
    """Stands in for a Journal: keeps what the engine appends."""

    def __init__(self) -> None:
        self.appended: list[dict[str, object]] = []

    def append(self, event: dict[str, object]) -> None:
        self.appended.append(event)

    def group(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()  # one fsync per group in the real journal; nothing to sync here


def test_a_note_is_journaled_with_where_play_stood(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    note = engine.note("They hesitated", author="Ana")
    event = engine.events[-1]
    assert {k: event[k] for k in ("type", "author", "text", "step", "decision", "clock")} == {
        "type": "note_added",
        "author": "Ana",
        "text": "They hesitated",
        "step": "alert",
        "decision": "who-triages",
        "clock": "02:00",
    }
    assert (note.author, note.at) == ("Ana", event["at"]) and note.at
    assert engine.note("Default author").author == "facilitator"


def test_restore_writes_what_the_crash_lost_and_journals_on(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    """A crash after the answer line but before its consequences: replay writes the rest, then play goes on."""
    original = started(scenario, tiny_map)
    original.answer([])  # gap: slow-triage fires, then the next step is shown
    cut = [e["type"] for e in original.events].index("answer_recorded") + 1
    journal = _Recorder()
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 5, original.events[:cut], journal=journal)  # type: ignore[arg-type]
    assert [e["type"] for e in journal.appended] == [e["type"] for e in original.events[cut:]]
    assert journal.appended[0]["type"] == "consequence_fired" and restored.seed == 5
    before = len(journal.appended)
    restored.answer(["lead"])
    assert restored.journal is journal and journal.appended[before]["type"] == "answer_recorded"


def test_restore_of_a_session_stopped_with_another_reason_keeps_it(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.end("out of time")
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert restored.end_reason == "out of time"
    events = [dict(e) for e in original.events]
    del events[-1]["reason"]  # an ending without its reason is a stop
    assert Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events).end_reason == "stopped"


def test_restore_rejects_an_answer_after_the_end(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.answer(["analyst"])
    original.end()
    answer = next(e for e in original.events if e["type"] == "answer_recorded")
    duplicate = r"journal line \d+: answer #2 in the journal answers decision 'who-triages' \(attempt 1\) a second time"
    with pytest.raises(ResumeError, match=duplicate):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, [*original.events, answer])


def test_restore_names_the_journal_line_that_does_not_match(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    events = [dict(e) for e in original.events]
    events[1]["type"] = "note_added_elsewhere"  # line 3: the header is line 1
    with pytest.raises(
        ResumeError,
        match="journal line 3: expected a 'inject_shown' event when replaying, found 'note_added_elsewhere'; the",
    ):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)
    extra = [*original.events, {"type": "stage_entered", "stage": "detection"}]
    with pytest.raises(ResumeError, match=f"journal line {len(extra) + 1}: unexpected 'stage_entered' event"):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, extra)


def test_ballots_carry_the_attempt_and_need_a_pending_decision(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    engine.answer([])  # retriage: back to the alert step, attempt 2
    engine.answer([])
    engine.cast_ballot("Team", ["analyst"])
    assert {k: engine.events[-1][k] for k in ("type", "step", "decision", "attempt", "participant", "roles")} == {
        "type": "ballot_cast",
        "step": "alert",
        "decision": "who-triages",
        "attempt": 2,
        "participant": "Team",
        "roles": ["analyst"],
    }
    engine.end()
    with pytest.raises(EngineError, match=r"^no decision is waiting for ballots \(state: debrief\)$"):
        engine.cast_ballot("Team", ["analyst"])
    with pytest.raises(EngineError, match=r"^the session has already ended$"):
        engine.end()


def test_restored_notes_keep_author_place_and_time(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.note("Room is loud", author="Ana")
    original.answer(["analyst"])
    events = [dict(e) for e in original.events]
    events.append({"type": "note_added", "at": "2025-03-01T09:00:05.000+00:00"})  # no author, no text
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)
    first_at = next(e["at"] for e in original.events if e["type"] == "note_added")
    assert [(n.author, n.text, n.step, n.decision, n.clock, n.at) for n in restored.notes] == [
        ("Ana", "Room is loud", "alert", "who-triages", "02:00", first_at),
        ("facilitator", "", "confirm", "who-confirms", "02:10", "2025-03-01T09:00:05.000+00:00"),
    ]


def test_restore_refuses_a_ballot_without_its_participant(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.cast_ballot("Team", ["analyst"])
    events = [dict(e) for e in original.events]
    del events[-1]["participant"]
    with pytest.raises(ResumeError, match="unknown participant ''"):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)
    events[-1]["participant"] = "Team"
    del events[-1]["roles"]  # a ballot with no roles: "nobody / not sure"
    assert Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events).ballots == {"Team": ()}


def test_the_journal_of_a_short_play_in_full(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    """Every event and its payload, written out from the loop fixture (times left out)."""
    engine = Engine(scenario, tiny_map, everyone(tiny_map), seed=1)
    assert (engine.seed, engine.end_reason, engine.clock) == (1, None, "")
    engine.start()
    engine.answer([], latency_ms=-5)  # a clock that went backwards is no latency
    engine.end()
    assert [{k: v for k, v in e.items() if k != "at"} for e in engine.events] == [
        {"type": "stage_entered", "stage": "detection", "step": "alert", "clock": "02:00"},
        {"type": "inject_shown", "kind": "step", "step": "alert", "stage": "detection", "clock": "02:00", "attempt": 1},
        {
            "type": "decision_asked",
            "step": "alert",
            "decision": "who-triages",
            "responsibility": "detection.triage",
            "attempt": 1,
            "clock": "02:00",
        },
        {
            "type": "answer_recorded",
            "decision": "who-triages",
            "step": "alert",
            "stage": "detection",
            "responsibility": "detection.triage",
            "roles": [],
            "answered_by": "team",
            "latency_ms": 0,
            "timed_out": False,
            "clock": "02:00",
            "ballots": {},
            "attempt": 1,
        },
        {
            "type": "consequence_fired",
            "consequence": "slow-triage",
            "step": "alert",
            "decision": "who-triages",
            "outcome": "gap",
            "clock": "02:30",
            "clock_advance": "00:30",
            "goto": None,
        },
        {"type": "stage_entered", "stage": "confirmation", "step": "confirm", "clock": "02:30"},
        {
            "type": "inject_shown",
            "kind": "step",
            "step": "confirm",
            "stage": "confirmation",
            "clock": "02:30",
            "attempt": 1,
        },
        {
            "type": "decision_asked",
            "step": "confirm",
            "decision": "who-confirms",
            "responsibility": "confirmation.confirm",
            "attempt": 1,
            "clock": "02:30",
        },
        {"type": "session_ended", "reason": "stopped", "answers": 1, "clock": "02:30"},
    ]


def test_what_the_screen_shows_in_full(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    result = engine.answer([])
    assert engine.items == [
        ShownItem(
            kind="step",
            id="alert",
            stage="detection",
            clock="02:00",
            title="",
            text="An alert fires on FS-01.",
            artifacts=(ShownArtifact("log", "FS-01 log", "vssadmin delete shadows on FS-01"),),
            attempt=1,
        ),
        ShownItem("consequence", "slow-triage", "detection", "02:30", "", "Thirty minutes pass on FS-01."),
        ShownItem("step", "confirm", "confirmation", "02:30", "", "The analyst thinks it is real.", (), 1),
    ]
    assert result.fired == (FiredConsequence("slow-triage", "gap", engine.items[1], 30, None),)
    with pytest.raises(EngineError, match=r"^the session has already started$"):
        engine.start()


def test_a_step_without_a_clock_at_the_start_keeps_the_clock_empty(tiny_map: AuthorityMap) -> None:
    scenario = Scenario.model_validate(
        {
            "id": "no-clock",
            "title": "No clock",
            "steps": [
                {"id": "one", "stage": "detection", "inject": "A.", "decisions": []},
                {"id": "two", "stage": "detection", "clock": "00:00", "inject": "B.", "decisions": []},
            ],
        }
    )
    engine = Engine(scenario, tiny_map, everyone(tiny_map), seed=1)
    engine.start()
    assert engine.finished and [i.id for i in engine.items] == ["one", "two"]
    assert [i.clock for i in engine.items] == ["", "00:00"]


def test_the_machine_says_which_moves_it_can_make() -> None:
    machine = StageMachine()
    assert machine.can_move_to("containment") and not machine.can_move_to("debrief")
    machine.move_to("containment")
    assert machine.can_move_to("containment")  # staying is always allowed
    assert not machine.can_move_to("detection") and not machine.can_move_to("recovery")
    with pytest.raises(IllegalMove, match=r"^unknown stage 'recovery'; expected one of: detection, confirmation, "):
        machine.move_to("recovery")


def test_one_role_id_as_a_string_is_one_role(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    engine = started(scenario, tiny_map)
    record = engine.answer("analyst").record
    assert (record.roles, record.latency_ms, record.answered_by) == (("analyst",), 0, "team")


def test_the_seed_fills_the_variables(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

    (tmp_path / "s.yaml").write_text(MINIMAL_SCENARIO, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(MINIMAL_MAP, encoding="utf-8")
    scenario, authority_map = load_scenario(tmp_path / "s.yaml"), load_map(tmp_path / "m.yaml")
    first, again = (Engine(scenario, authority_map, everyone(authority_map), seed=11) for _ in range(2))
    assert first.values == again.values and first.values["host"].startswith("FS-")
    other = Engine(scenario, authority_map, everyone(authority_map), seed=12)
    assert other.values["host"] != first.values["host"]  # the seed, not a constant, picks the names


def test_a_consequence_with_nothing_to_show_still_moves_the_clock(tiny_map: AuthorityMap) -> None:
    scenario = Scenario.model_validate(
        {
            "id": "quiet",
            "title": "Quiet",
            "steps": [
                {
                    "id": "one",
                    "stage": "detection",
                    "inject": "A.",
                    "decisions": [
                        {"id": "d", "ask": "Who?", "responsibility": "detection.triage", "on": {"gap": ["wait"]}}
                    ],
                },
                {"id": "two", "stage": "detection", "inject": "B."},
            ],
            "consequences": {"wait": {"clock_advance": "00:40"}},
        }
    )
    engine = Engine(scenario, tiny_map, everyone(tiny_map), seed=1)
    engine.start()
    result = engine.answer([])
    assert result.fired == (FiredConsequence("wait", "gap", None, 40, None),)
    assert engine.clock == "00:40" and [i.kind for i in engine.items] == ["step", "step"]


def test_a_jump_is_journaled_and_the_step_shown_again_counts_its_attempt(
    scenario: Scenario, tiny_map: AuthorityMap
) -> None:
    engine = started(scenario, tiny_map)
    engine.answer(["analyst"])
    engine.answer([])  # who-confirms gap: retriage, back to the alert
    engine.answer([])
    fired = [e for e in engine.events if e["type"] == "consequence_fired"]
    assert [(e["consequence"], e["clock_advance"], e["goto"]) for e in fired] == [("retriage", "00:05", "alert")]
    assert (engine.items[-1].id, engine.items[-1].attempt) == ("alert", 2)


def test_restore_keeps_ballots_and_checks_the_answers_place(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.answer(["analyst"], ballots={"Team": ["analyst", "lead"]})
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, original.events)
    assert restored.answers[0].ballots == {"Team": ("analyst", "lead")}
    events = [dict(e) for e in original.events]
    answer = next(e for e in events if e["type"] == "answer_recorded")
    answer["decision"] = "who-rates"
    with pytest.raises(
        ResumeError,
        match="answer #1 in the journal is for decision 'who-rates' of step 'alert', but replaying the scenario"
        " reaches decision 'who-triages' of step 'alert'; the journal does not match this scenario",
    ):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, events)


def test_restore_refuses_a_completion_before_the_script_ends(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.answer(["analyst"])
    early = {"type": "session_ended", "reason": "completed", "answers": 1, "clock": "02:10"}
    line = len(original.events) + 2  # after the header and every event play produced
    with pytest.raises(ResumeError, match=f"journal line {line}: unexpected 'session_ended' event after replaying"):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, [*original.events, early])


def test_restore_refuses_a_ballot_after_the_end(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    original.cast_ballot("Team", ["analyst"])
    ballot = original.events[-1]
    original.end()
    with pytest.raises(
        ResumeError,
        match=r"^journal line \d+: a ballot in the journal is for decision 'who-triages',"
        r" but replaying reaches no decision; the journal does not match this scenario$",
    ):
        Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, [*original.events, ballot])


def test_a_restored_note_without_a_time_has_none(scenario: Scenario, tiny_map: AuthorityMap) -> None:
    original = started(scenario, tiny_map)
    restored = Engine.restore(scenario, tiny_map, everyone(tiny_map), 1, [*original.events, {"type": "note_added"}])
    assert [(n.author, n.text, n.at) for n in restored.notes] == [("facilitator", "", "")]
