"""After a crash `ttx` exits non-zero with whole file paths; the palette's screenshot says where it went."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import textual.message_pump

from tests.tui_support import begin_play, make_app, settle

CRASHING_TTX = """
import functools
from textual.app import App
from simulator.tui.screens.home import HomeScreen

App.run = functools.partialmethod(App.run, headless=True)  # no terminal in a test

def broken(self):
    raise RuntimeError("the home screen broke")

HomeScreen.on_mount = broken
from simulator.cli import main
main([])
"""


def test_a_crash_exits_non_zero_with_the_whole_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_TTX], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.rstrip().endswith("RuntimeError: the home screen broke")
    # Every frame names its file in full, however narrow the terminal was.
    pump = Path(textual.message_pump.__file__).resolve()
    assert f'  File "{pump}", line ' in result.stderr


async def test_screenshot_goes_to_the_session_folder_and_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario="ransomware-file-server", mode="assessment", player="Ana", seed=3)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        assert app.session is not None
        folder = app.session.folder
        app.action_screenshot()
        app.action_screenshot()  # a second one never replaces the first
        await settle(pilot)
        saved = sorted(folder.glob("screenshot-*-play*.svg"))
        assert len(saved) == 2 and all(p.read_text().startswith("<svg") for p in saved)
        messages = [n.message for n in app._notifications]
        assert {f"Screenshot saved to {path.resolve()}" for path in saved} == {
            m for m in messages if m.startswith("Screenshot saved to ")
        }


async def test_screenshot_without_a_session_goes_to_the_workspace_and_failure_says_why(tmp_path: Path) -> None:
    app = make_app(tmp_path / "reports", offer_resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.action_screenshot()
        await settle(pilot)
        [saved] = (tmp_path / "reports" / "screenshots").glob("screenshot-*-home.svg")
        (tmp_path / "blocked").write_text("a file where a folder should be\n")
        app.action_screenshot(path=str(tmp_path / "blocked" / "shots"))
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert f"Screenshot saved to {saved.resolve()}" in messages
        assert any(m.startswith("Screenshot not saved: cannot write ") and "Not a directory" in m for m in messages)
