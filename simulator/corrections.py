"""Corrections: which answers and ballots of a journal still stand after `answer_withdrawn` events.

A correction never edits or deletes a journal line. `answer_withdrawn` without a
`participant` withdraws the latest standing team answer to its decision; with a
`participant` it withdraws that person's latest ballot for the decision (the
ballot stays in the journal, marked withdrawn). The engine, scoring and the
reports all read a journal through these functions, so they agree on what stands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.frozen import frozen
from simulator.records import AnswerRecord

EventLike = Mapping[str, Any]

# Events that change what the engine's state is; every other event is derived from these.
INPUT_KINDS = ("ballot_cast", "answer_recorded", "session_ended")


@frozen
class Correction:
    """A withdrawn team answer, and the answer given in its place (None while none has been given)."""

    withdrawn: AnswerRecord
    replaced_by: AnswerRecord | None
    reason: str
    at: str


@frozen
class WithdrawnBallot:
    step: str
    decision: str
    attempt: int
    participant: str
    roles: tuple[str, ...]
    reason: str
    at: str


def is_ballot_withdrawal(event: EventLike) -> bool:
    return event.get("type") == "answer_withdrawn" and bool(event.get("participant"))


def _same_decision(event: EventLike, withdrawal: EventLike) -> bool:
    return (event.get("step"), event.get("decision"), event.get("attempt", 1)) == (
        withdrawal.get("step"),
        withdrawal.get("decision"),
        withdrawal.get("attempt", 1),
    )


def _withdrawn_positions(events: Sequence[EventLike]) -> dict[int, int]:
    """Position of every withdrawn answer or ballot event → position of the withdrawal that withdrew it."""
    standing: list[int] = []  # positions of input events that still stand
    withdrawn: dict[int, int] = {}
    for position, event in enumerate(events):
        kind = event.get("type")
        if kind in ("ballot_cast", "answer_recorded"):
            standing.append(position)
        elif kind == "answer_withdrawn":
            wanted = "ballot_cast" if is_ballot_withdrawal(event) else "answer_recorded"
            for candidate in reversed(standing):
                target = events[candidate]
                if target.get("type") != wanted or not _same_decision(target, event):
                    continue
                if wanted == "ballot_cast" and target.get("participant") != event.get("participant"):
                    continue
                standing.remove(candidate)
                withdrawn[candidate] = position
                if wanted == "answer_recorded":
                    # Ballots cast since were for a decision the room no longer stands at: set aside too.
                    for later in [p for p in standing if p > candidate and events[p].get("type") == "ballot_cast"]:
                        standing.remove(later)
                        withdrawn[later] = position
                break
    return withdrawn


# Events that only follow from an answer: undone with it when it is withdrawn.
DERIVED_KINDS = ("consequence_fired", "stage_entered", "inject_shown", "decision_asked", "session_ended")


def standing_events(events: Sequence[EventLike]) -> list[EventLike]:
    """The journal as if the withdrawn answers had never been given: what the timeline of a report shows.

    A withdrawn answer, the ballots set aside with it and the events it set off (consequences,
    later steps) are left out; notes and the withdrawals themselves are kept.
    """
    withdrawn = _withdrawn_positions(events)
    undone: set[int] = set(withdrawn)
    for position, by in withdrawn.items():
        if events[position].get("type") == "answer_recorded":
            undone.update(p for p in range(position + 1, by) if events[p].get("type") in DERIVED_KINDS)
    return [event for position, event in enumerate(events) if position not in undone]


def standing_inputs(events: Sequence[EventLike]) -> list[EventLike]:
    """The ballots, answers and early ends that still stand, in journal order."""
    withdrawn = _withdrawn_positions(events)
    return [
        event
        for position, event in enumerate(events)
        if event.get("type") in INPUT_KINDS
        and position not in withdrawn
        and not (event.get("type") == "session_ended" and event.get("reason") == "completed")
    ]


def standing_answers(events: Sequence[EventLike]) -> list[AnswerRecord]:
    """Every team answer that was not withdrawn, in the order given: what scoring reads."""
    return [AnswerRecord.from_json(dict(e)) for e in standing_inputs(events) if e.get("type") == "answer_recorded"]


def corrections(events: Sequence[EventLike]) -> list[Correction]:
    """Every withdrawn team answer beside the next answer given to the same decision."""
    withdrawn = _withdrawn_positions(events)
    found = []
    for position, by in sorted(withdrawn.items(), key=lambda item: item[1]):
        event = events[position]
        if event.get("type") != "answer_recorded":
            continue
        withdrawal = events[by]
        replaced_by = next(
            (
                AnswerRecord.from_json(dict(later))
                for later in events[by + 1 :]
                if later.get("type") == "answer_recorded" and _same_decision(later, withdrawal)
            ),
            None,
        )
        found.append(
            Correction(
                withdrawn=AnswerRecord.from_json(dict(event)),
                replaced_by=replaced_by,
                reason=str(withdrawal.get("reason", "")),
                at=str(withdrawal.get("at", "")),
            )
        )
    return found


def withdrawn_ballots(events: Sequence[EventLike]) -> list[WithdrawnBallot]:
    """Every ballot that was withdrawn, with the reason given."""
    withdrawn = _withdrawn_positions(events)
    found = []
    for position, by in sorted(withdrawn.items(), key=lambda item: item[1]):
        event = events[position]
        if event.get("type") != "ballot_cast":
            continue
        withdrawal = events[by]
        found.append(
            WithdrawnBallot(
                step=str(event.get("step", "")),
                decision=str(event.get("decision", "")),
                attempt=int(event.get("attempt", 1) or 1),
                participant=str(event.get("participant", "")),
                roles=tuple(str(r) for r in event.get("roles", [])),
                reason=str(withdrawal.get("reason", "")),
                at=str(withdrawal.get("at", "")),
            )
        )
    return found
