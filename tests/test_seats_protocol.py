"""The seat protocol over a real WebSocket (aiohttp's test client): joins, ballots, reveal, limits, refusals."""

from __future__ import annotations

import errno
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from simulator.journal import read_journal
from simulator.seats.hosting import HostedSession, host_resumed
from simulator.seats.protocol import ProtocolError
from simulator.seats.server import SeatServer
from simulator.sessions import load_session
from tests.seats_support import ROSTER, hosted, receive_until, seat


@pytest.fixture
def session(tmp_path: Path) -> HostedSession:
    hosted_session = hosted(tmp_path)
    hosted_session.room.engine.start()
    return hosted_session


@pytest.fixture
async def client(session: HostedSession, aiohttp_client: Any) -> AsyncIterator[TestClient]:
    server = SeatServer(session.room)
    yield await aiohttp_client(server.app())
    session.close()


def journal_types(session: HostedSession) -> list[str]:
    return [e["type"] for e in read_journal(session.folder / "journal.jsonl").events]


def ballots_in_journal(session: HostedSession) -> list[tuple[str, list[str]]]:
    events = read_journal(session.folder / "journal.jsonl").events
    return [(e["participant"], e["roles"]) for e in events if e["type"] == "ballot_cast"]


async def test_join_gives_a_seat_secret_and_the_room_state(session: HostedSession, client: TestClient) -> None:
    socket, welcome = await seat(client, "zora quillfeather", session.room.registry.room_code)
    assert welcome["v"] == 1
    assert welcome["seat"] == "s1"
    assert welcome["name"] == "Zora Quillfeather"
    assert len(welcome["secret"]) >= 30
    state = await receive_until(socket, "state")
    assert [r["id"] for r in state["seat"]["roles"]] == ["msp-service-manager", "msp-duty-engineer"]
    assert state["phase"] == "open"
    assert state["question"]["decision"] == session.room.engine.pending_decision.decision.id  # type: ignore[union-attr]
    assert state["your_ballot"] is None
    assert state["story"][0]["kind"] == "step"


async def test_wrong_room_code_is_refused_and_closed(session: HostedSession, client: TestClient) -> None:
    socket = await client.ws_connect("/ws")
    await socket.send_json({"v": 1, "type": "join", "room": "AAAA-2222", "name": "Ivo Brannigan"})
    error = await socket.receive_json(timeout=5)
    assert error["type"] == "error" and error["code"] == "wrong_room"
    closing = await socket.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE and closing.data == 4003
    assert not session.room.registry.seats["s2"].taken


async def test_unknown_name_is_refused_but_the_connection_stays(session: HostedSession, client: TestClient) -> None:
    code = session.room.registry.room_code
    socket = await client.ws_connect("/ws")
    await socket.send_json({"v": 1, "type": "join", "room": code, "name": "Mallory"})
    error = await socket.receive_json(timeout=5)
    assert error["code"] == "unknown_name"
    await socket.send_json({"v": 1, "type": "join", "room": code.lower().replace("-", ""), "name": "Ivo Brannigan"})
    welcome = await receive_until(socket, "welcome")
    assert welcome["seat"] == "s2"


ROSTER_ONLY = (
    "'Mallory' is not in this exercise's roster, and the facilitator seats only the people in it;"
    " join with your name as the facilitator has it, or ask them to add you"
)


async def test_a_roster_only_room_refuses_newcomers_journals_nothing_and_keeps_it_on_resume(
    tmp_path: Path, aiohttp_client: Any
) -> None:
    closed = hosted(tmp_path, roster_only=True)
    closed.room.engine.start()
    client = await aiohttp_client(SeatServer(closed.room).app())
    code = closed.room.registry.room_code
    socket = await client.ws_connect("/ws")
    for join in ({"name": "Mallory"}, {"name": "Mallory", "roles": ["soc-lead"]}):
        await socket.send_json({"v": 1, "type": "join", "room": code, **join})
        error = await socket.receive_json(timeout=5)
        assert (error["code"], error["message"]) == ("roster_only", ROSTER_ONLY)
        assert "roles" not in error  # nothing to pick from: the map's roles are not offered
    await socket.send_json({"v": 1, "type": "join", "room": code, "name": "Ivo Brannigan"})  # the same connection
    assert (await receive_until(socket, "welcome"))["seat"] == "s2"
    assert "participant_joined" not in journal_types(closed)
    assert [s.name for s in closed.room.registry.seats.values()] == [p["name"] for p in ROSTER["participants"]]
    closed.close()
    resumed = host_resumed(load_session(closed.folder))
    try:
        assert resumed.room.registry.roster_only
        with pytest.raises(ProtocolError) as refused:
            resumed.room.join(code, "Mallory", ("soc-lead",))
        assert refused.value.code == "roster_only"
    finally:
        resumed.close()


