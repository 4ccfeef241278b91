"""Screenshots of the host screen with seats and of its seats dialog (QR code), at fixed sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.tui.host import HostApp, Serving
from simulator.tui.options import LaunchOptions
from tests.seats_support import hosted
from tests.tui_support import FakeClock, settle


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HostApp:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("simulator.seats.registry.new_room_code", lambda: "K7QX-M2PA")
    session = hosted(Path("reports"))
    session.room.registry.take(session.room.registry.seats["s1"])  # one seat taken (not connected)
    serving = Serving("127.0.0.1", 0, public_url="https://ttx.example.org")
    return HostApp(session, serving, LaunchOptions(workspace=Path("reports"), clock=FakeClock()))


async def begin(pilot: Pilot[Any]) -> None:
    await pilot.press("enter")
    await settle(pilot)


def test_host_screen(app: HostApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(100, 32), run_before=begin)


def test_seats_dialog_with_qr_code(app: HostApp, snap_compare: Any) -> None:
    async def seats(pilot: Pilot[Any]) -> None:
        await begin(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=seats)
