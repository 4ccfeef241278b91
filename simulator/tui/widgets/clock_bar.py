"""The top bar's clocks: the in-scenario clock, the time played, and PAUSED."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.tui.play_clock import mmss


class ClockBar(Static):
    def show(self, scenario_clock: str, played_s: float, *, paused: bool) -> None:
        text = Text()
        if scenario_clock:
            text.append(scenario_clock, style="bold #5fafff")
        text.append(f"  {mmss(played_s)} played", style="dim")
        if paused:
            text.append("  PAUSED", style="bold reverse #f0b429")
        self.update(text)
