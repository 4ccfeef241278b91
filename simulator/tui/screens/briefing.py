"""The briefing: what the room is about to play, and how to answer."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from simulator.play import PlayableSession
from simulator.tui.options import MODE_LABELS

HOW_TO_PLAY = """\
At every step, read the inject aloud, then answer the question: who acts?
  1…9 / space   tick a role (tick several for a contested answer)
  Enter         record the answer (the highlighted role if none is ticked)
  0             nobody / not sure
  p pause · n note · ? help · ctrl+p every action"""


class BriefingScreen(Screen[None]):
    BINDINGS = [Binding("enter,s", "begin", "Begin", id="begin", tooltip="Start the first step")]

    def __init__(self, session: PlayableSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        engine = self.session.engine
        scenario = engine.scenario
        names = {r.id: r.name for r in engine.authority_map.roles}
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        # Text() everywhere: names and titles come from files and rosters, never from Rich markup.
        facts.add_row("Map", Text(engine.authority_map.title))
        facts.add_row("Mode", MODE_LABELS.get(self.session.mode, self.session.mode))
        facts.add_row("Length", f"about {scenario.duration_minutes} minutes · {len(scenario.decisions)} decisions")
        facts.add_row("Seed", str(engine.seed))
        if self.session.mode == "facilitated":
            for person in engine.roster.participants:
                facts.add_row(Text(person.name), Text(", ".join(names.get(r, r) for r in person.roles) or "no role"))
        with VerticalScroll(id="briefing"):
            yield Static(
                Group(
                    Text(engine.title, style="bold #f0b429"),
                    Text(""),
                    Text(engine.summary.strip()),
                    Text(""),
                    facts,
                    Text(""),
                    Text(HOW_TO_PLAY, style="#9aa5b1"),
                )
            )
        yield Button("Begin ▶ (Enter)", variant="primary", id="begin")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#begin", Button).focus()

    def on_button_pressed(self) -> None:
        self.action_begin()

    def action_begin(self) -> None:
        self.app.show_play()  # type: ignore[attr-defined]
