"""`ttx host` on a screen: the facilitator's play screen with seats.

The seat server (aiohttp) runs in this app's own event loop: it starts when the
app mounts and stops when it unmounts. Everything the single-terminal play
screen does still works; seats add who is seated and connected, who has voted
(not what), the reveal, the team answer from the majority, and removing a seat.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator

import segno
from aiohttp import web
from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from simulator.frozen import frozen
from simulator.safetext import strip_controls
from simulator.seats.hosting import HostedSession
from simulator.seats.registry import Seat
from simulator.seats.room import Room, Round, key_of, majority
from simulator.seats.server import SeatServer, start_site
from simulator.seats.views import host_summary
from simulator.tui.app import TtxApp
from simulator.tui.options import LaunchOptions
from simulator.tui.screens.answer_modals import role_names
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.modals import ConfirmScreen, DialogScreen
from simulator.tui.screens.play import PlayScreen
from simulator.tui.widgets.ballot_tally import tally_text


@frozen
class Serving:
    bind: str
    port: int
    tls: ssl.SSLContext | None = None
    origins: frozenset[str] = frozenset()
    public_url: str | None = None  # what participants open, when it is not this address (a reverse proxy)

    def link(self, port: int, room_code: str) -> str:
        if self.public_url:
            return f"{self.public_url.rstrip('/')}/#room={room_code}"
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"{'https' if self.tls else 'http'}://{host}:{port}/#room={room_code}"


def qr_text(link: str) -> str:
    """The join link as a QR code drawn with half blocks, two modules a character cell high."""
    rows = [list(row) for row in segno.make(link, error="m").matrix_iter(scale=1, border=2)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    glyph = {(1, 1): "█", (1, 0): "▀", (0, 1): "▄", (0, 0): " "}
    # Dark modules as light cells: terminals are mostly dark, and phones read an inverted code.
    return "\n".join(
        "".join(glyph[(1 - bool(top), 1 - bool(bottom))] for top, bottom in zip(upper, lower, strict=False))
        for upper, lower in zip(rows[::2], rows[1::2], strict=False)
    )


def seat_lines(room: Room) -> Text:
    seats = host_summary(room)
    if not seats:  # hosted without a roster, before anyone joined
        return Text("nobody seated yet: each person opens the link, types their name and picks their roles", "dim")
    text = Text()
    for number, seat in enumerate(seats):
        if number:
            text.append("  ")
        mark, style = ("●", "green") if seat["connected"] else ("○", "dim") if seat["taken"] else ("·", "dim")
        text.append(f"{mark} ", style=style)
        text.append(str(seat["name"]), style="bold" if seat["voted"] else "")
        if seat["voted"]:
            text.append(" ✓", style="green")
    return text


def seat_bar(room: Room, link: str) -> Text:
    """The join link and room code, then every seat: connected, seated, voted."""
    head = Text.assemble(("Join ", "dim"), (link, "bold"), ("  room ", "dim"))
    head.append(room.registry.room_code, style="bold")
    if room.registry.roster_only:
        head.append("  · roster only", style="dim")
    head.append("  · s: seats and QR code" if room.engine.started else "  · people join now", style="dim")
    return Text("\n").join([head, seat_lines(room)])


class HostBriefingScreen(BriefingScreen):
    """The briefing with the seats bar on top: people take their seats before the facilitator begins."""

    def __init__(self, hosted: HostedSession, link: str) -> None:
        super().__init__(hosted.playable)
        self.seat_room = hosted.room
        self.link = link
        self.seat_room.on_change(self._room_changed)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(seat_bar(self.seat_room, self.link), id="seat-bar")

    def on_unmount(self) -> None:
        self.seat_room.off_change(self._room_changed)

    def _room_changed(self) -> None:
        for bar in self.query("#seat-bar").results(Static):  # none once the briefing has given way to play
            bar.update(seat_bar(self.seat_room, self.link))


class SeatsScreen(DialogScreen[str]):
    """Join link, room code and QR code; each seat with its state; Enter on a seat removes it (asks first)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="close-seats"),
        Binding(
            "n",
            "toggle_newcomers",
            "Newcomers",
            id="toggle-newcomers",
            tooltip="Close the room to people not in the roster, or open it again",
        ),
    ]

    def __init__(self, room: Room, link: str) -> None:
        super().__init__(classes="modal-screen")
        self.room, self.link = room, link

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="seats-dialog"), VerticalScroll():
            yield Static(Text(qr_text(self.link)), id="seats-qr")
            yield Static(Text.assemble("Join: ", (self.link, "bold")), id="seats-link")
            yield Static(Text.assemble("Room code: ", (self.room.registry.room_code, "bold")))
            yield Static(newcomers_text(self.room), id="seats-newcomers")
            yield Static(Text("Enter on a seat removes it (its device is told and its secret stops working)"))
            options = []
            authority_map = self.room.engine.authority_map
            for seat in host_summary(self.room):
                state = "connected" if seat["connected"] else "seated" if seat["taken"] else "free"
                voted = " · voted" if seat["voted"] else ""
                line = Text(f"{seat['name']} — {state}{voted}")
                line.append(f"\n  {role_names(authority_map, seat['roles'])}", style="dim")
                options.append(Option(line, id=str(seat["id"])))
            yield OptionList(*options, id="seats-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_toggle_newcomers(self) -> None:
        self.room.seat_only_the_roster(not self.room.registry.roster_only)
        self.query_one("#seats-newcomers", Static).update(newcomers_text(self.room))

    def action_close(self) -> None:
        self.dismiss(None)


def newcomers_text(room: Room) -> Text:
    if room.registry.roster_only:
        return Text.assemble(("Newcomers: refused", "bold"), " — only the people in the roster take seats (n: open)")
    return Text.assemble(("Newcomers: welcome", "bold"), " — they join with roles from the map (n: close the room)")


class HostScreen(PlayScreen):
    BINDINGS = [
        Binding("r", "reveal", "Reveal", id="reveal", tooltip="Show every seat its room's ballots, with the spread"),
        Binding("M", "record_majority", "Majority", id="majority", tooltip="Record the ballots' majority as the team"),
        Binding("s", "seats", "Seats", id="seats", tooltip="Join link, QR code, who is seated; remove a seat"),
    ]

    def __init__(self, session: HostedSession, clock: Callable[[], float], link: str) -> None:
        super().__init__(session.playable, clock)
        self.seat_room = session.room
        self.link = link
        self.seat_room.countdown = self.clock.remaining
        self.seat_room.on_change(self._room_changed)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(seat_bar(self.seat_room, self.link), id="seat-bar")  # docked at the top, above the stage strip

    def on_unmount(self) -> None:
        # The seats' connections close after the screens are gone (the host stopping): their change is not ours.
        self.seat_room.off_change(self._room_changed)

    def _room_changed(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#seat-bar", Static).update(seat_bar(self.seat_room, self.link))
        self._show_tally()

    def _show_tally(self) -> None:
        participants = [p.name for p in self.engine.roster.participants]
        names = {c.role: c.name for c in self.engine.choices}
        ballots = self.engine.ballots
        seat_room = getattr(self, "seat_room", None)
        revealed = self._revealed or (seat_room is not None and seat_room.is_revealed)
        self.panel.tally.show(participants, ballots, names, revealed=revealed)
        self.room.show_ballots(tally_text(participants, ballots, names, revealed=revealed) if ballots else Text(""))

    # --- what seats must hear about ----------------------------------------------------

    def record(self, roles: tuple[str, ...], *, timed_out: bool = False) -> None:
        pending = self.engine.pending_decision
        ballots = self.engine.ballots
        super().record(roles, timed_out=timed_out)
        if pending is not None and self.engine.pending_decision != pending:
            team = () if timed_out else roles
            self.seat_room.rounds.append(Round(key_of(pending), pending.ask, ballots, team, timed_out))
            self.seat_room.revealed = None
        self.seat_room.changed()

    def _new_decision(self) -> None:
        super()._new_decision()
        if hasattr(self, "seat_room"):
            self.seat_room.changed()

    def action_pause(self) -> None:
        super().action_pause()
        self.seat_room.pause(self.paused)

    def action_add_time(self) -> None:
        super().action_add_time()
        self.seat_room.changed()

    def _withdrawn(self, choice: tuple[str, str] | None) -> None:
        super()._withdrawn(choice)
        self.seat_room.changed()

    # --- seat actions ------------------------------------------------------------------

    def action_reveal(self) -> None:
        if self.engine.pending_decision is None:
            return
        self.seat_room.reveal()
        self._revealed = True
        self._show_tally()
        self.notify("Ballots revealed to every seat", timeout=3, markup=False)

    def action_record_majority(self) -> None:
        if self.engine.pending_decision is None or self.paused:
            return
        ballots = self.engine.ballots
        if not ballots:
            self.notify("No ballot has been cast yet", timeout=3, markup=False)
            return
        if not self.seat_room.is_revealed:
            self.seat_room.reveal()
        team = majority(ballots)
        said = role_names(self.engine.authority_map, team)
        self.record(team)
        self.notify(f"Team answer (majority): {said}", timeout=4, markup=False)

    def action_seats(self) -> None:
        def chosen(seat_id: str | None) -> None:
            if seat_id is None:
                return
            seat = self.seat_room.registry.seats[seat_id]

            def decided(yes: bool | None) -> None:
                if yes:
                    self.seat_room.remove(seat_id)
                    self.notify(f"Removed the seat of {seat.name}", timeout=4, markup=False)

            self.app.push_screen(ConfirmScreen(f"Remove the seat of {seat.name}?", yes="Remove", no="Keep"), decided)

        self.app.push_screen(SeatsScreen(self.seat_room, self.link), chosen)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Reveal ballots", "Show every seat the room's ballots", self.action_reveal)
        yield SystemCommand(
            "Record the majority", "The ballots' majority as the team answer", self.action_record_majority
        )
        yield SystemCommand("Seats", "Join link, QR code, seated people; remove a seat", self.action_seats)
        closed = self.seat_room.registry.roster_only
        yield SystemCommand(
            "Open the room to newcomers" if closed else "Close the room to newcomers",
            "Let people not in the roster join with roles from the map" if closed else "Seat only the roster's people",
            lambda: self.seat_room.seat_only_the_roster(not closed),
        )
        yield from super().palette_commands()


class HostApp(TtxApp):
    """The ttx app opened on a hosted session, serving seats from its own event loop."""

    def __init__(self, hosted: HostedSession, serving: Serving, options: LaunchOptions | None = None) -> None:
        super().__init__(options or LaunchOptions())
        self.hosted = hosted
        self.serving = serving
        self.session = hosted.playable
        self.server = SeatServer(hosted.room, serving.origins)
        self.runner: web.AppRunner | None = None
        self.link = ""
        hosted.room.on_join(self._joined)
        hosted.room.on_trouble(self._trouble)

    async def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        event.prevent_default()  # not the home screen: this app opens on its hosted session
        self.runner, port = await start_site(self.server, self.serving.bind, self.serving.port, self.serving.tls)
        self.link = self.serving.link(port, self.hosted.room.registry.room_code)
        if self.hosted.room.engine.started:
            self.show_play()
        else:
            self.switch_to(HostBriefingScreen(self.hosted, self.link))

    def _joined(self, seat: Seat) -> None:
        """Someone not in the roster took a seat with roles from the map: say who, holding what."""
        roles = role_names(self.hosted.room.engine.authority_map, seat.roles)
        self.notify(f"{seat.name} joined, holding {roles}", title="New participant", timeout=8, markup=False)
        if isinstance(self.screen, BriefingScreen):
            self.screen.session_ready(self.hosted.playable)  # the briefing's list of participants grows

    def _trouble(self, what: str) -> None:
        """A seat was told its ballot or seat was not saved: the facilitator must know before the next answer."""
        self.notify(
            f"{strip_controls(what)}\n\nThe host cannot write to its session folder (a full disk?). Stop"
            f" (ctrl+q), make room, then continue with: ttx host --resume {self.hosted.folder}",
            title="Not saved",
            severity="error",
            timeout=60,
            markup=False,
        )

    async def on_unmount(self, event: events.Unmount) -> None:  # type: ignore[override]
        event.prevent_default()
        if self.runner is not None:
            await self.runner.cleanup()
        self.hosted.close()

    def action_request_quit(self) -> None:
        engine = self.hosted.room.engine
        folder = self.hosted.folder
        if not engine.started and self.hosted.room.seated:
            # People took seats: resuming keeps their room code and seats; a new host would give them another.
            self.exit(f"Not begun; the seated keep their seats with: ttx host --resume {folder}")
            return
        if not engine.started or engine.finished:
            self.exit(None)
            return
        message = (
            "Stop hosting now?\n\nEvery answer and acknowledged ballot is saved; the seats wait."
            f" Continue with\n  ttx host --resume {folder}"
        )

        def decided(leave: bool | None) -> None:
            if leave:
                self.exit(f"Session saved. Continue with: ttx host --resume {folder}")

        self.push_screen(ConfirmScreen(message, yes="Stop", no="Keep hosting"), decided)

    def show_play(self) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        engine = self.hosted.room.engine
        if not engine.started:
            engine.start()
        if engine.finished:
            self.switch_to(DebriefScreen(self.hosted.playable))
        else:
            self.switch_to(HostScreen(self.hosted, self.options.clock, self.link))
        self.hosted.room.changed()


def run_host(hosted: HostedSession, serving: Serving) -> str | None:
    return HostApp(hosted, serving).run()
