"""The room view: what a projector shows to the people around the table.

The stage named in full, the question, and in large digits the time left, the
decision number and the minutes played; no picker, no story, nothing to squint at.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from simulator.catalogue import STAGES
from simulator.tui.play_clock import mmss
from simulator.tui.widgets.countdown import URGENT_S

STAGE_TITLES = {
    "detection": "Detection",
    "confirmation": "Confirmation",
    "containment": "Containment",
    "communication": "Communication",
    "investigation": "Investigation",
    "documentation": "Documentation",
}


class RoomView(Vertical):
    """Attributes down through `show_question` and `show_clocks`; it posts nothing."""

    def compose(self) -> ComposeResult:
        yield Static(id="room-stage")
        yield Static(id="room-question")
        with Horizontal(id="room-figures"):
            with Vertical(classes="room-figure", id="room-countdown-box"):
                yield Static("left to answer", classes="room-label", id="room-countdown-label")
                yield Digits("", id="room-countdown")
            with Vertical(classes="room-figure"):
                yield Static("decision", classes="room-label", id="room-decision-label")
                yield Digits("", id="room-decision")
            with Vertical(classes="room-figure"):
                yield Static("minutes played", classes="room-label", id="room-minutes-label")
                yield Digits("", id="room-minutes")
        yield Static(id="room-ballots")

    def show_question(self, stage: str | None, ask: str, number: int, of: int) -> None:
        if stage in STAGES:
            text = Text(f"Stage {STAGES.index(stage) + 1} of {len(STAGES)}  ", style="dim")
            text.append(STAGE_TITLES[stage], style="bold #f0b429")
        else:
            text = Text("")
        self.query_one("#room-stage", Static).update(text)
        self.query_one("#room-question", Static).update(Text(ask, style="bold"))
        self.query_one("#room-decision", Digits).update(str(number))
        self.query_one("#room-decision-label", Static).update(f"decision {number} of {of}")

    def show_clocks(self, remaining: float | None, played_s: float, planned_min: int, *, paused: bool) -> None:
        box = self.query_one("#room-countdown-box")
        box.display = remaining is not None
        if remaining is not None:
            digits = self.query_one("#room-countdown", Digits)
            digits.update(mmss(remaining, up=True))
            digits.set_class(remaining <= URGENT_S, "-urgent")
            label = "left to answer (paused)" if paused else "left to answer"
            self.query_one("#room-countdown-label", Static).update(label)
        minutes = int(played_s // 60)
        self.query_one("#room-minutes", Digits).update(str(minutes))
        self.query_one("#room-minutes-label", Static).update(f"minutes played of {planned_min}")

    def show_ballots(self, text: Text) -> None:
        self.query_one("#room-ballots", Static).update(text)
