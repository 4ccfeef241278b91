"""Text with terminal escapes from a file shows as plain text in the exercise screen."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from simulator.bundled import MAP_DIR
from simulator.tui.screens.briefing import BriefingScreen
from tests.tui_support import make_app, settle


async def test_a_map_title_with_escapes_shows_as_plain_text_on_the_briefing(tmp_path: Path) -> None:
    text = (MAP_DIR / "msp.yaml").read_text(encoding="utf-8")
    hostile = tmp_path / "map.yaml"
    title = 'title: "\\e[2J\\e]52;c;ZXZpbA==\\a MSP with outsourced SOC"'
    hostile.write_text(text.replace("title: MSP with outsourced SOC", title, 1), encoding="utf-8")
    app = make_app(tmp_path, scenario="ransomware-file-server", map=str(hostile), mode="solo", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        shown = []
        for widget in app.screen.query(Static):
            console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
            console.print(widget.content)
            shown.append(console.export_text())
    everything = "".join(shown)
    assert "[2J]52;c;ZXZpbA== MSP with outsourced SOC" in everything
    assert "\x1b" not in everything and "\x07" not in everything
