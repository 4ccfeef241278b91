"""Screenshots of the map workshop grid at fixed sizes, with an audit finding highlighted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.bundled import MAP_DIR
from simulator.tui.options import MapEditRequest
from tests.tui_support import make_app, settle


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def msp_workshop() -> Any:
    return make_app(Path("reports"), map_edit=MapEditRequest(MAP_DIR / "msp.yaml", None, Path("roles/msp.yaml")))


async def gap_found(pilot: Pilot[Any]) -> None:
    """Clear the investigation lead's owner, then jump to the first finding: that map gap."""
    await settle(pilot)
    pilot.app.screen.grid.jump("investigation.lead", "soc-lead")
    await pilot.press("x")
    pilot.app.screen.grid.jump("detection.monitoring", "msp-service-manager")
    await pilot.press("bracketright")
    await settle(pilot)


def test_workshop_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(msp_workshop(), terminal_size=(80, 24), run_before=gap_found)


def test_workshop_at_100x32(snap_compare: Any) -> None:
    assert snap_compare(msp_workshop(), terminal_size=(100, 32), run_before=gap_found)


def test_walk_from_a_template_at_80x24(snap_compare: Any) -> None:
    """The walk's question above the grid, which is drawn while the start-point dialog closes."""

    async def start_walk(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # the MSP party template
        await settle(pilot)

    app = make_app(Path("reports"), map_edit=MapEditRequest(None, "acme", None))
    assert snap_compare(app, terminal_size=(80, 24), run_before=start_walk)
