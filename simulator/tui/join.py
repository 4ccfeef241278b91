"""`ttx join`: a seat in the terminal, the same view as the browser page.

The WebSocket to the host runs as a worker in this app's own event loop. Every
text from the host is shown as plain text with control characters stripped:
the host is another machine, and its texts came from files and people.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from simulator.engine import Choice
from simulator.safetext import strip_controls
from simulator.seats.client import Address, forget_seat, save_seat, saved_seat
from simulator.seats.registry import shown_code
from simulator.tui.widgets.role_picker import RolePicker, role_key_bindings

PROTOCOL = 1
GIVE_UP_CODES = (4001, 4003)  # removed, or refused: knocking again will not help


def clean(value: object) -> str:
    return strip_controls(str(value))


def _reason(error: Exception) -> str:
    cause = getattr(error, "os_error", error)  # aiohttp wraps the socket's error
    if isinstance(cause, ConnectionRefusedError):
        return "nothing listens there"
    return clean(cause)


def role_names(roles: list[str], choices: dict[str, str]) -> str:
    return " + ".join(choices.get(r, r) for r in roles) or "nobody / not sure"


class JoinApp(App[str | None]):
    CSS_PATH = "ttx.tcss"
    TITLE = "ttx join"
    BINDINGS = [
        *role_key_bindings(),
        Binding("0", "nobody", "Nobody", id="join-nobody", tooltip="Cast 'nobody / not sure'"),
        Binding("ctrl+q", "quit", "Quit", id="join-quit", tooltip="Leave; join again to take your seat back"),
    ]

    def __init__(self, address: Address, name: str, state_folder: Any = None) -> None:
        super().__init__()
        self.address = address
        self.person = name
        self.state_folder = state_folder
        self.state: dict[str, Any] | None = None
        self.socket: aiohttp.ClientWebSocketResponse[bool] | None = None
        self.status = "Connecting…"
        self._question_key: tuple[str, int] | None = None
        self.received: list[dict[str, Any]] = []
        self._names: dict[str, str] = {}
        self._state_at = 0.0
        self.picking_roles = False  # not in the roster: the picker holds the map's roles to join with
        self.join_roles: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(self.status), id="join-bar")
        with Horizontal(id="join-body"):
            yield VerticalScroll(id="join-story")
            with Vertical(id="join-question"):
                yield Static(id="join-ask")
                yield RolePicker([], id="join-picker")
                yield Static(id="join-status")
                yield Static(id="join-round")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(RolePicker).display = False  # shown with the roles to pick, or with the first question
        self.connect()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """The countdown moves between the host's states (it sends one only when something changes)."""
        if self.state is not None and (self.state.get("question") or {}).get("remaining_s") is not None:
            self._render_bar(self.state)

    # --- the connection ------------------------------------------------------------

    @work(exclusive=True)
    async def connect(self) -> None:
        delay = 0.5
        async with aiohttp.ClientSession() as http:
            while True:
                try:
                    async with http.ws_connect(self.address.websocket, max_msg_size=4 * 1024 * 1024) as socket:
                        self.socket = socket
                        delay = 0.5
                        if self.state is None and not self.picking_roles:
                            self._show_status(
                                f"Connected to room {clean(shown_code(self.address.room))}"
                                f" · joining as {clean(self.person)}…"
                            )
                        await self._send(self._join_message())
                        async for frame in socket:
                            if frame.type == aiohttp.WSMsgType.TEXT:
                                self.receive(frame.json())
                        if socket.close_code in GIVE_UP_CODES:
                            return
                except (aiohttp.ClientError, OSError, ValueError) as error:
                    if self.state is None:
                        where = urlsplit(self.address.websocket).netloc
                        self._show_status(f"Cannot reach the host at {clean(where)} ({_reason(error)}); trying again…")
                    else:  # seated before: the host stopped, or the network dropped
                        self._show_status("Lost the host; trying again… your acknowledged ballots are kept")
                self.socket = None
                if self.state is not None and self.state.get("phase") == "ended":
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)

    def _join_message(self) -> dict[str, Any]:
        held = saved_seat(self.address, self.person, self.state_folder)
        if held is not None:
            return {"type": "join", "room": self.address.room, "seat": held[0], "secret": held[1]}
        join: dict[str, Any] = {"type": "join", "room": self.address.room, "name": self.person}
        if self.join_roles is not None:
            join["roles"] = self.join_roles
        return join

    async def _send(self, message: dict[str, Any]) -> None:
        if self.socket is not None and not self.socket.closed:
            await self.socket.send_json({"v": PROTOCOL, **message})

    def _about_open_question(self, message: dict[str, Any]) -> bool:
        question = self.state.get("question") if self.state is not None else None
        return isinstance(question, dict) and (question.get("decision"), question.get("attempt")) == (
            message.get("decision"),
            message.get("attempt"),
        )

    def receive(self, message: dict[str, Any]) -> None:
        self.received.append(message)
        kind = message.get("type")
        if kind == "welcome":
            self.picking_roles = False
            self.query_one("#join-status", Static).update(Text(""))
            if "secret" in message:
                save_seat(self.address, self.person, str(message["seat"]), str(message["secret"]), self.state_folder)
            self._show_status(f"Seated as {clean(message.get('name'))} · room {clean(message.get('room'))}")
        elif kind == "state":
            self.state = message
            self._state_at = time.monotonic()
            self._render_state()
        elif kind == "ack":
            if not self._about_open_question(message):
                return  # a late ack (its fsync was slow) about a question that has moved on
            said = role_names(list(message.get("roles", [])), self._choice_names())
            self.query_one("#join-status", Static).update(
                Text(f"Your ballot is recorded: {clean(said)}. You can change it until the reveal.")
            )
        elif kind == "error":
            if message.get("code") in ("wrong_secret", "removed"):
                forget_seat(self.address, self.person, self.state_folder)
            if message.get("code") == "unknown_name" and isinstance(message.get("roles"), list):
                self._offer_roles(message["roles"], message.get("max_roles"))
                return  # the picker says what to do
            self.query_one("#join-status", Static).update(Text(clean(message.get("message", "")), style="bold red"))
            if self.state is None and not self.picking_roles:  # a refused join: this run cannot take a seat
                self._show_status(
                    "Not seated · ctrl+q leaves; run ttx join again with the room code and the name"
                    " the facilitator gives you"
                )

    # --- not in the roster: picking the roles held ------------------------------------------

    def _offer_roles(self, roles: list[dict[str, Any]], most: object) -> None:
        self.picking_roles = True
        self._question_key = None  # the first question fills the picker again
        picker = self.query_one(RolePicker)
        picker.choices = [
            Choice(str(r.get("id", "")), clean(r.get("name", "")), "", clean(r.get("party", "")), holders=("seat",))
            for r in roles
        ]
        picker.clear_options()
        picker.add_options(picker._selections())
        picker.display = True
        picker.disabled = False
        picker.highlighted = 0
        picker.focus()
        self.query_one("#join-status", Static).update(Text(""))
        self._show_status(f"Connected to room {clean(shown_code(self.address.room))} · not seated yet")
        limit = f" (at most {most})" if isinstance(most, int) else ""
        self.query_one("#join-ask", Static).update(
            Text.assemble(
                (f"You are not in the roster as {clean(self.person)}.\n", "bold"),
                f"Tick the roles you hold{limit} with space or their key, then Enter to join.",
            )
        )

    def _join_with(self, roles: list[str]) -> None:
        self.join_roles = roles
        self.query_one("#join-status", Static).update(Text("Joining…"))
        self.run_worker(self._send(self._join_message()), exclusive=False)

    # --- showing the state ---------------------------------------------------------------

    def _choice_names(self) -> dict[str, str]:
        # Kept from the last question seen: between questions and at the end the state has none.
        question = (self.state or {}).get("question") or {}
        self._names.update({str(c["id"]): clean(c["name"]) for c in question.get("choices", [])})
        return self._names

    def _show_status(self, text: str) -> None:
        self.status = text
        if self.state is None:
            self.query_one("#join-bar", Static).update(Text(text))
        else:
            self._render_bar(self.state)  # the status is the bar's second line

    def _render_state(self) -> None:
        state = self.state
        assert state is not None
        self._render_bar(state)
        self._render_story(state)
        self._render_question(state)

    def _render_bar(self, state: dict[str, Any]) -> None:
        question = state.get("question")
        bar = Text(f"{clean(state['seat']['name'])} · ", style="bold")
        bar.append(clean(state.get("title", "")))
        if state.get("stage"):
            bar.append(f" · {clean(state['stage'])} {clean(state.get('clock', ''))}", style="dim")
        if question and question.get("remaining_s") is not None:
            gone = 0.0 if state.get("paused") else time.monotonic() - self._state_at
            left = max(0, int(question["remaining_s"] - gone))
            bar.append(f" · time left {left // 60}:{left % 60:02d}")
        if state.get("paused"):
            bar.append("  PAUSED", style="bold reverse")
        roles = ", ".join(clean(r["name"]) for r in state["seat"]["roles"]) or "none"
        bar.append(f"\nYour roles: {roles} · {self.status}", style="dim")
        self.query_one("#join-bar", Static).update(bar)

    def _render_story(self, state: dict[str, Any]) -> None:
        story = self.query_one("#join-story", VerticalScroll)
        items = state.get("story", [])
        shown = len(story.children) - 1  # the briefing comes first
        if shown > len(items):  # a correction retold the story: tell it again
            story.remove_children()
            shown = -1
        widgets = []
        if shown < 0:
            widgets.append(Static(Text(clean(state.get("briefing", "")), style="italic"), classes="join-item"))
            shown = 0
        for item in items[shown:]:
            text = Text(f"{clean(item['clock'])}  {clean(item['title'])}\n", style="bold")
            if item["kind"] == "consequence":
                text.stylize("#f0b429")
            text.append(clean(item["text"]))
            for artifact in item.get("artifacts", []):
                text.append(f"\n\n{clean(artifact['kind']).upper()}: {clean(artifact['title'])}\n", style="bold")
                text.append(clean(artifact["body"]), style="dim")
            widgets.append(Static(text, classes="join-item"))
        if widgets:
            story.mount_all(widgets)
            story.scroll_end(animate=False)

    def _render_question(self, state: dict[str, Any]) -> None:
        question = state.get("question")
        picker = self.query_one(RolePicker)
        ask = self.query_one("#join-ask", Static)
        if state.get("phase") == "ended":
            ask.update(Text("The exercise has ended. Thank you.", style="bold"))
            picker.display = False
            self.query_one("#join-status", Static).update(Text(""))
        elif question is None:
            ask.update(Text("Waiting for the facilitator…", style="dim"))
            picker.display = False
        else:
            picker.display = True
            ask.update(
                Text.assemble(
                    (f"Question {question['index']} of {question['of']}\n", "dim"), (clean(question["ask"]), "bold")
                )
            )
            key = (str(question["decision"]), int(question["attempt"]))
            if key != self._question_key:
                self._question_key = key
                choices = [
                    Choice(str(c["id"]), clean(c["name"]), "", clean(c["party"]), holders=("seat",))
                    for c in question["choices"]
                ]
                picker.choices = choices
                picker.clear_options()
                picker.add_options(picker._selections())
                for role in state.get("your_ballot") or []:
                    picker.select(str(role))
                picker.focus()
            picker.disabled = state.get("phase") != "open" or bool(state.get("paused"))
            voted = f"{state['voted']} of {state['seated']} seated have voted"
            mine = state.get("your_ballot")
            status = self.query_one("#join-status", Static)
            if state.get("phase") == "revealed":  # a ballot can no longer change: say so, not "until the reveal"
                said = "you did not vote" if mine is None else f"yours: {role_names(list(mine), self._choice_names())}"
                status.update(Text(f"The ballots are revealed; {clean(said)}."))
            elif mine is None:
                status.update(Text(f"You have not voted yet · {voted}"))
        self.query_one("#join-round", Static).update(self._round_text(state))

    def _round_text(self, state: dict[str, Any]) -> Text:
        names = self._choice_names()
        text = Text()
        if state.get("reveal"):
            text.append("The room's ballots\n", style="bold")
            for ballot in state["reveal"]["ballots"]:
                text.append(f"  {clean(ballot['name'])}: {clean(role_names(ballot['roles'], names))}\n")
        last = state.get("last_round")
        if last:
            team = "time ran out" if last["timed_out"] else role_names(last["team"], names)
            text.append("\nLast question: ", style="bold")
            text.append(clean(last["ask"]))
            text.append(f"\nTeam answer: {clean(team)}\n", style="bold")
            for ballot in last["ballots"]:
                text.append(f"  {clean(ballot['name'])}: {clean(role_names(ballot['roles'], names))}\n")
        return text

    # --- casting ---------------------------------------------------------------------------

    def action_tick_role(self, number: int) -> None:
        self.query_one(RolePicker).toggle_number(number)

    def on_role_picker_submitted(self, event: RolePicker.Submitted) -> None:
        event.stop()
        if not self.picking_roles:
            self.cast(list(event.roles))
        elif event.ticked:
            self._join_with(list(event.roles))
        else:
            self.query_one("#join-status", Static).update(
                Text("Tick the roles you hold first (space or the role's key), then Enter", style="bold red")
            )

    def action_nobody(self) -> None:
        self.query_one(RolePicker).deselect_all()
        self.cast([])

    def cast(self, roles: list[str]) -> None:
        question = (self.state or {}).get("question")
        if not question or (self.state or {}).get("phase") != "open":
            return
        message = {"type": "ballot", "decision": question["decision"], "attempt": question["attempt"], "roles": roles}
        self.query_one("#join-status", Static).update(Text("Sending…"))
        self.run_worker(self._send(message), exclusive=False)
