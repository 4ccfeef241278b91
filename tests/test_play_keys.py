"""Help in every dialog, notes that ask before being thrown away, and clocks that stop when they should."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from simulator.journal import read_journal
from simulator.tui.screens.answer_modals import BallotScreen, FeedbackScreen
from simulator.tui.screens.modals import ConfirmScreen, HelpScreen, NotesScreen
from simulator.tui.screens.play import PlayScreen
from tests.test_tui import plain, static_text
from tests.tui_support import FakeClock, begin_play, make_app, settle

SCENARIO = "ransomware-file-server"


def roster(folder: Path) -> Path:
    path = folder / "room.yaml"
    path.write_text(
        "participants:\n  - {name: Dana, roles: [msp-service-manager]}\n  - {name: Sam, roles: [soc-analyst]}\n",
        encoding="utf-8",
    )
    return path


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def help_text(pilot: Pilot[Any]) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return plain(screen.query(Static)[1])


async def test_help_lists_the_screens_own_keys_first_and_the_palette_once(tmp_path: Path) -> None:
    app = make_app(tmp_path / "ws", scenario=SCENARIO, mode="facilitated", roster=roster(tmp_path), seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await press(pilot, "question_mark")
        text = help_text(pilot)
        assert text.count("ctrl+p") == 1
        own = text.index("Withdraw the last answer or a ballot")
        generic = text.index("In the focused list or field")
        assert own < text.index("Command palette") < generic
        assert text.index("Focus Next") > generic  # generic keys last
        assert "Tick a role: 1–9, then a c d f g h i j k l m for roles 10–20" in text


async def test_help_and_pause_work_inside_the_ballot_dialog(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path / "ws", clock, scenario=SCENARIO, mode="facilitated", roster=roster(tmp_path), seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await press(pilot, "2", "enter", "b")  # the second decision has a 90 s limit
        assert isinstance(app.screen, BallotScreen)
        await press(pilot, "f1")
        text = help_text(pilot)
        for description in ("Add a minute to the countdown", "Stop every clock", "Close the round"):
            assert description in text
        await press(pilot, "escape")
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        ballot = app.screen
        assert isinstance(ballot, BallotScreen)
        await press(pilot, "p")
        clock.advance(300)  # the room talks for five minutes
        ballot._tick()
        assert static_text(ballot, "#ballot-countdown") == "01:30 left to answer  (paused)\n"
        await press(pilot, "p", "1", "enter")
        assert isinstance(app.screen, BallotScreen) and app.screen.participant == "Sam"


async def test_enter_with_nothing_ticked_asks_before_casting_or_recording(tmp_path: Path) -> None:
    app = make_app(tmp_path / "ws", scenario=SCENARIO, mode="facilitated", roster=roster(tmp_path), seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await press(pilot, "b", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # back to Dana's ballot: nothing cast
        assert isinstance(app.screen, BallotScreen) and app.screen.participant == "Dana"
        await press(pilot, "enter", "y")  # yes: the highlighted role
        await press(pilot, "escape")
        play = app.screen
        assert isinstance(play, PlayScreen) and play.engine.ballots == {"Dana": ("msp-service-manager",)}
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert play.engine.answers == []
        await press(pilot, "enter", "y")
        assert [a.roles for a in play.engine.answers] == [("msp-service-manager",)]


async def test_a_typed_note_is_not_thrown_away_by_esc_and_stops_the_countdown(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await press(pilot, "2", "enter")  # on to the decision with a 90 s limit
        play = app.screen
        assert isinstance(play, PlayScreen)
        await press(pilot, "n", *"Dana froze")
        clock.advance(600)  # ten minutes of typing
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # keep writing
        assert isinstance(app.screen, NotesScreen)
        await press(pilot, "ctrl+s")
        assert app.screen is play
        play._tick()
        assert static_text(play, "#countdown").startswith("01:30 left to answer")
        assert len(play.engine.answers) == 1  # the limit did not pass while the note was typed
        await press(pilot, "n", "escape")  # an empty note closes at once
        assert app.screen is play
    notes = [e for e in read_journal(next(tmp_path.iterdir()) / "journal.jsonl").events if e["type"] == "note_added"]
    assert [n["text"] for n in notes] == ["Dana froze"]


async def test_solo_feedback_can_be_paused(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, scenario=SCENARIO, mode="solo", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        clock.advance(30)
        await press(pilot, "2", "enter")
        assert isinstance(app.screen, FeedbackScreen)
        await press(pilot, "p")
        assert "PAUSED at 00:30 played" in static_text(app.screen, "#feedback-status")
        clock.advance(900)  # a long read
        await press(pilot, "p", "enter")
        assert app.screen is play
        play._tick()
        assert "00:30 played" in static_text(play, "#clocks")


async def test_played_time_survives_a_resume(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        clock.advance(301)
        await press(pilot, "2", "enter")
        app.exit()
    [folder] = list(tmp_path.iterdir())
    resumed = make_app(tmp_path, clock, resume=folder)
    async with resumed.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        play = resumed.screen
        assert isinstance(play, PlayScreen)
        play._tick()
        assert "05:01 played" in static_text(play, "#clocks")
