"""Ballot acknowledgements over a real WebSocket: one fsync for the ballots that arrive together, no ack before it.

The fsync is replaced by `Fsyncs` (tests/fsync_support.py), which counts the
calls and holds those of the worker thread until the test lets them go, so a
test can look at the room while a group of ballots waits for its fsync.
"""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from simulator.journal import read_journal
from simulator.seats.hosting import HostedSession, host_resumed
from simulator.seats.server import SeatServer
from simulator.seats.views import seat_state
from simulator.sessions import load_session
from tests.fsync_support import Fsyncs
from tests.seats_support import hosted, receive_until, seat

ROLES = ["msp-service-manager", "msp-duty-engineer", "soc-analyst", "soc-lead", "client-it-lead", "vendor-support"]
NAMES = [f"Seat {n:02d}" for n in range(1, 13)]
TWELVE = {"participants": [{"name": name, "roles": [ROLES[n % len(ROLES)]]} for n, name in enumerate(NAMES)]}


@pytest.fixture
def session(tmp_path: Path) -> HostedSession:
    hosted_session = hosted(tmp_path, roster=TWELVE)
    hosted_session.room.engine.start()
    return hosted_session


@pytest.fixture
def server(session: HostedSession) -> SeatServer:
    seat_server = SeatServer(session.room)
    seat_server.record_sent = True
    return seat_server


@pytest.fixture
async def client(session: HostedSession, server: SeatServer, aiohttp_client: Any) -> AsyncIterator[TestClient]:
    yield await aiohttp_client(server.app())
    session.close()


@pytest.fixture
def fsyncs(session: HostedSession, monkeypatch: pytest.MonkeyPatch) -> Fsyncs:
    """Every fsync from here on is counted; the worker thread's are held until the test allows them."""
    held = Fsyncs(session.folder / "journal.jsonl", gated=True)
    monkeypatch.setattr(os, "fsync", held)
    return held


