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