async def test_an_open_room_remembers_it_is_open_on_resume(session: HostedSession) -> None:
    session.close()
    resumed = host_resumed(load_session(session.folder))
    try:
        assert not resumed.room.registry.roster_only
        assert resumed.room.join(resumed.room.registry.room_code, "Mallory", ("soc-lead",))[0].name == "Mallory"
    finally:
        resumed.close()


async def test_a_taken_seat_cannot_be_taken_again(session: HostedSession, client: TestClient) -> None:
    code = session.room.registry.room_code
    await seat(client, "Ivo Brannigan", code)
    other = await client.ws_connect("/ws")
    await other.send_json({"v": 1, "type": "join", "room": code, "name": "Ivo Brannigan"})
    error = await receive_until(other, "error")
    assert error["code"] == "seat_taken"


async def test_wrong_seat_secret_is_refused_and_closed(session: HostedSession, client: TestClient) -> None:
    code = session.room.registry.room_code
    await seat(client, "Ivo Brannigan", code)
    thief = await client.ws_connect("/ws")
    await thief.send_json({"v": 1, "type": "join", "room": code, "seat": "s2", "secret": "guessed-secret"})
    error = await thief.receive_json(timeout=5)
    assert error["code"] == "wrong_secret"
    assert (await thief.receive(timeout=5)).type == WSMsgType.CLOSE


async def ballot(socket: Any, state: dict[str, Any], roles: list[str]) -> dict[str, Any]:
    question = state["question"]
    await socket.send_json(
        {"v": 1, "type": "ballot", "decision": question["decision"], "attempt": question["attempt"], "roles": roles}
    )
    return await receive_until(socket, "ack")


async def test_ballot_is_journaled_then_acknowledged_and_can_be_changed(
    session: HostedSession, client: TestClient
) -> None:
    socket, _ = await seat(client, "Ivo Brannigan", session.room.registry.room_code)
    state = await receive_until(socket, "state")
    ack = await ballot(socket, state, ["soc-analyst"])
    assert ack["roles"] == ["soc-analyst"]
    # Acknowledged means on disk: the journal file already holds it.
    assert ballots_in_journal(session) == [("Ivo Brannigan", ["soc-analyst"])]
    ack = await ballot(socket, state, ["soc-lead", "msp-duty-engineer"])
    assert ack["roles"] == ["soc-lead", "msp-duty-engineer"]
    assert ballots_in_journal(session)[-1] == ("Ivo Brannigan", ["soc-lead", "msp-duty-engineer"])
    later = await receive_until(socket, "state")
    assert later["your_ballot"] in (["soc-analyst"], ["soc-lead", "msp-duty-engineer"])
    assert session.room.engine.ballots == {"Ivo Brannigan": ("soc-lead", "msp-duty-engineer")}


async def test_other_ballots_are_hidden_until_the_reveal(session: HostedSession, client: TestClient) -> None:
    code = session.room.registry.room_code
    ivo, _ = await seat(client, "Ivo Brannigan", code)
    zora, _ = await seat(client, "Zora Quillfeather", code)
    state = await receive_until(ivo, "state")
    await ballot(ivo, state, ["soc-analyst"])
    seen_by_zora = await receive_until(zora, "state")
    while seen_by_zora["voted"] < 1:
        seen_by_zora = await receive_until(zora, "state")
    assert seen_by_zora["voted"] == 1
    assert seen_by_zora["reveal"] is None
    assert "Ivo Brannigan" not in json.dumps(seen_by_zora)
    await ballot(zora, seen_by_zora, [])
    session.room.reveal()
    revealed = await receive_until(zora, "state")
    while revealed["reveal"] is None:
        revealed = await receive_until(zora, "state")
    assert revealed["phase"] == "revealed"
    assert revealed["reveal"]["ballots"] == [
        {"name": "Ivo Brannigan", "roles": ["soc-analyst"]},
        {"name": "Zora Quillfeather", "roles": []},
    ]
    await zora.send_json(
        {
            "v": 1,
            "type": "ballot",
            "decision": revealed["question"]["decision"],
            "attempt": revealed["question"]["attempt"],
            "roles": ["soc-lead"],
        }
    )
    assert (await receive_until(zora, "error"))["code"] == "ballots_closed"
    assert ballots_in_journal(session) == [("Ivo Brannigan", ["soc-analyst"]), ("Zora Quillfeather", [])]


