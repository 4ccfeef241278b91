"""Screenshots of the key screens at fixed sizes, with a fake clock and a fixed seed and start time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.tui.screens.debrief import DebriefScreen
from tests.tui_support import begin_play, make_app, nobody, settle

SCENARIO = "ransomware-file-server"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Session folders are shown relative to the working directory, so they read the same in every run.
    monkeypatch.chdir(tmp_path)


def solo(mode: str = "solo") -> Any:
    return make_app(Path("reports"), scenario=SCENARIO, mode=mode, player="Ana", seed=7)


def test_home(snap_compare: Any) -> None:
    assert snap_compare(make_app(Path("reports"), offer_resume=False), terminal_size=(100, 32), run_before=settle)


def test_briefing(snap_compare: Any) -> None:
    assert snap_compare(solo(), terminal_size=(100, 32), run_before=settle)


def test_decision(snap_compare: Any) -> None:
    assert snap_compare(solo(), terminal_size=(100, 32), run_before=begin_play)


def test_decision_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(solo(), terminal_size=(80, 24), run_before=begin_play)


def test_practice_feedback(snap_compare: Any) -> None:
    async def drift(pilot: Pilot[Any]) -> None:
        await begin_play(pilot)
        await pilot.press("7", "enter")
        await settle(pilot)

    assert snap_compare(solo(), terminal_size=(100, 32), run_before=drift)


def test_debrief(snap_compare: Any) -> None:
    async def play_through(pilot: Pilot[Any]) -> None:
        await begin_play(pilot)
        for turn in range(60):
            if isinstance(pilot.app.screen, DebriefScreen):
                break
            await pilot.press(str(turn % 4 + 1), "enter") if turn % 3 else await nobody(pilot)
            await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)

    assert snap_compare(solo("assessment"), terminal_size=(100, 32), run_before=play_through)


def facilitated() -> Any:
    Path("room.yaml").write_text(
        "participants:\n"
        "  - {name: Dana Whitfield, roles: [msp-service-manager, msp-account-manager, msp-duty-engineer]}\n"
        "  - {name: Sam Okafor, roles: [soc-analyst]}\n"
        "  - {name: Lee Chen, roles: [soc-senior]}\n"
        "  - {name: Ria Patel, roles: [client-it-lead]}\n"
        "  - {name: Tom Berg, roles: [vendor-support]}\n"
        "  - {name: Kim Ode, roles: [soc-lead]}\n",
        encoding="utf-8",
    )
    return make_app(Path("reports"), scenario=SCENARIO, mode="facilitated", roster=Path("room.yaml"), seed=7)


async def to_timed_decision(pilot: Pilot[Any]) -> None:
    """Past the first decision to the second, which has a 90-second limit; two ballots cast."""
    await begin_play(pilot)
    await pilot.press("2", "enter")
    await without_toasts(pilot)
    await pilot.press("b")
    await settle(pilot)
    for key in "24":
        await pilot.press(key, "enter")
        await settle(pilot)


async def without_toasts(pilot: Pilot[Any]) -> None:
    """A toast times out in real time, so a busy machine may catch it or not: clear it while its screen is on top."""
    pilot.app.clear_notifications()
    await settle(pilot)


SIZES = [(80, 24), (100, 32)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "100x32"])
def test_ballot_with_its_countdown(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(facilitated(), terminal_size=size, run_before=to_timed_decision)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "100x32"])
def test_room_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def room_view(pilot: Pilot[Any]) -> None:
        await to_timed_decision(pilot)
        await pilot.press("escape")  # end the round: two of six voted
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(facilitated(), terminal_size=size, run_before=room_view)
