"""The decision's countdown as one line: minutes and seconds left, amber, then red near the end."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.tui.play_clock import mmss

URGENT_S = 15  # the last seconds turn red


def countdown_text(remaining: float | None, *, paused: bool = False) -> Text:
    if remaining is None:
        return Text("")
    style = "bold #e06c75" if remaining <= URGENT_S else "bold #f0b429"
    text = Text(f"{mmss(remaining, up=True)} left to answer", style=style)
    if paused:
        text.append("  (paused)", style="dim")
    return text


class Countdown(Static):
    """Shows whatever it is given; hidden when the decision has no time limit."""

    DEFAULT_CSS = """
    Countdown { height: 1; }
    """

    def show(self, remaining: float | None, *, paused: bool = False) -> None:
        self.display = remaining is not None
        self.update(countdown_text(remaining, paused=paused))
