"""A whole bundled scenario played by three seats over WebSockets with the headless host.

Every message each seat receives is kept and inspected for what a seat must
never see (DESIGN §9): facilitator notes, the map's expected owners and
reasons, the responsibility a decision tests, consequences that never fired,
the facilitator's discussion prompts, and another seat's ballot before the reveal.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from simulator.journal import read_journal
from simulator.seats.headless import HeadlessHost
from simulator.seats.hosting import HostedSession
from simulator.seats.server import SeatServer
from tests.seats_support import ROSTER, hosted

NOTE = "FACILITATOR-ONLY: watch whether Ivo defers to the SOC lead"
# Every key a seat may receive, anywhere in a message; anything else is a leak or an undocumented field.
ALLOWED_KEYS = {
    "v", "type", "room", "seat", "secret", "name", "id", "roles", "party", "title", "briefing", "phase",
    "paused", "stage", "clock", "story", "kind", "text", "artifacts", "body", "question", "step", "decision",
    "attempt", "ask", "index", "of", "critical", "limit_s", "remaining_s", "choices", "your_ballot", "voted",
    "seated", "reveal", "ballots", "spread", "count", "last_round", "team", "timed_out", "code", "message",
    "max_roles",
}  # fmt: skip
NEWCOMER = "Nell Ortiz"  # not in the roster: picks the roles she holds from the map
PICKS = {
    "Zora Quillfeather": ["msp-service-manager"],
    "Ivo Brannigan": ["soc-lead"],
    "Tamsin Okonkwo": [],
    NEWCOMER: ["soc-senior"],
}


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


async def join_as_newcomer(client: TestClient, room: str, received: list[dict[str, Any]]) -> Any:
    """Join by a name the roster lacks, get the map's roles offered, join again holding one of them."""
    socket = await client.ws_connect("/ws")
    await socket.send_json({"v": 1, "type": "join", "room": room, "name": NEWCOMER})
    offer = await socket.receive_json(timeout=10)
    received.append(offer)
    assert offer["code"] == "unknown_name" and offer["roles"]
    await socket.send_json({"v": 1, "type": "join", "room": room, "name": NEWCOMER, "roles": ["client-dpo"]})
    return socket


async def play_seat(
    client: TestClient, name: str, room: str, received: list[dict[str, Any]], socket: Any = None
) -> None:
    if socket is None:
        socket = await client.ws_connect("/ws")
        await socket.send_json({"v": 1, "type": "join", "room": room, "name": name})
    cast: set[tuple[str, int]] = set()
    last: dict[str, Any] = {}
    while True:
        message = await socket.receive_json(timeout=10)
        received.append(message)
        if message["type"] == "error" and message["code"] == "rate_limited":
            await asyncio.sleep(0.2)  # faster than any person: the host drops it, so send it again
            await socket.send_json(last)
            continue
        if message["type"] != "state":
            continue
        if message["phase"] == "ended":
            await socket.close()
            return
        question = message["question"]
        if message["phase"] == "open" and question and (question["decision"], question["attempt"]) not in cast:
            cast.add((question["decision"], question["attempt"]))
            last = {
                "v": 1,
                "type": "ballot",
                "decision": question["decision"],
                "attempt": question["attempt"],
                "roles": PICKS[name],
            }
            await socket.send_json(last)


async def test_a_whole_scenario_leaks_nothing_to_a_seat(tmp_path: Path, aiohttp_client: Any) -> None:
    session: HostedSession = hosted(tmp_path)
    room = session.room
    engine = room.engine
    server = SeatServer(room)
    host = HeadlessHost(room)
    client = await aiohttp_client(server.app())
    received: dict[str, list[dict[str, Any]]] = {p["name"]: [] for p in ROSTER["participants"]}
    received[NEWCOMER] = []

    def note_once() -> None:
        if engine.started and not engine.notes and not engine.finished:
            engine.note(NOTE)

    room.on_change(note_once)
    code = room.registry.room_code
    newcomer = await join_as_newcomer(client, code, received[NEWCOMER])  # seated before the host can start
    seats = [
        play_seat(client, name, code, kept, newcomer if name == NEWCOMER else None) for name, kept in received.items()
    ]
    await asyncio.wait_for(asyncio.gather(host.run(), *seats), timeout=60)
    session.close()

    events = read_journal(session.folder / "journal.jsonl").events
    answers = [e for e in events if e["type"] == "answer_recorded"]
    assert engine.finished and answers
    assert all(e["roles"] in (["msp-service-manager"], ["soc-lead"], ["soc-senior"], []) for e in answers)
    ballots = [e for e in events if e["type"] == "ballot_cast"]
    assert len(ballots) == 4 * len(answers)
    assert [(e["name"], e["roles"]) for e in events if e["type"] == "participant_joined"] == [
        (NEWCOMER, ["client-dpo"])
    ]
    assert any(e["type"] == "note_added" and e["text"] == NOTE for e in events)

    fired = {e["consequence"] for e in events if e["type"] == "consequence_fired"}
    unfired_texts = [
        engine.render(c.inject) for cid, c in engine.scenario.consequences.items() if cid not in fired and c.inject
    ]
    assert unfired_texts, "the scenario should leave some consequences unfired for this check to mean anything"
    discussion = [engine.render(q) for step in engine.scenario.steps for q in step.discussion]
    reasons = [a.why for a in engine.authority_map.assignments.values() if a.why]
    responsibilities = {d.responsibility for d in engine.scenario.decisions}

    for name, messages in received.items():
        assert messages[-1]["phase"] == "ended"
        others = [n for n in received if n != name]
        for message in messages:
            assert keys_of(message) <= ALLOWED_KEYS, keys_of(message) - ALLOWED_KEYS
            text = json.dumps(message, ensure_ascii=False)
            assert NOTE not in text
            for secret_text in [*unfired_texts, *discussion, *reasons]:
                assert secret_text not in text
            assert not any(f'"{r}"' in text for r in responsibilities)
            if message["type"] == "state" and message["reveal"] is None:
                before_reveal = json.dumps({k: v for k, v in message.items() if k != "last_round"})
                assert not any(other in before_reveal for other in others), "another seat's ballot before the reveal"
        # Each seat numbered the questions as the facilitator's screen does: 1, 2, 3 … of the script's decisions.
        asked = [(m["question"]["decision"], m["question"]["attempt"], m["question"]["index"], m["question"]["of"])
                 for m in messages if m["type"] == "state" and m["question"]]  # fmt: skip
        numbered = [(number, of) for _, _, number, of in dict.fromkeys(asked)]
        assert numbered == [(n, len(engine.scenario.decisions)) for n in range(1, len(answers) + 1)]
        # Each seat saw every round revealed with everyone's ballots and the team answer.
        rounds = {(m["last_round"]["decision"]) for m in messages if m["type"] == "state" and m["last_round"]}
        assert len(rounds) == len({a["decision"] for a in answers})
