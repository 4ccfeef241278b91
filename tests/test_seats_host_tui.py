"""`ttx host` on a screen: the seat server runs in the Textual app's own loop; the facilitator reveals,
records the majority, pauses and removes a seat while seats connect over real WebSockets."""

from __future__ import annotations

import errno
import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from textual.widgets import OptionList

from simulator.journal import read_journal
from simulator.reporting.files import session_report
from simulator.seats.hosting import host_resumed
from simulator.seats.protocol import ProtocolError
from simulator.seats.registry import SeatRegistry
from simulator.seats.room import Room
from simulator.sessions import load_session
from simulator.tui.host import HostApp, Serving, qr_text, seat_bar
from simulator.tui.options import LaunchOptions
from simulator.tui.screens.briefing import BriefingScreen
from tests.seats_support import hosted
from tests.tui_support import FakeClock

PAIR = {
    "participants": [
        {"name": "Zora Quillfeather", "roles": ["msp-service-manager"]},
        {"name": "Ivo Brannigan", "roles": ["soc-analyst"]},
    ]
}


async def next_state(socket: Any, until: Any = lambda state: True) -> dict[str, Any]:
    for _ in range(30):
        message: dict[str, Any] = await socket.receive_json(timeout=5)
        if message["type"] == "state" and until(message):
            return message
    raise AssertionError("no such state")


async def test_host_screen_reveals_records_the_majority_pauses_and_removes(tmp_path: Path) -> None:
    session = hosted(tmp_path, roster=PAIR)
    room: Room = session.room
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with app.run_test(size=(100, 32)) as pilot, aiohttp.ClientSession() as http:
        await pilot.press("enter")  # begin, from the briefing
        await pilot.pause()
        port = app.link.split(":")[2].split("/")[0]
        code = room.registry.room_code
        assert app.link == f"http://127.0.0.1:{port}/#room={code}"
        zora = await http.ws_connect(f"ws://127.0.0.1:{port}/ws")
        ivo = await http.ws_connect(f"ws://127.0.0.1:{port}/ws")
        for socket, name in ((zora, "Zora Quillfeather"), (ivo, "Ivo Brannigan")):
            await socket.send_json({"v": 1, "type": "join", "room": code, "name": name})
        state = await next_state(zora, lambda s: s["question"] is not None)
        question = state["question"]
        for socket, roles in ((zora, ["msp-duty-engineer"]), (ivo, ["soc-analyst"])):
            await socket.send_json(
                {"v": 1, "type": "ballot", "decision": question["decision"], "attempt": 1, "roles": roles}
            )
        await next_state(ivo, lambda s: s["voted"] == 2)
        await pilot.pause()
        bar = str(app.screen.query_one("#seat-bar").render())
        assert "● Zora Quillfeather ✓" in bar and "● Ivo Brannigan ✓" in bar
        tally = str(app.screen.query_one("#decision-panel").query_one("BallotTally").render())
        assert "Voted 2 of 2" in tally and "MSP on-call engineer" not in tally  # who, not what

        await pilot.press("r")
        revealed = await next_state(ivo, lambda s: s["reveal"] is not None)
        assert revealed["reveal"]["ballots"] == [
            {"name": "Zora Quillfeather", "roles": ["msp-duty-engineer"]},
            {"name": "Ivo Brannigan", "roles": ["soc-analyst"]},
        ]
        await pilot.press("M")  # a tie: the ballot cast first
        after = await next_state(zora, lambda s: s["last_round"] is not None)
        assert after["last_round"]["team"] == ["msp-duty-engineer"]
        events = read_journal(session.folder / "journal.jsonl").events
        [answer] = [e for e in events if e["type"] == "answer_recorded"]
        assert answer["roles"] == ["msp-duty-engineer"]
        assert answer["ballots"] == {"Zora Quillfeather": ["msp-duty-engineer"], "Ivo Brannigan": ["soc-analyst"]}

        await pilot.press("p")
        assert (await next_state(zora, lambda s: s["paused"]))["paused"] is True
        await pilot.press("p")
        await next_state(zora, lambda s: not s["paused"])

        await pilot.press("s")
        await pilot.pause()
        assert "Join: http://127.0.0.1" in str(app.screen.query_one("#seats-link").render())
        seats = app.screen.query_one("#seats-list")
        seats.focus()
        seats.highlighted = 1  # the second seat: Ivo
        await pilot.press("enter")
        await pilot.pause()
        assert "Remove the seat of Ivo Brannigan?" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("y")
        for _ in range(10):
            message = await ivo.receive_json(timeout=5)
            if message["type"] == "error":
                break
        assert message["code"] == "removed"
        assert not room.registry.seats["s2"].taken


