"""What a seat may see (DESIGN §9), built in one place so it can be checked in one place.

A seat sees the released story (step injects with their artifacts, consequences
that fired), the open question with the map's roles to pick from, its own
roles, the countdown, pause, its own ballot and how many have voted. After the
facilitator's reveal it sees everyone's ballots for that question, and after the
team answer the last round. It never sees facilitator notes, the map's
expected owners, the responsibility a decision tests, consequences not yet
fired, discussion prompts meant for the facilitator, or another seat's ballot
before the reveal.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.engine import ShownItem
from simulator.seats.protocol import message
from simulator.seats.registry import Seat
from simulator.seats.room import Room, spread


def _item(item: ShownItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "stage": item.stage,
        "clock": item.clock,
        "title": item.title,
        "text": item.text,
        "artifacts": [{"kind": a.kind, "title": a.title, "body": a.body} for a in item.artifacts],
    }


def _ballots(ballots: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    return {
        "ballots": [{"name": name, "roles": list(roles)} for name, roles in ballots.items()],
        "spread": [{"roles": list(roles), "count": count} for roles, count in spread(ballots)],
    }


def phase_of(room: Room) -> str:
    engine = room.engine
    if engine.finished:
        return "ended"
    if not engine.started:
        return "briefing"
    return "revealed" if room.is_revealed else "open"


def seat_state(room: Room, seat: Seat) -> dict[str, Any]:
    """The `state` message for one seat."""
    return message("state", **own_part(room, seat), **shared_part(room))


def state_text(own: dict[str, Any], shared_text: str) -> str:
    """One seat's `state` as JSON text: its own part, then the shared part encoded once for every seat."""
    return json.dumps(message("state", **own))[:-1] + "," + shared_text[1:]


def own_part(room: Room, seat: Seat) -> dict[str, Any]:
    """What only this seat's `state` holds: the seat, and its own ballot."""
    engine = room.engine
    roles = {r.id: r for r in engine.authority_map.roles}
    parties = engine.authority_map.parties
    own = room.ballot_of(seat) if room.question is not None else None
    return {
        "seat": {
            "id": seat.id,
            "name": seat.name,
            "roles": [
                {"id": r, "name": roles[r].name if r in roles else r, "party": parties.get(roles[r].party, "")}
                for r in seat.roles
                if r in roles
            ],
        },
        "your_ballot": None if own is None else list(own),
    }


def shared_part(room: Room) -> dict[str, Any]:
    """What every seat's `state` holds alike (built once per broadcast, not once per seat)."""
    engine = room.engine
    parties = engine.authority_map.parties
    question = None
    pending = room.question
    if pending is not None and not engine.finished:
        remaining = room.remaining_s()
        number, of = engine.progress
        question = {
            "step": pending.step,
            "decision": pending.decision.id,
            "attempt": pending.attempt,
            "ask": pending.ask,
            "index": number,
            "of": of,
            "critical": pending.decision.critical,
            "limit_s": pending.time_limit_s,
            "remaining_s": None if remaining is None else round(remaining, 1),
            "choices": [
                {"id": r.id, "name": r.name, "party": parties.get(r.party, r.party)} for r in engine.authority_map.roles
            ],
        }
    last = room.rounds[-1] if room.rounds else None
    return {
        "room": room.registry.room_code,
        "title": engine.title,
        "briefing": engine.summary,
        "phase": phase_of(room),
        "paused": room.paused,
        "stage": engine.stage,
        "clock": engine.clock,
        "story": [_item(item) for item in engine.items],
        "question": question,
        "voted": len(engine.ballots) if pending is not None else 0,
        "seated": len(room.seated),
        "reveal": _ballots(engine.ballots) if room.is_revealed else None,
        "last_round": None
        if last is None
        else {
            "decision": last.key[1],
            "ask": last.ask,
            "team": list(last.team),
            "timed_out": last.timed_out,
            **_ballots(last.ballots),
        },
    }


def host_summary(room: Room) -> list[dict[str, Any]]:
    """For the facilitator: each seat, its roles, whether it is taken and connected, whether it voted (not what)."""
    ballots = room.engine.ballots
    return [
        {
            "id": seat.id,
            "name": seat.name,
            "roles": list(seat.roles),
            "taken": seat.taken and not seat.removed,
            "connected": room.connected[seat.id] > 0,
            "voted": seat.name in ballots,
        }
        for seat in room.registry.seats.values()
    ]
