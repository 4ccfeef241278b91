"""Joining with roles picked from the map: someone not in the roster takes a seat, journaled as `participant_joined`."""

from __future__ import annotations

import errno
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from simulator.journal import Journal, JournalWriteError, read_journal
from simulator.reporting.files import session_report
from simulator.seats.hosting import HostedSession, host_resumed
from simulator.seats.registry import SeatRegistry
from simulator.seats.server import SeatServer
from simulator.sessions import load_session
from tests.seats_support import hosted, receive_until

MSP_ROLE_COUNT = 11  # roles/msp.yaml
SEVEN_ROLES = [
    "soc-lead",
    "soc-senior",
    "soc-analyst",
    "vendor-support",
    "client-dpo",
    "client-it-admin",
    "client-executive",
]


@pytest.fixture
def session(tmp_path: Path) -> HostedSession:
    return hosted(tmp_path)  # still in the briefing: people join before the facilitator starts


@pytest.fixture
async def client(session: HostedSession, aiohttp_client: Any) -> AsyncIterator[TestClient]:
    server = SeatServer(session.room)
    yield await aiohttp_client(server.app())
    session.close()


def joined_events(session: HostedSession) -> list[dict[str, Any]]:
    events = read_journal(session.folder / "journal.jsonl").events
    return [{"name": e["name"], "roles": e["roles"]} for e in events if e["type"] == "participant_joined"]


def journal_lines(session: HostedSession) -> int:
    return len(read_journal(session.folder / "journal.jsonl").events)


async def join(client: TestClient, room: str, name: str, roles: list[str] | None = None) -> tuple[Any, dict[str, Any]]:
    """Send a join; the reply is the welcome or the error."""
    socket = await client.ws_connect("/ws")
    message: dict[str, Any] = {"v": 1, "type": "join", "room": room, "name": name}
    if roles is not None:
        message["roles"] = roles
    await socket.send_json(message)
    reply: dict[str, Any] = await socket.receive_json(timeout=5)
    return socket, reply


async def test_a_name_not_in_the_roster_is_offered_the_maps_roles_and_nothing_secret(
    session: HostedSession, client: TestClient
) -> None:
    _, reply = await join(client, session.room.registry.room_code, "Nell Ortiz")
    assert reply["type"] == "error" and reply["code"] == "unknown_name"
    assert "pick the roles you hold" in reply["message"]
    assert len(reply["roles"]) == MSP_ROLE_COUNT
    first = {"id": "msp-service-manager", "name": "MSP service delivery manager", "party": "MSP operations"}
    assert reply["roles"][0] == first
    assert all(set(role) == {"id", "name", "party"} for role in reply["roles"])  # no holders, no duties
    assert reply["max_roles"] == 6
    assert joined_events(session) == []


async def test_a_wrong_room_code_is_not_offered_the_roles(session: HostedSession, client: TestClient) -> None:
    _, reply = await join(client, "AAAA-2222", "Nell Ortiz")
    assert reply["code"] == "wrong_room"
    assert "roles" not in reply


async def test_joining_with_roles_from_the_map_is_journaled_then_welcomed(
    session: HostedSession, client: TestClient
) -> None:
    code = session.room.registry.room_code
    socket, welcome = await join(client, code, "Nell Ortiz", ["soc-senior", "vendor-support"])
    assert welcome["type"] == "welcome"
    assert welcome["name"] == "Nell Ortiz"
    assert welcome["seat"] == "s4"  # after the roster's three
    assert joined_events(session) == [{"name": "Nell Ortiz", "roles": ["soc-senior", "vendor-support"]}]
    state = await receive_until(socket, "state")
    assert [r["id"] for r in state["seat"]["roles"]] == ["soc-senior", "vendor-support"]
    assert state["seat"]["roles"][0]["party"] == "Backend SOC"
    assert state["seated"] == 1
    assert [p.name for p in session.room.engine.roster.participants][-1] == "Nell Ortiz"


async def test_a_joined_participant_votes_and_is_in_the_report(session: HostedSession, client: TestClient) -> None:
    code = session.room.registry.room_code
    socket, _ = await join(client, code, "Nell Ortiz", ["soc-lead"])
    session.room.engine.start()
    state = await receive_until(socket, "state")
    while state["question"] is None:
        state = await receive_until(socket, "state")
    question = state["question"]
    await socket.send_json(
        {"v": 1, "type": "ballot", "decision": question["decision"], "attempt": question["attempt"], "roles": []}
    )
    assert (await receive_until(socket, "ack"))["roles"] == []
    session.room.record(())
    report = session_report(load_session(session.folder)).json
    assert {"name": "Nell Ortiz", "roles": ["soc-lead"]} in report["exercise"]["roster"]


@pytest.mark.parametrize(
    ("roles", "code", "words"),
    [
        (["soc-lead", "head-of-everything"], "unknown_role", "unknown role 'head-of-everything'"),
        ([], "no_roles", "pick at least one role"),
        (SEVEN_ROLES, "too_many_roles", "7 roles picked; one participant holds at most 6"),
        (["soc-lead"], "name_taken", "'Ivo Brannigan' is already a participant"),
    ],
)
async def test_a_bad_pick_is_refused_clearly_nothing_is_journaled_and_the_connection_stays(
    session: HostedSession, client: TestClient, roles: list[str], code: str, words: str
) -> None:
    name = "ivo brannigan" if code == "name_taken" else "Nell Ortiz"
    before = journal_lines(session)
    socket, reply = await join(client, session.room.registry.room_code, name, roles)
    assert reply["type"] == "error" and reply["code"] == code
    assert words in reply["message"]
    assert journal_lines(session) == before
    assert not any(seat.name == "Nell Ortiz" for seat in session.room.registry.seats.values())
    await socket.send_json({"v": 1, "type": "join", "room": session.room.registry.room_code, "name": "Tamsin Okonkwo"})
    assert (await receive_until(socket, "welcome"))["name"] == "Tamsin Okonkwo"


