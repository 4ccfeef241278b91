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


# Shorter names for narrow windows: every stage stays on the strip, the current one still readable.
SHORT_LABELS = {
    "detection": "Detect",
    "confirmation": "Confirm",
    "containment": "Contain",
    "communication": "Comms",
    "investigation": "Invest.",
    "documentation": "Docs",
}


TINY_LABELS = {
    "detection": "Det",
    "confirmation": "Conf",
    "containment": "Cont",
    "communication": "Comm",
    "investigation": "Inv",
    "documentation": "Doc",
}


class StageStrip(Widget):
    """Shows every stage; the current one highlighted, earlier ones ticked, revisits counted."""

    DEFAULT_CSS = """
    StageStrip { height: 1; width: 1fr; }
    """

    current: reactive[str | None] = reactive(None)
    visited: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        for labels in (LABELS, SHORT_LABELS):
            strip = self._strip(labels)
            if strip.cell_len <= self.size.width:
                return strip
        return self._strip(TINY_LABELS)

    def _strip(self, labels: dict[str, str]) -> Text:
        counts = Counter(self.visited)
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, stage in enumerate(STAGES):
            label = labels[stage]
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
