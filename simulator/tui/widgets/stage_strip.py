"""The six stages as a progress strip: done, current, revisited."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from simulator.catalogue import STAGES

LABELS = {
    "detection": "Detect",
    "confirmation": "Confirm",
    "containment": "Contain",
    "communication": "Comms",
    "investigation": "Investigate",
    "documentation": "Document",
}


class StageStrip(Widget):
    """Shows every stage; the current one highlighted, earlier ones ticked, revisits counted."""

    DEFAULT_CSS = """
    StageStrip { height: 1; width: 1fr; }
    """

    current: reactive[str | None] = reactive(None)
    visited: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        full = self._strip(compact=False)
        return full if full.cell_len <= self.size.width else self._strip(compact=True)

    def _strip(self, *, compact: bool) -> Text:
        counts = Counter(self.visited)
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, stage in enumerate(STAGES):
            label = LABELS[stage][:4] if compact else LABELS[stage]
            if counts[stage] > 1:
                label += f"×{counts[stage]}"
            if stage == self.current:
                style = "bold black on #f0b429"
                label = f"▶{label} "
            elif counts[stage]:
                style = "#7bc67b"
                label = f"✓{label} "
            else:
                style = "dim"
                label = f" {label} "
            text.append(label, style=style)
            if index < len(STAGES) - 1:
                text.append("›", style="dim")
        return text