async def test_team_answer_reaches_the_seats_as_the_last_round(session: HostedSession, client: TestClient) -> None:
    socket, _ = await seat(client, "Tamsin Okonkwo", session.room.registry.room_code)
    state = await receive_until(socket, "state")
    first = state["question"]["decision"]
    await ballot(socket, state, ["client-it-lead"])
    session.room.reveal()
    session.room.record()  # the majority: the one ballot
    after = await receive_until(socket, "state")
    while after["last_round"] is None:
        after = await receive_until(socket, "state")
    assert after["last_round"]["decision"] == first
    assert after["last_round"]["team"] == ["client-it-lead"]
    assert after["last_round"]["ballots"] == [{"name": "Tamsin Okonkwo", "roles": ["client-it-lead"]}]
    assert after["your_ballot"] is None
    assert after["question"]["decision"] != first or after["question"]["attempt"] > 1


async def test_reconnect_with_the_secret_gets_state_and_own_ballot_back(
    session: HostedSession, client: TestClient
) -> None:
    code = session.room.registry.room_code
    socket, welcome = await seat(client, "Ivo Brannigan", code)
    state = await receive_until(socket, "state")
    await ballot(socket, state, ["soc-lead"])
    await socket.close()
    again = await client.ws_connect("/ws")
    await again.send_json({"v": 1, "type": "join", "room": code, "seat": welcome["seat"], "secret": welcome["secret"]})
    rejoined = await receive_until(again, "welcome")
    assert rejoined["seat"] == "s2" and "secret" not in rejoined
    restored = await receive_until(again, "state")
    assert restored["your_ballot"] == ["soc-lead"]


async def test_pause_reaches_the_seats_and_holds_ballots(session: HostedSession, client: TestClient) -> None:
    socket, _ = await seat(client, "Ivo Brannigan", session.room.registry.room_code)
    state = await receive_until(socket, "state")
    session.room.pause(True)
    paused = await receive_until(socket, "state")
    while not paused["paused"]:
        paused = await receive_until(socket, "state")
    await socket.send_json(
        {
            "v": 1,
            "type": "ballot",
            "decision": state["question"]["decision"],
            "attempt": state["question"]["attempt"],
            "roles": ["soc-lead"],
        }
    )
    assert (await receive_until(socket, "error"))["code"] == "paused"
    assert ballots_in_journal(session) == []
    session.room.pause(False)
    assert (await ballot(socket, state, ["soc-lead"]))["roles"] == ["soc-lead"]


async def test_removed_seat_is_told_closed_and_its_secret_stops_working(
    session: HostedSession, client: TestClient
) -> None:
    code = session.room.registry.room_code
    socket, welcome = await seat(client, "Ivo Brannigan", code)
    session.room.remove("s2")
    removed = await receive_until(socket, "error")
    assert removed["code"] == "removed"
    closing = await socket.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE and closing.data == 4001
    again = await client.ws_connect("/ws")
    await again.send_json({"v": 1, "type": "join", "room": code, "seat": "s2", "secret": welcome["secret"]})
    assert (await again.receive_json(timeout=5))["code"] == "wrong_secret"
    fresh = await client.ws_connect("/ws")
    await fresh.send_json({"v": 1, "type": "join", "room": code, "name": "Ivo Brannigan"})
    assert (await receive_until(fresh, "welcome"))["seat"] == "s2"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json at all", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"v": 2, "type": "ping"}', "unsupported_version"),
        ('{"v": 1, "type": "shout"}', "unknown_type"),
        ('{"v": 1, "type": "ballot", "decision": "x", "attempt": "one", "roles": []}', "malformed"),
        ('{"v": 1, "type": "ballot", "decision": "x", "attempt": 1, "roles": "soc-lead"}', "malformed"),
        ('{"v": 1, "type": "join", "room": ""}', "malformed"),
    ],
)
async def test_malformed_messages_get_a_clear_error_and_keep_the_connection(
    session: HostedSession, client: TestClient, raw: str, code: str
) -> None:
    socket, _ = await seat(client, "Ivo Brannigan", session.room.registry.room_code)
    before = journal_types(session)
    await socket.send_str(raw)
    error = await receive_until(socket, "error")
    assert error["code"] == code
    assert error["message"]
    await socket.send_json({"v": 1, "type": "ping"})
    assert (await receive_until(socket, "pong"))["type"] == "pong"
    assert journal_types(session) == before


