"""Shared helpers for the TUI tests: a fake clock and a deterministic app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from simulator.tui.app import TtxApp, create_app
from simulator.tui.options import LaunchOptions

FIXED_START = datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc)


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(workspace: Path, clock: FakeClock | None = None, **options: Any) -> TtxApp:
    return create_app(LaunchOptions(workspace=workspace, now=FIXED_START, clock=clock or FakeClock(), **options))


async def settle(pilot: Pilot[Any]) -> None:
    """Let pending messages run, and stop cursors blinking so screenshots are stable."""
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    # The footer re-reads the focused widget's bindings a moment after focus moves.
    await pilot.pause(0.1)
    await pilot.pause()


async def begin_play(pilot: Pilot[Any]) -> None:
    """From the briefing to the first decision."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def nobody(pilot: Pilot[Any]) -> None:
    """Record 'nobody / not sure', saying yes when a critical decision asks first."""
    from simulator.tui.screens.modals import ConfirmScreen

    await pilot.press("0")
    await settle(pilot)
    if isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("y")
        await settle(pilot)
