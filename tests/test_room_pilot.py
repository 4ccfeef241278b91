"""A whole facilitated exercise with six people around one screen, checked against the journal and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from simulator.corrections import corrections, standing_answers, withdrawn_ballots
from simulator.journal import read_journal
from simulator.reporting.files import session_report
from simulator.sessions import load_session
from simulator.tui.screens.answer_modals import BallotScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.modals import ConfirmScreen, WithdrawScreen
from simulator.tui.screens.play import PlayScreen
from simulator.tui.widgets.room_view import RoomView
from tests.test_tui import static_text
from tests.tui_support import FakeClock, begin_play, make_app, settle

SCENARIO = "ransomware-file-server"
ROOM = ["Dana Whitfield", "Sam Okafor", "Lee Chen", "Ria Patel", "Tom Berg", "Kim Ode"]


def write_roster(folder: Path) -> Path:
    roster = folder / "room.yaml"
    roster.write_text(
        "participants:\n"
        "  - {name: Dana Whitfield, roles: [msp-service-manager, msp-account-manager, msp-duty-engineer]}\n"
        "  - {name: Sam Okafor, roles: [soc-analyst]}\n"
        "  - {name: Lee Chen, roles: [soc-senior]}\n"
        "  - {name: Ria Patel, roles: [client-it-lead]}\n"
        "  - {name: Tom Berg, roles: [vendor-support]}\n"
        "  - {name: Kim Ode, roles: [soc-lead]}\n",
        encoding="utf-8",
    )
    return roster


def play_screen(pilot: Pilot[Any]) -> PlayScreen:
    screen = pilot.app.screen
    assert isinstance(screen, PlayScreen), screen
    return screen


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def cast(pilot: Pilot[Any], who: str, key: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, BallotScreen) and screen.participant == who
    await press(pilot, key, "enter")


async def withdraw(pilot: Pilot[Any], option: int, reason: str) -> None:
    await press(pilot, "u")
    assert isinstance(pilot.app.screen, WithdrawScreen)
    await press(pilot, *(["down"] * option), "enter")
    assert isinstance(pilot.app.screen.focused, Input)
    await press(pilot, *reason, "enter")


def asked(pilot: Pilot[Any]) -> str:
    pending = play_screen(pilot).engine.pending_decision
    assert pending is not None
    return pending.decision.id


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_a_facilitated_exercise_for_six_people(tmp_path: Path, size: tuple[int, int]) -> None:
    clock = FakeClock()
    workspace = tmp_path / "ws"
    app = make_app(workspace, clock, scenario=SCENARIO, mode="facilitated", roster=write_roster(tmp_path), seed=2)
    async with app.run_test(size=size) as pilot:
        await begin_play(pilot)
        assert asked(pilot) == "who-watches-console"
        assert isinstance(app.screen, PlayScreen)  # ballots wait for the facilitator's word

        # Decision 1: the whole room votes; the tally shows only once everyone has.
        await press(pilot, "b")
        for who, key in zip(ROOM[:5], "22124", strict=True):
            await cast(pilot, who, key)
            if who != ROOM[4]:
                continue
            assert "Voted 5 of 6" in static_text(app.screen.app.screen_stack[-2], "#ballot-status")
        await cast(pilot, ROOM[5], "2")
        play = play_screen(pilot)
        assert static_text(play, "#ballot-status").startswith("Ballots (6): MSP on-call engineer ×4")
        await press(pilot, "2", "enter")

        # Decision 2 (critical, 90 s): time runs out while the room votes, after a minute was added.
        assert asked(pilot) == "who-triages-edr"
        await press(pilot, "b")
        for who, key in zip(ROOM[:3], "442", strict=True):
            await cast(pilot, who, key)
        ballot = app.screen
        assert isinstance(ballot, BallotScreen) and ballot.participant == ROOM[3]
        assert static_text(ballot, "#ballot-countdown").startswith("01:30 left to answer")
        await press(pilot, "t")
        assert static_text(ballot, "#ballot-countdown").startswith("02:30 left to answer")
        clock.advance(151)
        play._tick()
        await settle(pilot)
        assert app.screen is play and asked(pilot) == "who-calls-real-incident"

        # Decision 3: a wrong key, withdrawn and answered again.
        await press(pilot, "1", "enter")
        assert asked(pilot) == "who-confirms-ransomware"
        await withdraw(pilot, 0, "mis-keyed")
        assert asked(pilot) == "who-calls-real-incident"
        await press(pilot, "4", "enter")

        # Decision 4 (critical): a ballot withdrawn after the round, then the rest of the room votes.
        assert asked(pilot) == "who-confirms-ransomware"
        await press(pilot, "b")
        await cast(pilot, ROOM[0], "5")
        await cast(pilot, ROOM[1], "8")  # Sam meant 5
        await press(pilot, "escape")  # end the round early
        await withdraw(pilot, 2, "wrong digit")  # options: last answer, Dana's ballot, Sam's ballot
        assert set(play.engine.ballots) == {ROOM[0]}
        await press(pilot, "b")  # those who have not voted
        for who in ROOM[1:]:
            await cast(pilot, who, "5")
        await press(pilot, "5", "enter")

        # The room view, on and off.
        await press(pilot, "v")
        room = play.query_one(RoomView)
        assert room.display and not play.query_one("#play-body").display
        assert asked(pilot) == "who-sets-severity"
        assert "Who" in static_text(play, "#room-question")
        assert "decision 5 of 18" in static_text(play, "#room-decision-label")
        await press(pilot, "1")  # answering keys rest while the room view shows
        assert not play.panel.picker.selected
        await press(pilot, "v")
        assert not room.display and play.query_one("#play-body").display
        app.exit()

    [folder] = list(workspace.iterdir())
    before = session_report(load_session(folder)).text("md")
    resumed = make_app(workspace, clock, resume=folder)
    async with resumed.run_test(size=size) as pilot:
        await settle(pilot)
        play = play_screen(pilot)
        assert asked(pilot) == "who-sets-severity"
        assert [a.decision for a in play.engine.answers] == [
            "who-watches-console",
            "who-triages-edr",
            "who-calls-real-incident",
            "who-confirms-ransomware",
        ]
        resumed.exit()
    assert session_report(load_session(folder)).text("md") == before  # the replay adds and changes nothing

    resumed = make_app(workspace, clock, resume=folder)
    async with resumed.run_test(size=size) as pilot:
        await settle(pilot)
        for turn in range(40):
            if isinstance(resumed.screen, DebriefScreen):
                break
            if isinstance(resumed.screen, ConfirmScreen):
                await press(pilot, "y")
            else:
                await press(pilot, "1" if turn % 2 else "3", "enter")
        assert isinstance(resumed.screen, DebriefScreen)

    events = read_journal(folder / "journal.jsonl").events
    timed_out = next(e for e in events if e["type"] == "answer_recorded" and e["decision"] == "who-triages-edr")
    assert timed_out["timed_out"] is True and timed_out["roles"] == []
    assert set(timed_out["ballots"]) == set(ROOM[:3])
    [extended] = [e for e in events if e["type"] == "time_extended"]
    assert (extended["decision"], extended["seconds"], extended["limit_s"]) == ("who-triages-edr", 60, 150)
    [answer_fix] = corrections(events)
    assert (answer_fix.withdrawn.decision, answer_fix.reason) == ("who-calls-real-incident", "mis-keyed")
    assert answer_fix.replaced_by is not None and answer_fix.replaced_by.roles == ("soc-analyst",)
    [ballot_fix] = withdrawn_ballots(events)
    assert (ballot_fix.participant, ballot_fix.roles, ballot_fix.reason) == (
        ROOM[1],
        ("client-it-lead",),
        "wrong digit",
    )
    standing = standing_answers(events)
    assert len({a.decision for a in standing}) == len(standing)  # one standing answer per decision
    confirmed = next(a for a in standing if a.decision == "who-confirms-ransomware")
    assert confirmed.ballots[ROOM[1]] == ("soc-senior",) and len(confirmed.ballots) == 6
    assert events[-1]["played_s"] >= 151  # played time carried over the restarts

    report = session_report(load_session(folder)).text("md")
    assert (
        "Backup job or attack? Who decides, against your criteria, that this is a real incident and not a false"
        " positive?: corrected from MSP service delivery manager to SOC analyst (L1) — mis-keyed" in report
    )
    assert "Sam Okafor on " in report and "Client IT lead (withdrawn) — wrong digit" in report
    assert "ballot Lee Chen: MSP on-call engineer" in report  # a ballot cast before time ran out