@pytest.fixture
def acks_at(session: HostedSession, server: SeatServer, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(participant, journal lines synced) at the moment each ack is sent."""
    sent: list[tuple[str, int]] = []
    send = server._send
    journal = session.room.engine.journal
    assert journal is not None

    async def recording(connection: Any, payload: dict[str, Any]) -> None:
        if payload["type"] == "ack":
            sent.append((connection.seat.name, journal.lines_synced))
        await send(connection, payload)

    monkeypatch.setattr(server, "_send", recording)
    return sent


def ballot_message(session: HostedSession, roles: list[str]) -> dict[str, Any]:
    pending = session.room.engine.pending_decision
    assert pending is not None
    return {"v": 1, "type": "ballot", "decision": pending.decision.id, "attempt": pending.attempt, "roles": roles}


async def until(condition: Callable[[], bool], what: str) -> None:
    """Let the server run until `condition` holds (bounded: a stuck server fails the test)."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def ballot_lines(session: HostedSession) -> dict[tuple[str, tuple[str, ...]], int]:
    """Journal line of each (participant, roles) ballot on disk; the header is line 1."""
    events = read_journal(session.folder / "journal.jsonl").events
    return {
        (e["participant"], tuple(e["roles"])): number
        for number, e in enumerate(events, start=2)
        if e["type"] == "ballot_cast"
    }


def sent_acks(server: SeatServer) -> list[dict[str, Any]]:
    return [payload for _, payload in server.sent if payload["type"] == "ack"]


async def test_twelve_seats_voting_at_once_share_two_fsyncs_and_every_ack_follows_its_fsync(
    session: HostedSession,
    server: SeatServer,
    client: TestClient,
    acks_at: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = session.room.registry.room_code
    sockets = [(await seat(client, name, code))[0] for name in NAMES]
    fsyncs = Fsyncs(session.folder / "journal.jsonl", gated=True)
    monkeypatch.setattr(os, "fsync", fsyncs)
    picks = {name: [ROLES[(n * 5) % len(ROLES)]] for n, name in enumerate(NAMES)}
    await sockets[0].send_json(ballot_message(session, picks[NAMES[0]]))
    await fsyncs.held()  # the first ballot's fsync has begun, and is held
    for name, socket in zip(NAMES[1:], sockets[1:], strict=True):
        await socket.send_json(ballot_message(session, picks[name]))
    # Meanwhile every other ballot is written (and only written).
    await until(lambda: len(session.room.engine.ballots) == len(NAMES), "all twelve ballots written")
    journal = session.room.engine.journal
    assert journal is not None
    assert journal.lines_synced < journal.lines_written
    assert sent_acks(server) == []  # no seat heard "saved" while its line waits for an fsync
    fsyncs.open_gate()
    acks = [await receive_until(socket, "ack") for socket in sockets]
    assert [ack["roles"] for ack in acks] == [picks[name] for name in NAMES]
    # The held fsync covered the first ballot, written before it began; one more covered the eleven others.
    assert fsyncs.count == 2 and fsyncs.in_worker == [True, True]
    on_disk = ballot_lines(session)
    assert set(on_disk) == {(name, tuple(picks[name])) for name in NAMES}
    for name, synced in acks_at:
        assert on_disk[(name, tuple(picks[name]))] <= synced, f"{name}'s ack was sent before its line was fsynced"
    assert len(acks_at) == len(NAMES)


async def test_a_ballot_changed_twice_in_one_group_keeps_the_later_one_in_memory_and_on_disk(
    session: HostedSession, server: SeatServer, client: TestClient, fsyncs: Fsyncs
) -> None:
    code = session.room.registry.room_code
    first, welcome = await seat(client, NAMES[0], code)
    second = await client.ws_connect("/ws")  # the same seat from a second device
    await second.send_json({"v": 1, "type": "join", "room": code, "seat": welcome["seat"], "secret": welcome["secret"]})
    await receive_until(second, "welcome")
    await first.send_json(ballot_message(session, ["soc-lead"]))
    await until(lambda: session.room.engine.ballots.get(NAMES[0]) == ("soc-lead",), "the first ballot written")
    await second.send_json(ballot_message(session, ["soc-analyst"]))
    await until(lambda: session.room.engine.ballots.get(NAMES[0]) == ("soc-analyst",), "the second ballot written")
    assert sent_acks(server) == []
    fsyncs.open_gate()
    assert (await receive_until(first, "ack"))["roles"] == ["soc-lead"]
    assert (await receive_until(second, "ack"))["roles"] == ["soc-analyst"]
    events = read_journal(session.folder / "journal.jsonl").events
    assert [e["roles"] for e in events if e["type"] == "ballot_cast"] == [["soc-lead"], ["soc-analyst"]]
    session.close()
    resumed = host_resumed(load_session(session.folder))
    try:
        assert resumed.room.engine.ballots == {NAMES[0]: ("soc-analyst",)}  # the replay ends as the room did
    finally:
        resumed.close()


async def test_a_team_answer_recorded_while_a_ballot_waits_for_its_fsync_covers_it(
    session: HostedSession, server: SeatServer, client: TestClient, fsyncs: Fsyncs
) -> None:
    socket, _ = await seat(client, NAMES[0], session.room.registry.room_code)
    message = ballot_message(session, ["soc-lead"])
    await socket.send_json(message)
    await until(lambda: NAMES[0] in session.room.engine.ballots, "the ballot written")
    await fsyncs.held()  # its fsync has begun, and is held
    session.room.reveal()
    session.room.record()  # the majority, on the event loop: this group's own fsync is not held
    journal = session.room.engine.journal
    assert journal is not None and journal.lines_synced == journal.lines_written
    fsyncs.open_gate()
    ack = await receive_until(socket, "ack")
    assert (ack["decision"], ack["roles"]) == (message["decision"], ["soc-lead"])
    on_disk = read_journal(session.folder / "journal.jsonl").events
    assert [e["type"] for e in on_disk] == [e["type"] for e in session.room.engine.events]
    kinds = [e["type"] for e in on_disk]
    assert kinds.index("ballot_cast") < kinds.index("answer_recorded")
    [answer] = [e for e in on_disk if e["type"] == "answer_recorded"]
    assert (answer["roles"], answer["ballots"]) == (["soc-lead"], {NAMES[0]: ["soc-lead"]})


async def test_a_pause_and_a_removal_during_the_fsync_keep_the_ballots_written_before_them(
    session: HostedSession, server: SeatServer, client: TestClient, fsyncs: Fsyncs
) -> None:
    code = session.room.registry.room_code
    kept, _ = await seat(client, NAMES[0], code)
    removed, _ = await seat(client, NAMES[1], code)
    await kept.send_json(ballot_message(session, ["soc-lead"]))
    await removed.send_json(ballot_message(session, ["vendor-support"]))
    await until(lambda: len(session.room.engine.ballots) == 2, "both ballots written")
    session.room.pause(True)
    session.room.remove("s2")
    await kept.send_json(ballot_message(session, ["soc-analyst"]))  # read only once the first one is acked
    fsyncs.open_gate()
    assert (await receive_until(kept, "ack"))["roles"] == ["soc-lead"]  # cast before the pause: it stands
    assert (await receive_until(kept, "error"))["code"] == "paused"  # cast during it: refused, not written
    assert (await receive_until(removed, "error"))["code"] == "removed"
    while (frame := await removed.receive(timeout=5)).type != WSMsgType.CLOSE:
        assert frame.json()["type"] in ("ack", "state")
    assert frame.data == 4001
    assert session.room.engine.ballots == {NAMES[0]: ("soc-lead",), NAMES[1]: ("vendor-support",)}
    assert set(ballot_lines(session)) == {(NAMES[0], ("soc-lead",)), (NAMES[1], ("vendor-support",))}


async def test_a_ballot_whose_fsync_fails_is_refused_not_acknowledged(
    session: HostedSession, server: SeatServer, client: TestClient, fsyncs: Fsyncs
) -> None:
    socket, _ = await seat(client, NAMES[0], session.room.registry.room_code)
    heard: list[str] = []
    session.room.on_trouble(heard.append)  # the facilitator's screen listens here
    fsyncs.failure = OSError(errno.EIO, "Input/output error")
    fsyncs.open_gate()
    await socket.send_json(ballot_message(session, ["soc-lead"]))
    error = await receive_until(socket, "error")
    assert error["code"] == "not_saved" and "tell the facilitator" in error["message"]
    assert sent_acks(server) == []
    assert len(heard) == 1 and heard[0].startswith(f"{NAMES[0]}'s ballot was not saved: ")
    assert "Input/output error" in heard[0]


async def test_a_broadcast_state_is_the_seat_state_with_its_shared_part_encoded_once(
    session: HostedSession, server: SeatServer, client: TestClient
) -> None:
    code = session.room.registry.room_code
    first, _ = await seat(client, NAMES[0], code)
    await seat(client, NAMES[1], code)
    await first.send_json(ballot_message(session, ["soc-lead"]))
    await receive_until(first, "ack")
    server.sent.clear()
    await server.broadcast()
    by_seat = {seat_id: payload for seat_id, payload in server.sent if payload["type"] == "state"}
    registry = session.room.registry.seats
    assert by_seat == {seat_id: seat_state(session.room, registry[seat_id]) for seat_id in ("s1", "s2")}
    assert (by_seat["s1"]["your_ballot"], by_seat["s2"]["your_ballot"]) == (["soc-lead"], None)
    assert by_seat["s1"]["voted"] == by_seat["s2"]["voted"] == 1
