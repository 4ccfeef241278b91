"""The question and the team's answer: decision header, question, countdown, role picker, ballots so far.

Data comes down through `show_decision`, `show_countdown` and `tally`; answers go up
as messages (`RolePicker.Submitted`, `AnswerPanel.NobodyPressed`), so the panel never
touches the engine and a host screen for remote seats can use it as it is.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from simulator.catalogue import CATALOGUE
from simulator.engine import Choice, PendingDecision
from simulator.tui.widgets.ballot_tally import BallotTally
from simulator.tui.widgets.countdown import Countdown
from simulator.tui.widgets.role_picker import RolePicker


class AnswerPanel(Vertical):
    class NobodyPressed(Message):
        """The Nobody button: record 'nobody / not sure'."""

    def __init__(self, choices: list[Choice], *, facilitated: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = choices
        self.facilitated = facilitated
        self.picker = RolePicker(choices, id="picker")
        self.countdown = Countdown(id="countdown")
        self.tally = BallotTally(id="ballot-status")

    def compose(self) -> ComposeResult:
        yield Static(id="decision-meta")
        yield Static(id="question")
        yield self.countdown
        yield self.picker
        with Horizontal(id="answer-buttons"):
            yield Button("Record ⏎", id="record", variant="primary", compact=True)
            yield Button("Nobody 0", id="nobody", variant="warning", compact=True)
        yield self.tally
        yield Static(Text("key beside a role ticks · Enter records", style="dim"), id="picker-hint")

    def on_mount(self) -> None:
        self.tally.display = self.facilitated

    def show_decision(self, pending: PendingDecision, number: int, of: int) -> None:
        """A new question: header, text, and a picker with nothing ticked."""
        responsibility = CATALOGUE.get(pending.decision.responsibility)
        meta = Text()
        meta.append(f"Decision {number} of {of}", style="bold")
        if responsibility is not None:
            meta.append(f" · {responsibility.title}", style="dim")
        if pending.decision.critical:
            meta.append("  CRITICAL", style="bold #e06c75")
        self.query_one("#decision-meta", Static).update(meta)
        self.query_one("#question", Static).update(Text(pending.ask, style="bold"))
        self.picker.reset()
        self.picker.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users record with the buttons under the picker."""
        event.stop()
        if event.button.id == "record":
            self.picker.action_submit()
        elif event.button.id == "nobody":
            self.post_message(self.NobodyPressed())
