"""`ttx join`: a terminal participant seated next to a protocol one, with the headless host."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from simulator.journal import read_journal
from simulator.seats.client import AddressError, parse_address
from simulator.seats.headless import HeadlessHost
from simulator.seats.hosting import HostedSession
from simulator.seats.registry import shown_code
from simulator.seats.server import SeatServer
from simulator.tui.join import JoinApp
from simulator.tui.widgets.role_picker import RolePicker
from tests.seats_support import hosted

PAIR = {
    "participants": [
        {"name": "Zora Quillfeather", "roles": ["msp-service-manager"]},
        {"name": "Ivo Brannigan", "roles": ["soc-analyst"]},
    ]
}


def test_the_join_link_gives_the_websocket_and_the_room() -> None:
    address = parse_address("http://10.0.0.5:8765/#room=k7qx-m2pa")
    assert (address.websocket, address.room) == ("ws://10.0.0.5:8765/ws", "K7QXM2PA")
    assert parse_address("https://ttx.example.org/#room=AB").websocket == "wss://ttx.example.org/ws"
    assert parse_address("127.0.0.1:9000", room="ZZZZ-2222").room == "ZZZZ2222"
    with pytest.raises(AddressError, match="no room code"):
        parse_address("127.0.0.1:9000")


def test_a_room_code_is_shown_as_the_host_shows_it() -> None:
    """Typed as `k7qx m2pa` or taken from a link, the code reads back as the projector shows it."""
    assert shown_code(parse_address("127.0.0.1:9000", room="k7qx m2pa").room) == "K7QX-M2PA"
    assert shown_code("K7QXM2PA") == "K7QX-M2PA"
    assert shown_code("AB") == "AB"  # not a code ttx makes: shown as typed, upper case


@asynccontextmanager
async def served(
    tmp_path: Path, *, roster_only: bool = False, headless: bool = False
) -> AsyncIterator[tuple[HostedSession, TestServer]]:
    """A hosted session for PAIR served on a free loopback port; closed (server, then session) on the way out."""
    session = hosted(tmp_path / "work", roster=PAIR, roster_only=roster_only)
    if headless:
        HeadlessHost(session.room)
    server = TestServer(SeatServer(session.room).app(), host="127.0.0.1")
    await server.start_server()
    try:
        yield session, server
    finally:
        await server.close()
        session.close()


def join_app(server: TestServer, session: HostedSession, name: str, tmp_path: Path) -> JoinApp:
    link = f"http://127.0.0.1:{server.port}/#room={session.room.registry.room_code}"
    return JoinApp(parse_address(link), name, state_folder=tmp_path / "state")


async def wait_for(condition: Any, pilot: Any) -> None:
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never came true")


async def test_a_terminal_seat_votes_next_to_a_protocol_seat(tmp_path: Path) -> None:
    async with served(tmp_path, headless=True) as (session, server):
        room = session.room
        app = join_app(server, session, "Ivo Brannigan", tmp_path)
        async with app.run_test(size=(100, 32)) as pilot, aiohttp.ClientSession() as http:
            await wait_for(lambda: app.state is not None, pilot)
            zora = await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws")
            await zora.send_json({"v": 1, "type": "join", "room": room.registry.room_code, "name": "Zora Quillfeather"})
            await wait_for(lambda: app.state is not None and app.state["question"] is not None, pilot)
            first = room.engine.pending_decision
            assert first is not None
            assert first.ask in str(app.query_one("#join-ask").render())
            await pilot.press("4", "enter")  # the fourth role of the map: SOC analyst (L1)
            await wait_for(lambda: room.engine.ballots.get("Ivo Brannigan") == ("soc-analyst",), pilot)
            await wait_for(lambda: "Your ballot is recorded" in str(app.query_one("#join-status").render()), pilot)
            await zora.send_json(
                {"v": 1, "type": "ballot", "decision": first.decision.id, "attempt": 1, "roles": ["soc-analyst"]}
            )
            await wait_for(lambda: bool(app.state and app.state["last_round"]), pilot)
            shown = str(app.query_one("#join-round").render())
            assert "Team answer: SOC analyst (L1)" in shown
            assert "Zora Quillfeather: SOC analyst (L1)" in shown
            # A late ack for the first question (its fsync was slow) says nothing over the next one.
            await wait_for(lambda: bool(app.state and app.state["question"]), pilot)
            second = app.state["question"]
            assert second["decision"] != first.decision.id
            before = str(app.query_one("#join-status").render())
            app.receive({"type": "ack", "decision": first.decision.id, "attempt": 1, "roles": ["soc-analyst"]})
            assert str(app.query_one("#join-status").render()) == before
            app.receive({"type": "ack", "decision": second["decision"], "attempt": second["attempt"], "roles": []})
            assert "Your ballot is recorded" in str(app.query_one("#join-status").render())
            await zora.close()
            await asyncio.sleep(0)
    ballots = [
        (e["participant"], e["roles"])
        for e in read_journal(session.folder / "journal.jsonl").events
        if e["type"] == "ballot_cast"
    ]
    assert ballots == [("Ivo Brannigan", ["soc-analyst"]), ("Zora Quillfeather", ["soc-analyst"])]
    # The seat's secret is kept for the next `ttx join`, readable only by its owner.
    [kept] = list((tmp_path / "state").iterdir())
    assert kept.stat().st_mode & 0o777 == 0o600


async def test_a_terminal_participant_not_in_the_roster_picks_roles_and_joins(tmp_path: Path) -> None:
    async with served(tmp_path) as (session, server):
        room = session.room
        app = join_app(server, session, "Nell Ortiz", tmp_path)
        async with app.run_test(size=(100, 32)) as pilot:
            await wait_for(lambda: app.picking_roles, pilot)
            ask = str(app.query_one("#join-ask").render())
            assert "You are not in the roster as Nell Ortiz." in ask
            assert "(at most 6)" in ask
            picker = app.query_one("#join-picker", RolePicker)
            assert [choice.role for choice in picker.choices] == room.engine.authority_map.role_ids
            await pilot.press("enter")  # nothing ticked yet: nothing is sent
            await wait_for(
                lambda: "Tick the roles you hold first" in str(app.query_one("#join-status").render()), pilot
            )
            assert [s.name for s in room.registry.seats.values()] == ["Zora Quillfeather", "Ivo Brannigan"]
            await pilot.press("5", "7", "enter")  # SOC senior analyst, EDR vendor support engineer
            await wait_for(lambda: app.state is not None, pilot)
            assert app.state is not None
            assert [r["id"] for r in app.state["seat"]["roles"]] == ["soc-senior", "vendor-support"]
            assert not app.picking_roles
            assert str(app.query_one("#join-status").render()) == ""  # no "Joining…" left behind
            assert "Your roles: SOC senior analyst" in str(app.query_one("#join-bar").render())
    joined = [
        (e["name"], e["roles"])
        for e in read_journal(session.folder / "journal.jsonl").events
        if e["type"] == "participant_joined"
    ]
    assert joined == [("Nell Ortiz", ["soc-senior", "vendor-support"])]


async def test_a_refused_terminal_join_says_so_and_offers_nothing_to_tick(tmp_path: Path) -> None:
    async with served(tmp_path, roster_only=True) as (session, server):
        room = session.room
        app = join_app(server, session, "Mallory Mole", tmp_path)
        async with app.run_test(size=(100, 32)) as pilot:
            status = app.query_one("#join-status")
            await wait_for(lambda: "facilitator seats only the people in it" in str(status.render()), pilot)
            assert str(app.query_one("#join-bar").render()) == (
                "Not seated · ctrl+q leaves; run ttx join again with the room code and the name"
                " the facilitator gives you"
            )
            assert not app.query_one("#join-picker", RolePicker).display  # nothing to tick: no empty box
            assert app.state is None and not app.picking_roles
    assert [s.name for s in room.registry.seats.values()] == ["Zora Quillfeather", "Ivo Brannigan"]


async def test_a_join_to_an_address_where_nothing_listens_says_so_and_keeps_trying(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = JoinApp(parse_address(f"127.0.0.1:{port}", room="K7QX-M2PA"), "Ivo Brannigan", state_folder=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        bar = app.query_one("#join-bar")
        await wait_for(lambda: "Cannot reach" in str(bar.render()), pilot)
        assert str(bar.render()) == (
            f"Cannot reach the host at 127.0.0.1:{port} (nothing listens there); trying again…"
        )


async def test_a_seated_terminal_that_loses_the_host_says_so_in_its_bar(tmp_path: Path) -> None:
    async with served(tmp_path) as (session, server):
        app = join_app(server, session, "Ivo Brannigan", tmp_path)
        async with app.run_test(size=(100, 32)) as pilot:
            await wait_for(lambda: app.state is not None, pilot)
            await server.close()  # the host stops
            bar = app.query_one("#join-bar")
            await wait_for(lambda: "Lost the host" in str(bar.render()), pilot)
            assert str(bar.render()).endswith(
                "Your roles: SOC analyst (L1) · Lost the host; trying again… your acknowledged ballots are kept"
            )


async def test_a_terminal_seat_is_told_when_the_ballots_are_revealed(tmp_path: Path) -> None:
    async with served(tmp_path) as (session, server):
        room = session.room
        app = join_app(server, session, "Ivo Brannigan", tmp_path)

        def status() -> str:
            return str(app.query_one("#join-status").render())

        async with app.run_test(size=(100, 32)) as pilot:
            await wait_for(lambda: app.state is not None, pilot)
            room.engine.start()
            room.changed()
            await wait_for(lambda: app.state is not None and app.state["question"] is not None, pilot)
            await pilot.press("4", "enter")
            await wait_for(lambda: "You can change it until the reveal" in status(), pilot)
            room.reveal()  # Zora never voted: the facilitator reveals what there is
            await wait_for(lambda: status() == "The ballots are revealed; yours: SOC analyst (L1).", pilot)
