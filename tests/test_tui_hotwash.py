"""The hotwash from the debrief: every decision, one at a time; titles, plurals and a new exercise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from simulator.bundled import resolve_map, resolve_scenario
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.play import start_session
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.hotwash import HotwashScreen
from simulator.tui.screens.modals import ConfirmScreen, WithdrawScreen
from simulator.tui.screens.play import PlayScreen
from tests.test_tui import plain
from tests.tui_support import FIXED_START, make_app, settle

FIRST_QUESTION = "The alert fires at 02:14. Who is watching the EDR console at this hour and should see it first?"
SECOND_QUESTION = "Who triages this alert right now?"
NOTE = "Nobody knew who holds the console at night"


def finished_session(workspace: Path, mode: str = "facilitated") -> Path:
    """A played ransomware exercise: ballots and a note on the first decision, nobody on the second."""
    scenario_path, map_path = resolve_scenario("ransomware-file-server"), resolve_map("msp")
    authority_map = load_map(map_path)
    if mode == "facilitated":
        roster = Roster(
            participants=[
                Participant(name="Dana", roles=["msp-service-manager", "msp-account-manager", "client-executive"]),
                Participant(name="Sam", roles=["soc-analyst"]),
                Participant(name="Lee", roles=["soc-lead", "soc-senior"]),
            ]
        )
    else:
        roster = Roster(participants=[Participant(name="Ana", roles=authority_map.role_ids)])
    session = start_session(
        workspace=workspace,
        scenario_path=scenario_path,
        scenario=load_scenario(scenario_path),
        map_path=map_path,
        authority_map=authority_map,
        roster=roster,
        seed=7,
        mode=mode,  # type: ignore[arg-type]
        now=FIXED_START,
    )
    engine = session.engine
    engine.start()
    if mode == "facilitated":
        engine.cast_ballot("Dana", ["soc-lead"])
        engine.cast_ballot("Sam", ["soc-analyst"])
        engine.note(NOTE)
    engine.answer(["soc-lead"])
    engine.answer([])
    while not engine.finished:
        pending = engine.pending_decision
        assert pending is not None
        owner = authority_map.assignments[pending.decision.responsibility].A
        engine.answer([owner])
    session.close()
    return session.folder


def screen_text(screen: Any) -> str:
    return "\n".join(plain(static) for static in screen.query(Static))


async def test_hotwash_steps_through_every_decision(tmp_path: Path) -> None:
    folder = finished_session(tmp_path)
    app = make_app(tmp_path, resume=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        total = len(app.screen.session.engine.answers)
        await pilot.press("h")
        await settle(pilot)
        hotwash = app.screen
        assert isinstance(hotwash, HotwashScreen)
        first = screen_text(hotwash)
        assert f"decision 1 of {total}" in first and "Detection" in first
        assert FIRST_QUESTION in first
        assert "Alert monitoring" in first  # the responsibility's title, never its id
        assert "SOC incident lead" in first and "SOC analyst (L1)" in first  # the map's A and R
        assert "the SOC lead owns coverage and L1 analysts watch the queue" in first  # the map's why
        assert "1 of 2 ballots matched the team's answer" in first
        assert "Dana" in first and "Sam" in first
        assert NOTE in first
        await pilot.press("right")
        await settle(pilot)
        second = screen_text(hotwash)
        assert f"decision 2 of {total}" in second and SECOND_QUESTION in second
        assert "nobody / not sure" in second and "gap: nobody owned it" in second
        assert "none on this decision" in second and NOTE not in second
        await pilot.press("left")
        await settle(pilot)
        assert FIRST_QUESTION in screen_text(hotwash)
        await pilot.press("end")
        await settle(pilot)
        assert f"decision {total} of {total}" in screen_text(hotwash)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)


async def test_debrief_shows_titles_plurals_and_starts_a_new_exercise(tmp_path: Path) -> None:
    folder = finished_session(tmp_path)
    app = make_app(tmp_path, resume=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        text = screen_text(debrief)
        # The gap on the critical triage decision is named by its question, not its id.
        assert f"Gap on a critical decision: “{SECOND_QUESTION}”" in text
        assert "who-triages-edr" not in text and "detection.triage" not in text
        assert "Dana ⚠ many roles" in text  # three roles in a room of three
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # one keypress never leaves the debrief
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is debrief
        await pilot.press("n", "y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.session is None


@pytest.mark.parametrize("mode", ["solo", "assessment"])
async def test_no_many_roles_warning_for_a_solo_player(tmp_path: Path, mode: str) -> None:
    folder = finished_session(tmp_path, mode)
    app = make_app(tmp_path, resume=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app.screen)
        assert "Ana" in text and "many roles" not in text


async def test_the_answer_that_ended_the_exercise_can_be_withdrawn_from_the_debrief(tmp_path: Path) -> None:
    folder = finished_session(tmp_path)
    app = make_app(tmp_path, resume=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        engine = debrief.session.engine
        answered = len(engine.answers)
        last = engine.answers[-1].decision
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, WithdrawScreen)
        await pilot.press("escape")  # changing one's mind leaves the debrief as it was
        await settle(pilot)
        assert app.screen is debrief and engine.finished
        await pilot.press("u", "enter")
        await settle(pilot)
        await pilot.press(*"mis-keyed", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        pending = engine.pending_decision
        assert pending is not None and pending.decision.id == last
        assert len(engine.answers) == answered - 1 and not engine.finished
    withdrawn = [json.loads(line) for line in (folder / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    (event,) = [e for e in withdrawn if e["type"] == "answer_withdrawn"]
    assert (event["decision"], event["reason"]) == (last, "mis-keyed")


async def test_an_exercise_ended_early_cannot_be_reopened_from_the_debrief(tmp_path: Path) -> None:
    scenario_path, map_path = resolve_scenario("stolen-laptop"), resolve_map("msp")
    session = start_session(
        workspace=tmp_path,
        scenario_path=scenario_path,
        scenario=load_scenario(scenario_path),
        map_path=map_path,
        authority_map=load_map(map_path),
        roster=Roster(participants=[Participant(name="Ana", roles=["soc-lead"])]),
        seed=7,
        mode="solo",
        now=FIXED_START,
    )
    session.engine.start()
    session.engine.answer(["soc-lead"])
    session.engine.end()
    session.close()
    app = make_app(tmp_path, resume=session.folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is debrief and debrief.session.engine.end_reason == "stopped"
