"""The setup screen's roster editor: edit, remove, warn, save, and load the saved file again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, SelectionList

from simulator.bundled import resolve_map
from simulator.loading import load_map, load_roster
from simulator.model import Participant, Roster
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.modals import ConfirmScreen
from simulator.tui.screens.save_roster import SaveRosterScreen
from simulator.tui.screens.setup import SetupScreen
from simulator.tui.setup_logic import (
    SetupError,
    add_participant,
    remove_participant,
    roster_yaml,
    save_roster,
)
from tests.tui_support import make_app, settle

SCENARIO = "ransomware-file-server"
MSP = load_map(resolve_map("msp"))


def setup_app(workspace: Path, **options: Any) -> Any:
    return make_app(workspace, scenario=SCENARIO, mode="facilitated", seed=3, **options)


def people(screen: SetupScreen) -> dict[str, list[str]]:
    roster = screen.plan.roster
    return {p.name: list(p.roles) for p in roster.participants} if roster else {}


async def add(pilot: Any, name: str, *ticks: int) -> None:
    """Type a name, tick the roles at the given list positions (from 0), press Add."""
    screen = pilot.app.screen
    screen.query_one("#person", Input).value = name
    await settle(pilot)
    roles = screen.query_one("#person-roles", SelectionList)
    for position in ticks:
        roles.select(roles.get_option_at_index(position).value)
    await pilot.click("#add")
    await settle(pilot)


# --- the rules, without a screen ---------------------------------------------------------


def test_a_known_name_updates_that_person_in_place() -> None:
    roster = add_participant(None, "Dana", ["soc-analyst"])
    roster = add_participant(roster, "Sam", ["soc-senior"])
    roster = add_participant(roster, "  dana ", ["msp-duty-engineer", "soc-analyst"])
    assert [(p.name, p.roles) for p in roster.participants] == [
        ("dana", ["msp-duty-engineer", "soc-analyst"]),
        ("Sam", ["soc-senior"]),
    ]


def test_a_person_without_roles_is_refused_with_a_reason() -> None:
    with pytest.raises(SetupError, match="Dana holds no role"):
        add_participant(None, "Dana", [])


def test_removing_somebody_not_in_the_room_names_who_is() -> None:
    roster = Roster(participants=[Participant(name="Dana", roles=["soc-analyst"])])
    with pytest.raises(SetupError, match=r"nobody called 'Dan' is in the room \(in the room: Dana\)"):
        remove_participant(roster, "Dan")
    assert remove_participant(roster, "DANA") is None


def test_saved_roster_strips_controls_and_never_replaces_without_asking(tmp_path: Path) -> None:
    roster = Roster(participants=[Participant(name="Eve\x1b[2J\x07 Ops", roles=["soc-analyst"])])
    target = tmp_path / "team.yaml"
    target.write_text("kept\n")
    with pytest.raises(FileExistsError):
        save_roster(target, roster, MSP)
    assert target.read_text() == "kept\n"
    save_roster(target, roster, MSP, replace=True)
    assert "\x1b" not in target.read_text() and "\x07" not in target.read_text()
    [eve] = load_roster(target, MSP).participants
    assert (eve.name, eve.roles) == ("Eve[2J Ops", ["soc-analyst"])
    assert "participants:" in roster_yaml(roster, MSP)


# --- the screen ----------------------------------------------------------------------------


async def test_typing_a_known_name_brings_back_their_roles(tmp_path: Path) -> None:
    app = setup_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await add(pilot, "Dana", 0, 2)
        assert people(screen) == {"Dana": ["msp-service-manager", "msp-account-manager"]}
        await pilot.click("#person")
        await pilot.press(*"Dana")
        await settle(pilot)
        ticked = screen.query_one("#person-roles", SelectionList).selected
        assert sorted(ticked) == ["msp-account-manager", "msp-service-manager"]
        assert str(screen.query_one("#add").label) == "Update"  # type: ignore[attr-defined]
        # Untick one role and update: Dana keeps the other, nobody is added.
        screen.query_one("#person-roles", SelectionList).deselect("msp-account-manager")
        await pilot.click("#add")
        await settle(pilot)
        assert people(screen) == {"Dana": ["msp-service-manager"]}


async def test_enter_on_a_row_edits_and_ctrl_r_removes_after_asking(tmp_path: Path) -> None:
    app = setup_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await add(pilot, "Dana", 0)
        await add(pilot, "Sam", 3)
        table = screen.query_one("#roster-table", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#person", Input).value == "Sam"
        assert list(screen.query_one("#person-roles", SelectionList).selected) == ["soc-analyst"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep
        await settle(pilot)
        assert set(people(screen)) == {"Dana", "Sam"}
        await pilot.press("ctrl+r", "y")
        await settle(pilot)
        assert people(screen) == {"Dana": ["msp-service-manager"]}


async def test_removing_an_unknown_name_says_so(tmp_path: Path) -> None:
    app = setup_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await add(pilot, "Dana", 0)
        app.screen.query_one("#person", Input).value = "Dann"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        messages = [n.message for n in app._notifications]
        assert "Nobody called 'Dann' is in the room (in the room: Dana)" in messages


async def test_a_person_with_no_role_is_not_added(tmp_path: Path) -> None:
    app = setup_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await add(pilot, "Dana")
        assert people(app.screen) == {}
        assert any("Dana holds no role" in n.message for n in app._notifications)


async def test_roster_saved_then_played_again_with_roster_option(tmp_path: Path) -> None:
    workspace = tmp_path / "reports"
    saved = tmp_path / "team.yaml"
    app = setup_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name, tick in (("Dana", 0), ("Sam", 3), ("Lee", 4), ("Ana", 5), ("Bo", 1), ("Kim", 2)):
            await add(pilot, name, tick)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SaveRosterScreen)
        app.screen.query_one("#roster-path", Input).value = str(saved)
        await pilot.press("enter")
        await settle(pilot)
        assert saved.is_file()
        # Saving again to the same file asks before replacing it.
        await pilot.press("ctrl+o", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
    expected = {
        "Dana": ["msp-service-manager"],
        "Sam": ["soc-analyst"],
        "Lee": ["soc-senior"],
        "Ana": ["soc-lead"],
        "Bo": ["msp-duty-engineer"],
        "Kim": ["msp-account-manager"],
    }
    assert {p.name: p.roles for p in load_roster(saved, MSP).participants} == expected
    again = setup_app(workspace, roster=saved)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, BriefingScreen)  # everything given: straight to the briefing
    [folder] = [p for p in workspace.iterdir() if p.is_dir()]
    header = json.loads((folder / "journal.jsonl").read_text().splitlines()[0])
    assert {p["name"]: p["roles"] for p in header["roster"]} == expected


async def test_a_roster_file_typed_in_is_loaded_and_shown(tmp_path: Path) -> None:
    roster_file = tmp_path / "room.yaml"
    roster_file.write_text("participants:\n  - name: Dana\n    roles: [soc-analyst]\n  - name: Sam\n    roles: []\n")
    app = setup_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#roster-file", Input).value = str(roster_file)
        screen.query_one("#roster-file", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert people(screen) == {"Dana": ["soc-analyst"], "Sam": []}
        assert any("No role for Sam" in n.message for n in app._notifications)
        assert screen.query_one("#roster-table", DataTable).row_count == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # Sam holds no role: start anyway?


async def test_the_palette_offers_the_roster_actions(tmp_path: Path) -> None:
    app = setup_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Save roster as…", "Load roster", "Remove participant", "Screenshot"} <= set(titles)
