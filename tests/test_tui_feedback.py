"""Solo practice feedback says what A and R mean, and why naming both counts as contested."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from simulator.tui.screens.answer_modals import FeedbackScreen
from simulator.tui.screens.play import PlayScreen
from tests.test_tui import plain
from tests.tui_support import begin_play, make_app, settle


async def test_naming_the_maps_a_and_r_is_explained_as_contested(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario="ransomware-file-server", mode="solo", player="Ana", seed=5)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        roles = [choice.role for choice in screen.engine.choices]
        # The first decision asks who watches the console: the map's A is soc-lead, its R soc-analyst.
        for role in ("soc-lead", "soc-analyst"):
            await pilot.press(str(roles.index(role) + 1))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        text = "\n".join(plain(s) for s in app.screen.query(Static))
        assert "Overlap — contested authority" in text
        assert "two owners means nobody knows who decides" in text
        assert "A SOC incident lead" in text and "R SOC analyst (L1)" in text
        assert (
            "A is accountable: the one role that owns the call and answers for it;"
            " R, responsible: the roles that do the work." in text
        )