def test_the_qr_code_is_drawn_in_half_blocks_two_modules_a_line() -> None:
    drawing = qr_text("http://127.0.0.1:8765/#room=ABCD-EFGH").splitlines()
    # Version 3 (29 modules) with a border of 2 each side: 33 columns, 17 lines of two rows each.
    assert len(drawing) == 17
    assert {len(line) for line in drawing} == {33}
    assert set("".join(drawing)) <= set("█▀▄ ")
    assert drawing[0] == "█" * 33  # the quiet zone, drawn light on a dark terminal


async def test_the_host_sees_someone_join_with_roles_from_the_map(tmp_path: Path) -> None:
    session = hosted(tmp_path, roster=PAIR)
    room: Room = session.room
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with app.run_test(size=(100, 32)) as pilot, aiohttp.ClientSession() as http:
        await pilot.pause()
        port = app.link.split(":")[2].split("/")[0]
        nell = await http.ws_connect(f"ws://127.0.0.1:{port}/ws")
        await nell.send_json(
            {
                "v": 1,
                "type": "join",
                "room": room.registry.room_code,
                "name": "Nell Ortiz",
                "roles": ["soc-senior", "vendor-support"],
            }
        )
        assert (await nell.receive_json(timeout=5))["type"] == "welcome"
        await pilot.pause()
        toasts = [str(n.message) for n in app._notifications]
        said = "Nell Ortiz joined, holding SOC senior analyst (L2/L3 incident handler), EDR vendor support engineer"
        assert said in toasts
        assert isinstance(app.screen, BriefingScreen) and app.screen.facts is not None
        bar = str(app.screen.query_one("#seat-bar").render())  # the join link is up before anyone begins
        assert f"room {room.registry.room_code}" in bar and "● Nell Ortiz" in bar
        assert app.screen.facts.participants[-1] == (
            "Nell Ortiz",
            "SOC senior analyst (L2/L3 incident handler), EDR vendor support engineer",
        )

        await pilot.press("enter")  # begin
        await pilot.pause()
        assert "● Nell Ortiz" in str(app.screen.query_one("#seat-bar").render())
        await pilot.press("s")
        await pilot.pause()
        listed = app.screen.query_one("#seats-list", OptionList)
        last = listed.get_option_at_index(listed.option_count - 1)
        assert str(last.prompt) == (
            "Nell Ortiz — connected\n  SOC senior analyst (L2/L3 incident handler), EDR vendor support engineer"
        )
        await nell.close()


async def test_a_host_without_a_roster_seats_whoever_joins_and_reports_them(tmp_path: Path) -> None:
    """`ttx host` with no --roster: the room starts empty, each person picks roles as they join, and the
    journal, a resume and the reports all know them."""
    session = hosted(tmp_path, roster=None)
    room: Room = session.room
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with app.run_test(size=(100, 32)) as pilot, aiohttp.ClientSession() as http:
        await pilot.pause()
        bar = str(app.screen.query_one("#seat-bar").render())
        assert "nobody seated yet: each person opens the link, types their name and picks their roles" in bar
        await pilot.press("enter")  # begin with nobody seated yet
        await pilot.pause()
        await pilot.press("b")  # ballots on the host's keyboard: there is nobody to ask
        await pilot.pause()
        toasts = [str(n.message) for n in app._notifications]
        assert "Nobody is in the room yet: ballots need participants." in toasts
        port = app.link.split(":")[2].split("/")[0]
        code = room.registry.room_code
        sockets = []
        for name, roles in (("Nell Ortiz", ["soc-senior"]), ("Pat Lee", ["soc-lead", "client-dpo"])):
            socket = await http.ws_connect(f"ws://127.0.0.1:{port}/ws")
            await socket.send_json({"v": 1, "type": "join", "room": code, "name": name, "roles": roles})
            sockets.append(socket)
        question = (await next_state(sockets[1], lambda s: s["question"] is not None))["question"]
        for socket, roles in zip(sockets, (["soc-senior"], ["soc-lead"]), strict=True):
            await socket.send_json(
                {"v": 1, "type": "ballot", "decision": question["decision"], "attempt": 1, "roles": roles}
            )
        await next_state(sockets[0], lambda s: s["voted"] == 2)
        await pilot.pause()
        assert "● Nell Ortiz ✓" in str(app.screen.query_one("#seat-bar").render())
        await pilot.press("r")
        await pilot.press("M")  # a tie: the ballot cast first
        await next_state(sockets[0], lambda s: s["last_round"] is not None)
        for socket in sockets:
            await socket.close()
    session.close()

    events = read_journal(session.folder / "journal.jsonl").events
    joined = [(e["name"], e["roles"]) for e in events if e["type"] == "participant_joined"]
    assert joined == [("Nell Ortiz", ["soc-senior"]), ("Pat Lee", ["soc-lead", "client-dpo"])]
    [answer] = [e for e in events if e["type"] == "answer_recorded"]
    assert answer["roles"] == ["soc-senior"]
    assert answer["ballots"] == {"Nell Ortiz": ["soc-senior"], "Pat Lee": ["soc-lead"]}

    resumed = host_resumed(load_session(session.folder, "resuming"))
    try:
        assert [p.name for p in resumed.room.engine.roster.participants] == ["Nell Ortiz", "Pat Lee"]
        assert resumed.room.engine.roster.staffed == {"soc-senior", "soc-lead", "client-dpo"}
    finally:
        resumed.close()
    report = session_report(load_session(session.folder, "reporting"))
    assert [p.name for p in report.score.load.people] == ["Nell Ortiz", "Pat Lee"]


