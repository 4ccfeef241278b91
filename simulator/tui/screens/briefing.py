"""The briefing: what the room is about to play, and how to answer.

It paints at once from what the start-up could read without validating (see
`simulator.tui.preview`), and fills in the generated names when the app hands it the
session. Begin pressed before that waits, saying so, and goes on by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from simulator.tui.options import MODE_LABELS
from simulator.tui.preview import BriefingFacts, facts_of_session

if TYPE_CHECKING:
    from simulator.play import PlayableSession

HOW_TO_PLAY = """\
At every step, read the inject aloud, then answer the question: who acts?
  1…9 / space   tick a role (tick several for a contested answer)
  Enter         record the answer (the highlighted role if none is ticked)
  0             nobody / not sure
  p pause · n note · ? help · ctrl+p every action"""
BEGIN_LABEL = "Begin ▶ (Enter)"
WAITING_LABEL = "Preparing the session… (it begins by itself)"


def briefing_text(facts: BriefingFacts) -> Group:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    # Text() everywhere: names and titles come from files and rosters, never from Rich markup.
    grid.add_row("Map", Text(facts.map_title))
    grid.add_row("Mode", MODE_LABELS.get(facts.mode, facts.mode))
    if facts.duration_minutes is not None and facts.decisions is not None:
        grid.add_row("Length", f"about {facts.duration_minutes} minutes · {facts.decisions} decisions")
    grid.add_row("Seed", str(facts.seed))
    for name, roles in facts.participants:
        grid.add_row(Text(name), Text(roles))
    return Group(
        Text(facts.title, style="bold #f0b429"),
        Text(""),
        Text(facts.summary),
        Text(""),
        grid,
        Text(""),
        Text(HOW_TO_PLAY, style="#9aa5b1"),
    )


class BriefingScreen(Screen[None]):
    BINDINGS = [Binding("enter,s", "begin", "Begin", id="begin", tooltip="Start the first step")]

    def __init__(self, session: PlayableSession | None = None, *, preview: BriefingFacts | None = None) -> None:
        super().__init__()
        if session is None and preview is None:
            raise ValueError("a briefing needs a session or a preview")
        self.session = session
        self.facts = facts_of_session(session) if session is not None else preview
        self.begin_requested = False

    def compose(self) -> ComposeResult:
        assert self.facts is not None
        with VerticalScroll(id="briefing"):
            yield Static(briefing_text(self.facts), id="briefing-text")
        yield Button(BEGIN_LABEL, variant="primary", id="begin")
        yield Footer()

    class Painted(Message):
        """The briefing is on the terminal: the app may start the slow work it put off."""

    def on_mount(self) -> None:
        self.query_one("#begin", Button).focus()
        self.call_after_refresh(self.post_message, self.Painted())

    def session_ready(self, session: PlayableSession) -> None:
        """The validated session, with its names: show them, and begin if Begin was already pressed."""
        self.session = session
        self.facts = facts_of_session(session)
        self.query_one("#briefing-text", Static).update(briefing_text(self.facts))
        if self.begin_requested:
            self.action_begin()

    def on_button_pressed(self) -> None:
        self.action_begin()

    def action_begin(self) -> None:
        if self.session is None:
            self.begin_requested = True
            self.query_one("#begin", Button).label = WAITING_LABEL
            return
        self.app.show_play()  # type: ignore[attr-defined]
