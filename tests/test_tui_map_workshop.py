"""The map workshop and the debrief's "map is wrong", driven by keys through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, SelectionList

from simulator.audit import audit_map
from simulator.authoring.mapdiff import diff_maps
from simulator.bundled import MAP_DIR
from simulator.loading import load_map, load_scenario
from simulator.play import start_session, whole_team
from simulator.tui.options import MapEditRequest
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.hotwash import HotwashScreen
from simulator.tui.screens.map_modals import DemoteScreen, DeputyScreen, LineScreen, PartyScreen, RoleScreen
from simulator.tui.screens.map_revision import MapRevisionScreen
from simulator.tui.screens.map_workshop import MapWorkshopScreen
from simulator.tui.screens.modals import ConfirmScreen
from tests.tui_support import FIXED_START, make_app, settle


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def workshop_app(request: MapEditRequest) -> Any:
    return make_app(Path("reports"), map_edit=request)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def screen(pilot: Pilot[Any]) -> Any:
    return pilot.app.screen


async def test_build_a_map_from_blank_by_keys_alone() -> None:
    roles = [("duty-lead", "Duty lead"), ("engineer", "Engineer"), ("analyst", "Analyst"), ("comms", "Comms lead")]
    app = workshop_app(MapEditRequest(None, "acme", Path("roles/acme.yaml")))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first start point: blank
        await settle(pilot)
        assert isinstance(screen(pilot), PartyScreen)
        await type_text(pilot, "ops")
        await pilot.press("enter")
        await type_text(pilot, "Operations")
        await pilot.press("enter")
        await settle(pilot)
        for number, (role_id, name) in enumerate(roles):
            if number:
                await pilot.press("n")
                await settle(pilot)
            assert isinstance(screen(pilot), RoleScreen)
            await type_text(pilot, role_id)
            await pilot.press("enter")
            await type_text(pilot, name)
            await pilot.press("enter")
            await settle(pilot)
        workshop = screen(pilot)
        assert isinstance(workshop, MapWorkshopScreen)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("home")  # the first role's column
        for row in range(24):
            if row and row % 6 == 0:
                await pilot.press("right")  # six rows per role keeps everyone under the overload limit
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(screen(pilot), LineScreen)
            await type_text(pilot, f"Reason {row}")
            await pilot.press("enter")
            await pilot.pause()
        assert not workshop.walking
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = load_map("roles/acme.yaml")
    assert len(saved.assignments) == 24
    assert saved.assignments["detection.monitoring"].A == "duty-lead"
    assert saved.assignments["confirmation.senior"].why == "Reason 7"
    assert saved.assignments["documentation.archive"].A == "comms"
    assert audit_map(saved).findings == ()
    assert Path("roles/acme.yaml").read_text().startswith("# yaml-language-server: $schema=../schemas/")


async def test_revise_a_bundled_map_and_diff_the_versions() -> None:
    app = workshop_app(MapEditRequest(MAP_DIR / "msp.yaml", None, Path("roles/msp.yaml")))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        workshop = screen(pilot)
        workshop.grid.jump("containment.authorize", "msp-duty-engineer")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(screen(pilot), DemoteScreen)
        await pilot.press("c")  # the client IT lead is now consulted
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "msp-night-lead")
        await pilot.press("enter")
        await type_text(pilot, "MSP night lead")
        await pilot.press("enter")
        await settle(pilot)
        assert workshop.grid.current[1] == "msp-night-lead"
        await pilot.press("d")
        await settle(pilot)
        deputies = screen(pilot)
        assert isinstance(deputies, DeputyScreen)
        # none, then every other role in party order: the duty engineer is the second MSP role.
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        workshop.grid.jump("containment.emergency", "msp-night-lead")
        await pilot.press("r")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not workshop.draft.changed
    revised = load_map("roles/msp.yaml")
    result = diff_maps(load_map(MAP_DIR / "msp.yaml"), revised)
    assert [(c.responsibility, c.old, c.new) for c in result.owners] == [
        ("containment.authorize", "client-it-lead", "msp-duty-engineer")
    ]
    assert [(c.responsibility, c.role, c.letter, c.gained) for c in result.letters] == [
        ("containment.authorize", "msp-duty-engineer", "R", False),
        ("containment.authorize", "client-it-lead", "C", True),
        ("containment.emergency", "msp-night-lead", "R", True),
    ]
    assert [(r.role, r.kind, r.detail) for r in result.roles] == [
        ("msp-night-lead", "added", "MSP night lead, MSP operations, deputy msp-duty-engineer")
    ]


async def test_saving_over_a_file_asks_and_keeps_the_old_version() -> None:
    target = Path("roles/msp.yaml")
    target.parent.mkdir()
    original = (MAP_DIR / "msp.yaml").read_text()
    target.write_text(original)
    app = workshop_app(MapEditRequest(target, None, target))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen(pilot).grid.jump("detection.triage", "vendor-support")
        await pilot.press("i", "ctrl+s")
        await settle(pilot)
        assert isinstance(screen(pilot), ConfirmScreen)
        assert target.read_text() == original  # nothing written before the answer
        await pilot.press("y")
        await settle(pilot)
    history = list(Path("roles/.history").iterdir())
    assert [p.read_text() for p in history] == [original]
    assert history[0].name.startswith("msp.2026-") or history[0].name.startswith("msp.20")
    assert "vendor-support" in load_map(target).assignments["detection.triage"].I


async def test_undo_takes_back_the_last_cell() -> None:
    app = workshop_app(MapEditRequest(MAP_DIR / "saas.yaml", None, Path("roles/saas.yaml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        workshop = screen(pilot)
        rid, role = workshop.grid.current
        before = workshop.draft.letters(rid, role)
        await pilot.press("x")
        assert workshop.draft.letters(rid, role) == ""
        await pilot.press("u")
        assert workshop.draft.letters(rid, role) == before


async def test_a_finding_jumps_to_its_cell() -> None:
    app = workshop_app(MapEditRequest(MAP_DIR / "msp.yaml", None, Path("roles/msp.yaml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        workshop = screen(pilot)
        workshop.grid.jump("investigation.lead", "soc-lead")
        await pilot.press("x")  # soc-lead was the A: a map gap
        await settle(pilot)
        workshop.grid.jump("detection.monitoring", None)
        await pilot.press("bracketright")
        await settle(pilot)
        assert workshop.grid.current[0] == "investigation.lead"
        findings = workshop.query_one("#audit-findings", OptionList)
        assert findings.highlighted == 0


async def test_at_80_columns_the_audit_starts_hidden_with_its_verdict_in_the_title() -> None:
    """Beside the audit, 80 columns show three roles; without it, eight: the verdict stays in view."""
    app = workshop_app(MapEditRequest(MAP_DIR / "msp.yaml", None, Path("roles/msp.yaml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        workshop = screen(pilot)
        panel, title = workshop.query_one("#audit-panel"), workshop.query_one("#workshop-title")
        assert not panel.display
        assert str(title.render()).startswith("✓ ready (t) Map workshop MSP with outsourced SOC")
        workshop.grid.jump("investigation.lead", "soc-lead")
        await pilot.press("x")  # soc-lead was the A: a map gap
        await settle(pilot)
        assert str(title.render()).startswith("✗ 1 problem (t) Map workshop")
        await pilot.press("t")
        await settle(pilot)
        assert panel.display and str(title.render()).startswith("Map workshop")
        await pilot.press("t")
        await settle(pilot)
        assert not panel.display


async def test_at_100_columns_the_audit_is_beside_the_grid() -> None:
    app = workshop_app(MapEditRequest(MAP_DIR / "msp.yaml", None, Path("roles/msp.yaml")))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert screen(pilot).query_one("#audit-panel").display
        assert str(screen(pilot).query_one("#workshop-title").render()).startswith("Map workshop")


async def test_leaving_with_unsaved_changes_asks() -> None:
    app = workshop_app(MapEditRequest(MAP_DIR / "msp.yaml", None, Path("roles/msp.yaml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "q")
        await settle(pilot)
        assert isinstance(screen(pilot), ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(screen(pilot), MapWorkshopScreen)
    assert not Path("roles/msp.yaml").exists()


async def test_home_opens_the_workshop() -> None:
    app = make_app(Path("reports"), offer_resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(pilot.app.screen_stack[-2], MapWorkshopScreen)
        await pilot.press("escape")  # the start-point dialog: back home
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "HomeScreen"


def finished_session(workspace: Path, drifts: dict[str, str]) -> Path:
    """The ransomware scenario against the bundled MSP map, owner answers except `drifts`."""
    scenario_path = Path(__file__).resolve().parent.parent / "scenarios" / "ransomware-file-server.yaml"
    authority_map = load_map(MAP_DIR / "msp.yaml")
    session = start_session(
        workspace=workspace,
        scenario_path=scenario_path,
        scenario=load_scenario(scenario_path),
        map_path=MAP_DIR / "msp.yaml",
        authority_map=authority_map,
        roster=whole_team(authority_map),
        seed=5,
        mode="facilitated",
        now=FIXED_START,
    )
    engine = session.engine
    engine.start()
    while not engine.finished:
        pending = engine.pending_decision
        assert pending is not None
        decision = pending.decision
        if decision.id == "who-authorises-isolation":
            engine.note("Contract lets the MSP isolate first and tell the client after.")
        engine.answer([drifts.get(decision.id, authority_map.assignments[decision.responsibility].A)])
    session.close()
    return session.folder


async def test_two_drifts_marked_in_the_debrief_become_the_revised_map() -> None:
    folder = finished_session(
        Path("reports"),
        {
            "who-authorises-isolation": "msp-duty-engineer",
            "who-speaks-to-client": "soc-lead",
            "who-files-notification": "vendor-support",
        },
    )
    app = make_app(Path("reports"), resume=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)
        await pilot.press("m")
        await settle(pilot)
        revision = pilot.app.screen
        assert isinstance(revision, MapRevisionScreen)
        marks = revision.query_one("#marks", SelectionList)
        assert [c.decision for c in revision.candidates] == [
            "who-authorises-isolation",
            "who-speaks-to-client",
            "who-files-notification",
        ]
        await pilot.press("space", "down", "space", "ctrl+s")  # the first two; the third stays a training point
        await settle(pilot)
        assert list(marks.selected) == ["who-authorises-isolation#1", "who-speaks-to-client#1"]
        assert isinstance(pilot.app.screen, DebriefScreen)
    revised = load_map("roles/msp.yaml")
    result = diff_maps(load_map(MAP_DIR / "msp.yaml"), revised)
    assert [(c.responsibility, c.old, c.new) for c in result.owners] == [
        ("containment.authorize", "client-it-lead", "msp-duty-engineer")
    ]
    assert [(c.responsibility, c.role, c.letter, c.gained) for c in result.letters] == [
        ("containment.authorize", "client-it-lead", "R", True),
        ("containment.authorize", "msp-duty-engineer", "R", False),
        ("communication.contact", "soc-lead", "R", True),
        ("communication.contact", "soc-lead", "C", False),
    ]
    assert [(w.responsibility, w.new) for w in result.whys] == [
        ("containment.authorize", "Contract lets the MSP isolate first and tell the client after.")
    ]
    assert result.roles == () and result.parties == ()
    assert (folder / "map-revisions.json").is_file()


async def test_twenty_roles_scroll_under_frozen_headers() -> None:
    from simulator.authoring.mapdraft import MapDraft
    from simulator.authoring.mapfile import map_yaml

    draft = MapDraft("big", "Big")
    for party in ("alpha", "beta", "gamma", "delta"):
        draft.add_party(party, party.capitalize())
    for number in range(20):
        draft.add_role(f"role-{number:02d}", f"Role {number}", ("alpha", "beta", "gamma", "delta")[number % 4])
    draft.set_cell("documentation.archive", "role-19", "A")
    Path("big.yaml").write_text(map_yaml(draft.to_model()))
    app = workshop_app(MapEditRequest(Path("big.yaml"), None, Path("big.yaml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = screen(pilot).grid
        assert grid.role_order == [f"role-{n:02d}" for p in range(4) for n in range(p, 20, 4)]  # by party
        assert len(grid.columns) == 21  # the titles, then the twenty roles
        assert grid.scroll_x == 0 and grid.scroll_y == 0
        await pilot.press("end", "ctrl+end")  # the last role, the last row
        await settle(pilot)
        assert grid.current == ("documentation.archive", "role-19")
        assert grid.scroll_x > 0 and grid.scroll_y > 0
        assert "Role 19" in str(screen(pilot).query_one("#cell-detail").render())


async def test_a_party_template_starts_the_walk_in_the_checklists_words() -> None:
    app = workshop_app(MapEditRequest(None, "Acme MSP", None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # blank, msp copy, saas copy, then the MSP template
        await settle(pilot)
        workshop = screen(pilot)
        assert isinstance(workshop, MapWorkshopScreen)
        assert workshop.walking
        assert workshop.target == Path("roles/acme-msp.yaml")
        banner = str(workshop.query_one("#walk-banner").render())
        assert "Who owns this?" in banner
        assert "detection 1/4" in banner
        assert "Security alerts are watched continuously." in banner
        await pilot.press("right", "a")  # the second MSP role owns alert monitoring
        await settle(pilot)
        await type_text(pilot, "The duty engineer watches the console at night.")
        await pilot.press("enter")
        await settle(pilot)
        assert workshop.draft.accountable("detection.monitoring") == "msp-duty-engineer"
        assert workshop.grid.current[0] == "detection.triage"
        assert "Analysts triage incoming alerts." in str(workshop.query_one("#walk-banner").render())


async def test_a_name_that_makes_no_id_keeps_the_dialog_open() -> None:
    app = workshop_app(MapEditRequest(None, "!!!", None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(screen(pilot)).__name__ == "NewMapScreen"
        assert "cannot make an id from '!!!'" in str(screen(pilot).query_one(".dialog-error").render())


async def test_map_is_wrong_from_the_hotwash_page_marks_that_answer() -> None:
    folder = finished_session(Path("reports"), {"who-speaks-to-client": "soc-lead"})
    app = make_app(Path("reports"), resume=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        hotwash = pilot.app.screen
        assert isinstance(hotwash, HotwashScreen)
        position = [item.answer_key for item in hotwash.items].index("who-speaks-to-client#1")
        await pilot.press("m")  # the first page was aligned: it cannot change the map, and says so
        await settle(pilot)
        revision = pilot.app.screen
        assert isinstance(revision, MapRevisionScreen)
        assert list(revision.query_one("#marks", SelectionList).selected) == []
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press(*["right"] * position, "m")
        await settle(pilot)
        revision = pilot.app.screen
        assert isinstance(revision, MapRevisionScreen)
        marks = revision.query_one("#marks", SelectionList)
        assert list(marks.selected) == ["who-speaks-to-client#1"]
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is hotwash and hotwash.index == position  # the hotwash carries on where it was
