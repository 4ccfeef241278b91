"""Every stage stays on the strip, whatever room the top bar leaves it."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from simulator.tui.widgets.stage_strip import StageStrip


class StripApp(App[None]):
    CSS = "StageStrip { width: 1fr; }"

    def compose(self) -> ComposeResult:
        yield StageStrip()


@pytest.mark.parametrize(
    ("width", "names"),
    [
        (100, ["Detect", "Confirm", "Contain", "Comms", "Investigate", "Document"]),
        (56, ["Detect", "Confirm", "Contain", "Comms", "Invest.", "Docs"]),
        (40, ["Det", "Conf", "Cont", "Comm", "Inv", "Doc"]),
    ],
)
async def test_all_six_stages_fit(width: int, names: list[str]) -> None:
    app = StripApp()
    async with app.run_test(size=(width, 3)) as pilot:
        strip = app.query_one(StageStrip)
        strip.current = "containment"
        strip.visited = ("detection", "confirmation", "containment")
        await pilot.pause()
        text = strip.render().plain
        assert len(text) <= width and "…" not in text
        assert [part.strip(" ✓▶") for part in text.split("›")] == names