async def test_a_roster_name_picking_its_own_roles_takes_its_seat(session: HostedSession, client: TestClient) -> None:
    _, welcome = await join(client, session.room.registry.room_code, "Ivo Brannigan", ["soc-lead", "soc-analyst"])
    assert welcome["type"] == "welcome" and welcome["seat"] == "s2"
    assert joined_events(session) == []


async def test_a_name_is_stripped_of_control_characters_and_a_second_join_by_it_is_the_same_person(
    session: HostedSession, client: TestClient
) -> None:
    code = session.room.registry.room_code
    _, welcome = await join(client, code, "Nell\u0007 \u001b[31mOrtiz", ["soc-lead"])
    assert welcome["name"] == "Nell [31mOrtiz"
    assert joined_events(session) == [{"name": "Nell [31mOrtiz", "roles": ["soc-lead"]}]
    _, again = await join(client, code, "NELL  [31mortiz", ["vendor-support"])
    assert again["code"] == "name_taken"
    _, taken = await join(client, code, "nell [31mortiz")
    assert taken["code"] == "seat_taken"
    assert len(joined_events(session)) == 1


async def test_nobody_joins_an_exercise_that_has_ended(session: HostedSession, client: TestClient) -> None:
    session.room.engine.start()
    session.room.engine.end()
    before = journal_lines(session)
    _, reply = await join(client, session.room.registry.room_code, "Nell Ortiz", ["soc-lead"])
    assert reply["code"] == "ended"
    _, asked = await join(client, session.room.registry.room_code, "Nell Ortiz")
    assert asked["code"] == "ended" and "roles" not in asked  # nothing to pick from
    assert journal_lines(session) == before


async def test_a_resumed_host_keeps_the_joined_seat_its_roles_and_secret(
    session: HostedSession, client: TestClient
) -> None:
    code = session.room.registry.room_code
    _, welcome = await join(client, code, "Nell Ortiz", ["client-dpo"])
    session.close()  # the host is killed
    resumed = host_resumed(load_session(session.folder))
    try:
        seat = resumed.room.registry.check(welcome["seat"], welcome["secret"])
        assert seat is not None and seat.name == "Nell Ortiz" and seat.roles == ("client-dpo",)
        assert resumed.room.engine.roster.holders("client-dpo") == ["Nell Ortiz"]
        types = [event["type"] for event in resumed.room.engine.events]
        assert types[:2] == ["participant_joined", "stage_entered"]  # joined in the briefing, before the start
    finally:
        resumed.close()


async def test_a_join_journaled_but_not_saved_in_seats_json_is_a_free_seat_after_resume(
    session: HostedSession,
) -> None:
    seats_before = (session.folder / "seats.json").read_bytes()
    session.room.join(session.room.registry.room_code, "Nell Ortiz", ("soc-lead",))
    (session.folder / "seats.json").write_bytes(seats_before)  # the host stopped before saving the seat
    session.close()
    resumed = host_resumed(load_session(session.folder))
    try:
        seat = resumed.room.registry.by_name("Nell Ortiz")
        assert seat is not None and not seat.taken and seat.roles == ("soc-lead",)
        taken, secret = resumed.room.join(resumed.room.registry.room_code, "Nell Ortiz")
        assert taken is seat and secret
    finally:
        resumed.close()


NOT_SAVED = ("not_saved", "the host could not save your seat (its disk refused); tell the facilitator")


async def test_a_seat_that_cannot_be_saved_is_refused_and_stays_free(
    session: HostedSession, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(_registry: SeatRegistry) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    code = session.room.registry.room_code
    monkeypatch.setattr(SeatRegistry, "save", full_disk)
    socket, reply = await join(client, code, "Ivo Brannigan")
    assert (reply["code"], reply["message"]) == NOT_SAVED
    ivo = session.room.registry.by_name("Ivo Brannigan")
    assert ivo is not None and not ivo.taken  # no secret kept that nobody was given
    monkeypatch.undo()
    await socket.send_json({"v": 1, "type": "join", "room": code, "name": "Ivo Brannigan"})  # the same connection
    assert (await receive_until(socket, "welcome"))["seat"] == ivo.id


async def test_a_newcomer_whose_joining_cannot_be_journaled_is_refused_not_dropped(
    session: HostedSession, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(journal: Journal, _event: object) -> None:
        raise JournalWriteError(f"cannot write to journal {journal.path}: No space left on device")

    monkeypatch.setattr(Journal, "append", full_disk)
    _, reply = await join(client, session.room.registry.room_code, "Nell Ortiz", ["soc-senior"])
    assert (reply["code"], reply["message"]) == NOT_SAVED
    assert session.room.registry.by_name("Nell Ortiz") is None  # no seat for someone the journal lacks