def test_the_seats_bar_says_when_the_room_takes_only_its_roster(tmp_path: Path) -> None:
    link = "http://127.0.0.1:8765/#room=K7QX-M2PA"
    closed, open_room = hosted(tmp_path / "closed", roster_only=True), hosted(tmp_path / "open")
    try:
        assert "· roster only" in seat_bar(closed.room, link).plain.splitlines()[0]
        assert "roster only" not in seat_bar(open_room.room, link).plain
    finally:
        closed.close()
        open_room.close()


async def test_quitting_before_the_start_with_people_seated_says_how_to_keep_their_seats(tmp_path: Path) -> None:
    session = hosted(tmp_path, roster=PAIR)
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        session.room.join(session.room.registry.room_code, "Ivo Brannigan")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == f"Not begun; the seated keep their seats with: ttx host --resume {session.folder}"


async def test_quitting_an_empty_room_before_the_start_says_nothing(tmp_path: Path) -> None:
    session = hosted(tmp_path, roster=PAIR)
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value is None


async def test_the_facilitator_closes_the_room_to_newcomers_and_opens_it_again(tmp_path: Path) -> None:
    session = hosted(tmp_path, roster=PAIR)
    room = session.room
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter")  # begin
        await pilot.press("s")
        await pilot.pause()
        newcomers = app.screen.query_one("#seats-newcomers")
        assert str(newcomers.render()).startswith("Newcomers: welcome")
        await pilot.press("n")
        await pilot.pause()
        assert str(newcomers.render()) == ("Newcomers: refused — only the people in the roster take seats (n: open)")
        saved = json.loads((session.folder / "seats.json").read_text(encoding="utf-8"))
        assert saved["roster_only"] is True  # a resumed host keeps the room closed
        with pytest.raises(ProtocolError) as refused:
            room.join(room.registry.room_code, "Nell Ortiz", ("soc-senior",))
        assert refused.value.code == "roster_only"
        await pilot.press("escape")
        await pilot.pause()
        assert "· roster only" in str(app.screen.query_one("#seat-bar").render())
        await pilot.press("s", "n", "escape")
        await pilot.pause()
        assert "roster only" not in str(app.screen.query_one("#seat-bar").render())
        assert room.join(room.registry.room_code, "Nell Ortiz", ("soc-senior",))[0].name == "Nell Ortiz"


async def test_stopping_the_host_with_a_seat_connected_logs_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The seat's connection closes while the screens are torn down: the room's change must not reach them."""
    session = hosted(tmp_path, roster=PAIR)
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))
    async with aiohttp.ClientSession() as http:
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.press("enter")  # begin
            await pilot.pause()
            port = app.link.split(":")[2].split("/")[0]
            ivo = await http.ws_connect(f"ws://127.0.0.1:{port}/ws")
            await ivo.send_json(
                {"v": 1, "type": "join", "room": session.room.registry.room_code, "name": "Ivo Brannigan"}
            )
            await next_state(ivo)
            await pilot.press("ctrl+q", "y")  # stop hosting
            await pilot.pause()
        await ivo.close()
    assert app.return_value == f"Session saved. Continue with: ttx host --resume {session.folder}"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_seat_the_host_cannot_save_is_told_and_so_is_the_facilitator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = hosted(tmp_path, roster=PAIR)
    app = HostApp(session, Serving("127.0.0.1", 0), LaunchOptions(workspace=tmp_path, clock=FakeClock()))

    def full_disk(_registry: SeatRegistry) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with aiohttp.ClientSession() as http, app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter")  # begin
        await pilot.pause()
        port = app.link.split(":")[2].split("/")[0]
        monkeypatch.setattr(SeatRegistry, "save", full_disk)
        ivo = await http.ws_connect(f"ws://127.0.0.1:{port}/ws")
        await ivo.send_json({"v": 1, "type": "join", "room": session.room.registry.room_code, "name": "Ivo Brannigan"})
        refusal = await ivo.receive_json(timeout=5)
        assert refusal["code"] == "not_saved"
        await pilot.pause()
        [toast] = [n for n in app._notifications if n.title == "Not saved"]
        assert toast.severity == "error"
        assert toast.message == (
            "Ivo Brannigan could not take a seat: [Errno 28] No space left on device\n\n"
            "The host cannot write to its session folder (a full disk?). Stop (ctrl+q), make room, then continue"
            f" with: ttx host --resume {session.folder}"
        )
        monkeypatch.undo()
        await ivo.close()
