"""Screenshots of the roster editor and the hotwash at fixed sizes (fixed seed, start time and clock)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from simulator.bundled import SCENARIO_DIR
from tests.test_tui_hotwash import finished_session
from tests.tui_support import make_app, settle

SCENARIO = "ransomware-file-server"
SIX_PEOPLE = """\
participants:
  - name: Dana Whitfield
    roles: [msp-service-manager, msp-account-manager, client-executive]
  - name: Sam Okafor
    roles: [soc-analyst]
  - name: Lee Park
    roles: [soc-senior]
  - name: Ana Souza
    roles: [soc-lead]
  - name: Bo Lindqvist
    roles: [msp-duty-engineer]
  - name: Kim Tanaka
    roles: [client-it-lead]
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(SIX_PEOPLE, encoding="utf-8")


async def six_people_in_the_room(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    field = pilot.app.screen.query_one("#roster-file", Input)
    field.value = "room.yaml"
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
    pilot.app.screen.query_one("#person", Input).focus()
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
def test_roster(snap_compare: Any, size: tuple[int, int]) -> None:
    app = make_app(Path("reports"), scenario=SCENARIO, mode="facilitated", seed=7)
    assert snap_compare(app, terminal_size=size, run_before=six_people_in_the_room)


async def open_hotwash(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
def test_hotwash(snap_compare: Any, size: tuple[int, int]) -> None:
    folder = finished_session(Path("reports"))
    app = make_app(Path("reports"), resume=folder)
    assert snap_compare(app, terminal_size=size, run_before=open_hotwash)


def test_home_at_80x24_with_a_local_copy(snap_compare: Any) -> None:
    """Each id once (the local copy marked), a readable summary, Next below the Seed box."""
    Path("scenarios").mkdir()
    text = (SCENARIO_DIR / "stolen-laptop.yaml").read_text(encoding="utf-8")
    Path("scenarios", "stolen-laptop.yaml").write_text(text.replace("title: ", "title: Our ", 1), encoding="utf-8")
    app = make_app(Path("reports"), offer_resume=False, seed=7)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