async def test_a_ballot_for_an_unknown_role_or_old_question_is_refused(
    session: HostedSession, client: TestClient
) -> None:
    socket, _ = await seat(client, "Ivo Brannigan", session.room.registry.room_code)
    state = await receive_until(socket, "state")
    question = state["question"]
    await socket.send_json({"v": 1, "type": "ballot", "decision": question["decision"], "attempt": 1, "roles": ["ceo"]})
    assert (await receive_until(socket, "error"))["code"] == "unknown_role"
    await socket.send_json({"v": 1, "type": "ballot", "decision": "long-gone", "attempt": 1, "roles": []})
    assert (await receive_until(socket, "error"))["code"] == "stale_question"
    assert ballots_in_journal(session) == []


async def test_messages_before_joining_are_refused(session: HostedSession, client: TestClient) -> None:
    socket = await client.ws_connect("/ws")
    await socket.send_json({"v": 1, "type": "ballot", "decision": "x", "attempt": 1, "roles": []})
    assert (await socket.receive_json(timeout=5))["code"] == "not_joined"


async def test_oversized_message_is_refused_and_a_huge_one_closes(session: HostedSession, client: TestClient) -> None:
    socket, _ = await seat(client, "Ivo Brannigan", session.room.registry.room_code)
    before = journal_types(session)
    await socket.send_str(json.dumps({"v": 1, "type": "ping", "pad": "x" * 20_000}))
    error = await receive_until(socket, "error")
    assert error["code"] == "too_large"
    assert "16384" in error["message"]
    await socket.send_json({"v": 1, "type": "ping"})
    assert (await receive_until(socket, "pong"))["type"] == "pong"
    await socket.send_str("x" * 70_000)
    for _ in range(10):
        closing = await socket.receive(timeout=5)
        if closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            break
    assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
    assert journal_types(session) == before


async def test_more_than_ten_messages_a_second_are_dropped(session: HostedSession, client: TestClient) -> None:
    socket, _ = await seat(client, "Ivo Brannigan", session.room.registry.room_code)
    for _ in range(30):
        await socket.send_json({"v": 1, "type": "ping"})
    kinds = []
    for _ in range(60):
        received = await socket.receive_json(timeout=5)
        kinds.append(received.get("code", received["type"]))
        if kinds.count("pong") + kinds.count("rate_limited") == 30:
            break
    assert "rate_limited" in kinds
    assert kinds.count("pong") < 30


async def test_the_room_refuses_connections_beyond_its_maximum(session: HostedSession, aiohttp_client: Any) -> None:
    client = await aiohttp_client(SeatServer(session.room, max_seats=2).app())
    await client.ws_connect("/ws")
    await client.ws_connect("/ws")
    third = await client.ws_connect("/ws")
    error = await third.receive_json(timeout=5)
    assert error["code"] == "room_full"
    assert (await third.receive(timeout=5)).data == 1013


async def test_a_foreign_origin_is_refused(client: TestClient) -> None:
    response = await client.get("/ws", headers={"Origin": "https://evil.example", "Upgrade": "websocket"})
    assert response.status == 403


async def test_the_page_is_served_with_a_strict_content_security_policy(client: TestClient) -> None:
    response = await client.get("/")
    assert response.status == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_resumed_host_keeps_the_room_code_and_every_acknowledged_ballot(
    session: HostedSession, client: TestClient
) -> None:
    code = session.room.registry.room_code
    socket, welcome = await seat(client, "Ivo Brannigan", code)
    state = await receive_until(socket, "state")
    await ballot(socket, state, ["soc-lead"])
    session.close()  # the host goes away mid-vote
    resumed = host_resumed(load_session(session.folder))
    try:
        assert resumed.room.registry.room_code == code
        assert resumed.room.engine.ballots == {"Ivo Brannigan": ("soc-lead",)}
        assert resumed.room.registry.check("s2", welcome["secret"]) is not None
    finally:
        resumed.close()


def test_closing_the_room_when_seats_json_cannot_be_written_leaves_it_open_and_says_why(
    session: HostedSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[str] = []
    session.room.on_trouble(heard.append)
    saved = json.loads((session.folder / "seats.json").read_text(encoding="utf-8"))

    def full_disk(_path: Path, _text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("simulator.seats.registry.write_atomically", full_disk)
    session.room.seat_only_the_roster(True)
    assert not session.room.registry.roster_only  # as it was: what is on disk and what the room does agree
    assert heard == ["the room could not be closed to newcomers: [Errno 28] No space left on device"]
    monkeypatch.undo()
    assert json.loads((session.folder / "seats.json").read_text(encoding="utf-8")) == saved
    session.room.seat_only_the_roster(True)
    assert json.loads((session.folder / "seats.json").read_text(encoding="utf-8"))["roster_only"] is True
    session.close()
