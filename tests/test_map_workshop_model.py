"""The map workshop without a screen: the editing model, the writer, the diff, and debrief → map."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.audit import audit_map
from simulator.authoring.mapdiff import diff_maps, render_markdown, render_terminal, summary
from simulator.authoring.mapdraft import DraftError, MapDraft
from simulator.authoring.mapfile import MapFileError, WouldOverwrite, map_yaml, save_map_text
from simulator.authoring.maprevision import candidates, record_revision, revise_map
from simulator.authoring.mapstart import StartPoint, new_draft, start_points
from simulator.bundled import MAP_DIR
from simulator.cli import main
from simulator.loading import load_map, load_scenario
from simulator.map_revisions import resolved_by_map
from simulator.model import AuthorityMap
from simulator.play import start_session, whole_team
from simulator.scoring import score_session

MOMENT = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


def msp() -> AuthorityMap:
    return load_map(MAP_DIR / "msp.yaml")


def two_role_draft() -> MapDraft:
    draft = MapDraft("acme", "Acme")
    draft.add_party("ops", "Operations")
    draft.add_role("lead", "Duty lead", "ops")
    draft.add_role("admin", "Admin", "ops")
    return draft


# --- editing model -------------------------------------------------------------------


def test_a_new_a_demotes_the_previous_owner_to_r_by_default() -> None:
    draft = two_role_draft()
    draft.set_cell("containment.authorize", "lead", "A")
    displaced = draft.set_cell("containment.authorize", "admin", "A")
    assert displaced == "lead"
    row = draft.row("containment.authorize")
    assert (row.A, row.R, row.C, row.I) == ("admin", ["lead"], [], [])


def test_the_previous_owner_can_be_demoted_to_c_or_dropped() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_cell("detection.triage", "admin", "A", demote_to="C")
    assert draft.letters("detection.triage", "lead") == "C"
    draft.set_cell("detection.triage", "lead", "A", demote_to=None)
    assert draft.letters("detection.triage", "admin") == ""
    assert draft.accountable("detection.triage") == "lead"


def test_one_letter_per_cell_and_clear() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "admin", "R")
    draft.set_cell("detection.triage", "admin", "I")
    assert draft.row("detection.triage").R == []
    assert draft.row("detection.triage").I == ["admin"]
    draft.set_cell("detection.triage", "admin", None)
    assert draft.letters("detection.triage", "admin") == ""


def test_r_on_the_owner_keeps_the_a() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_cell("detection.triage", "lead", "R")
    assert draft.letters("detection.triage", "lead") == "AR"
    draft.set_cell("detection.triage", "lead", "A")
    assert draft.letters("detection.triage", "lead") == "A"
    draft.set_cell("detection.triage", "lead", "C")
    assert draft.accountable("detection.triage") is None


def test_undo_and_redo_walk_the_edits() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_why("detection.triage", "The lead answers the pager.")
    assert draft.undo()
    assert draft.row("detection.triage").why == ""
    assert draft.undo()
    assert draft.accountable("detection.triage") is None
    assert draft.redo()
    assert draft.accountable("detection.triage") == "lead"


def test_rejected_edits_leave_nothing_to_undo() -> None:
    draft = MapDraft("acme", "Acme")
    with pytest.raises(DraftError, match="add the party first"):
        draft.add_role("lead", "Lead", "nowhere")
    with pytest.raises(DraftError, match="lower-case"):
        draft.add_party("Ops Team", "Operations")
    assert not draft.can_undo


def test_why_is_one_line_without_control_characters() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_why("detection.triage", "Owns\x1b[2J the\n pager\x07.")
    assert draft.row("detection.triage").why == "Owns[2J the pager."


def test_changing_a_role_id_follows_into_rows_and_deputies() -> None:
    draft = two_role_draft()
    draft.set_deputy("admin", "lead")
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_cell("detection.monitoring", "lead", "C")
    draft.edit_role("lead", name="Incident lead", party="ops", new_id="incident-lead")
    assert draft.accountable("detection.triage") == "incident-lead"
    assert draft.row("detection.monitoring").C == ["incident-lead"]
    assert draft.role("admin").deputy == "incident-lead"


def test_removing_a_role_leaves_gaps_where_it_was_a() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_cell("detection.triage", "admin", "R")
    draft.set_cell("detection.monitoring", "lead", "A")
    assert draft.remove_role("lead") == ["detection.triage", "detection.monitoring"]
    assert draft.accountable("detection.triage") is None
    assert draft.row("detection.triage").R == ["admin"]
    assert "detection.triage" not in draft.to_model().assignments


def test_a_party_with_roles_cannot_go() -> None:
    draft = two_role_draft()
    with pytest.raises(DraftError, match="still has roles"):
        draft.remove_party("ops")


def test_roles_are_listed_grouped_by_party() -> None:
    draft = MapDraft("m", "M")
    draft.add_party("soc", "SOC")
    draft.add_party("client", "Client")
    draft.add_role("client-lead", "Client lead", "client")
    draft.add_role("analyst", "Analyst", "soc")
    assert draft.role_ids == ["analyst", "client-lead"]


def test_a_deputy_must_be_another_known_role() -> None:
    draft = two_role_draft()
    with pytest.raises(DraftError, match="own deputy"):
        draft.set_deputy("lead", "lead")
    with pytest.raises(DraftError, match="no role 'ghost'"):
        draft.set_deputy("lead", "ghost")


def test_an_owned_row_without_a_why_saves_with_a_todo_the_audit_reports() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    model = draft.to_model()
    assert model.assignments["detection.triage"].why == "TODO: why Duty lead is accountable for alert triage."
    kinds = {f.kind for f in audit_map(model).findings}
    assert "placeholder-why" in kinds


def test_a_map_without_roles_cannot_be_written_yet() -> None:
    with pytest.raises(DraftError, match="no party"):
        MapDraft("m", "M").to_model()


def test_each_finding_points_at_its_cell() -> None:
    from simulator.authoring.mapdraft import finding_cell

    draft = two_role_draft()
    for rid in ("detection.monitoring", "detection.triage", "detection.criteria"):
        draft.set_cell(rid, "lead", "A")
    draft.set_why("detection.triage", "The lead answers the pager.")
    cells: dict[str, tuple[str | None, str | None]] = {}
    for finding in audit_map(draft.to_model()).findings:
        cells.setdefault(finding.kind, finding_cell(draft, finding))
    assert cells["gap"] == ("detection.thresholds", None)  # the first responsibility nobody owns
    assert cells["idle-role"] == (None, "admin")
    assert cells["placeholder-why"] == ("detection.monitoring", "lead")


# --- starting points ----------------------------------------------------------------------


def test_start_points_offer_blank_bundled_and_templates() -> None:
    offered = [(p.kind, p.source) for p in start_points()]
    assert offered == [
        ("blank", ""),
        ("bundled", "msp"),
        ("bundled", "saas"),
        ("template", "msp"),
        ("template", "saas"),
    ]


def test_a_party_template_has_the_cast_but_no_owner() -> None:
    draft = new_draft("acme", "Acme MSP", StartPoint("template", "msp", ""))
    assert list(draft.parties) == ["msp", "soc", "vendor", "client"]
    assert len(draft.roles) == 11
    assert draft.to_model().assignments == {}


def test_a_bundled_copy_keeps_every_owner_under_the_new_id() -> None:
    model = new_draft("acme", "Acme MSP", StartPoint("bundled", "msp", "")).to_model()
    assert (model.id, model.title) == ("acme", "Acme MSP")
    assert model.assignments == msp().assignments


# --- writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["msp", "saas"])
def test_written_map_loads_back_equal(name: str) -> None:
    original = load_map(MAP_DIR / f"{name}.yaml")
    text = map_yaml(original)
    assert text.startswith("# yaml-language-server: $schema=../schemas/ttx-map.schema.json\n")
    assert load_map("copy.yaml", text) == original


def test_writer_quotes_whatever_a_why_holds() -> None:
    draft = two_role_draft()
    draft.set_cell("detection.triage", "lead", "A")
    draft.set_why("detection.triage", 'on: yes # not a comment: "quoted" [x]')
    model = draft.to_model()
    assert load_map("m.yaml", map_yaml(model)).assignments["detection.triage"].why == (
        'on: yes # not a comment: "quoted" [x]'
    )


def test_saving_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "roles" / "acme.yaml"
    saved = save_map_text(target, "id: acme\n", now=MOMENT)
    assert saved.previous is None
    assert target.read_text() == "id: acme\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["acme.yaml"]  # no temporary left


def test_saving_never_replaces_without_being_asked(tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    target.write_text("mine\n")
    with pytest.raises(WouldOverwrite):
        save_map_text(target, "new\n", now=MOMENT)
    assert target.read_text() == "mine\n"


def test_replacing_keeps_the_previous_version_in_history(tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    target.write_text("first\n")
    saved = save_map_text(target, "second\n", overwrite=True, now=MOMENT)
    assert saved.previous == tmp_path / ".history" / "acme.2026-12-01T0930.yaml"
    assert saved.previous.read_text() == "first\n"
    again = save_map_text(target, "third\n", overwrite=True, now=MOMENT)
    assert again.previous == tmp_path / ".history" / "acme.2026-12-01T0930-2.yaml"
    assert again.previous.read_text() == "second\n"
    assert target.read_text() == "third\n"


def test_saving_without_hard_links_still_writes_a_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_: object) -> None:
        raise PermissionError("operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "acme.yaml"
    save_map_text(target, "id: acme\n", now=MOMENT)
    assert target.read_text() == "id: acme\n"
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


def test_saving_refuses_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("not ours\n")
    link = tmp_path / "acme.yaml"
    os.symlink(elsewhere, link)
    with pytest.raises(MapFileError, match="not a regular file"):
        save_map_text(link, "x\n", overwrite=True, now=MOMENT)
    assert elsewhere.read_text() == "not ours\n"


# --- diff ----------------------------------------------------------------------------------


def revised_msp() -> AuthorityMap:
    draft = MapDraft.from_map(msp())
    draft.set_cell("containment.authorize", "msp-duty-engineer", "A")  # client-it-lead demoted to R
    draft.add_role("msp-night-lead", "MSP night lead", "msp", deputy="msp-duty-engineer")
    draft.set_cell("containment.emergency", "msp-night-lead", "R")
    return draft.to_model()


def test_diff_names_owner_changes_letters_and_roles() -> None:
    result = diff_maps(msp(), revised_msp())
    assert [(c.responsibility, c.old, c.new) for c in result.owners] == [
        ("containment.authorize", "client-it-lead", "msp-duty-engineer")
    ]
    assert [(c.responsibility, c.role, c.letter, c.gained) for c in result.letters] == [
        ("containment.authorize", "client-it-lead", "R", True),
        ("containment.authorize", "msp-duty-engineer", "R", False),
        ("containment.emergency", "msp-night-lead", "R", True),
    ]
    assert [(r.role, r.kind) for r in result.roles] == [("msp-night-lead", "added")]
    assert result.roles[0].detail == "MSP night lead, MSP operations, deputy msp-duty-engineer"
    assert result.whys == () and result.parties == ()
    assert summary(result) == "1 owner change, 3 R/C/I changes, 1 role change."


def test_diff_lists_a_removed_role_with_everything_it_lost() -> None:
    draft = MapDraft.from_map(msp())
    draft.remove_role("vendor-support")
    draft.remove_party("vendor")
    draft.rename_party("client", "Client IT")
    result = diff_maps(msp(), draft.to_model())
    assert [(r.role, r.kind, r.detail) for r in result.roles] == [
        ("vendor-support", "removed", "EDR vendor support engineer, Technology vendor")
    ]
    assert [(p.role, p.kind, p.detail) for p in result.parties] == [
        ("client", "changed", "renamed from 'Client-side administrators' to 'Client IT'"),
        ("vendor", "removed", "Technology vendor"),
    ]
    lost = {(c.responsibility, c.letter) for c in result.letters if c.role == "vendor-support"}
    held = {
        (rid, letter)
        for rid, a in msp().assignments.items()
        for letter in ("R", "C", "I")
        if "vendor-support" in getattr(a, letter)
    }
    assert ("detection.monitoring", "C") in lost  # roles/msp.yaml consults the vendor on monitoring
    assert lost == held and all(not c.gained for c in result.letters)
    assert result.owners == ()  # the vendor owned nothing in the bundled map


def test_diff_of_a_map_with_itself_is_empty() -> None:
    assert diff_maps(msp(), msp()).empty


def test_diff_markdown_escapes_names_from_the_file() -> None:
    draft = MapDraft.from_map(msp())
    draft.edit_role("soc-lead", name="SOC | lead *boss*", party="soc")
    draft.set_cell("detection.triage", "soc-lead", "A")
    text = render_markdown(diff_maps(msp(), draft.to_model()), "old.yaml", "new.yaml")
    assert "SOC \\| lead \\*boss\\* (soc-lead)" in text
    assert "renamed from 'SOC incident lead' to 'SOC \\| lead \\*boss\\*'" in text


def test_diff_terminal_strips_control_characters() -> None:
    from rich.console import Console

    draft = MapDraft.from_map(msp())
    draft.set_why("detection.triage", "ok")
    draft.edit_role("soc-lead", name="Lead", party="soc")
    model = draft.to_model()
    # A name can only carry a control character when read from a file: build one directly.
    roles = [r.model_copy(update={"name": "Evil\x1b]52;c;x\x07"}) if r.id == "soc-lead" else r for r in model.roles]
    hostile = model.model_copy(update={"roles": roles})
    console = Console(record=True, width=120, color_system=None)
    for part in render_terminal(diff_maps(msp(), hostile), "a\x1b[2J", "b"):
        console.print(part)
    assert "\x1b" not in console.export_text()


def test_cli_diff_markdown(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(map_yaml(revised_msp()))
    result = CliRunner().invoke(main, ["map", "diff", "msp", str(new), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "## Accountable owner (A)" in result.output
    assert (
        "| Containment authority (containment.authorize) | Client IT lead (client-it-lead) "
        "| MSP on-call engineer (msp-duty-engineer) |" in result.output
    )


def test_cli_diff_terminal_table(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(map_yaml(revised_msp()))
    result = CliRunner().invoke(main, ["map", "diff", "msp", str(new)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Accountable owner (A)" in result.output
    assert "msp-night-lead" in result.output


def test_cli_diff_bad_map_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\nparties: {a: A}\nroles: []\n")
    result = CliRunner().invoke(main, ["map", "diff", "msp", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.output


# --- debrief → map ------------------------------------------------------------------------------


def finished_session(tmp_path: Path, drifts: dict[str, str], notes: dict[str, str]) -> tuple[Path, object]:
    """Play the ransomware scenario against msp answering the owner, except `drifts` (decision -> role)."""
    scenario_path = Path("scenarios/ransomware-file-server.yaml")
    scenario = load_scenario(scenario_path)
    authority_map = msp()
    session = start_session(
        workspace=tmp_path / "reports",
        scenario_path=scenario_path,
        scenario=scenario,
        map_path=MAP_DIR / "msp.yaml",
        authority_map=authority_map,
        roster=whole_team(authority_map),
        seed=3,
        mode="facilitated",
        now=MOMENT,
    )
    engine = session.engine
    engine.start()
    while not engine.finished:
        pending = engine.pending_decision
        assert pending is not None
        decision = pending.decision
        if decision.id in notes:
            engine.note(notes[decision.id])
        owner = authority_map.assignments[decision.responsibility].A
        engine.answer([drifts.get(decision.id, owner)])
    score = score_session(scenario, authority_map, engine.roster, engine.answers, engine.notes)
    session.close()
    return session.folder, (scenario, authority_map, score)


def test_marked_drifts_become_the_map(tmp_path: Path) -> None:
    _, (scenario, authority_map, score) = finished_session(
        tmp_path,
        {"who-authorises-isolation": "msp-duty-engineer", "who-speaks-to-client": "soc-lead"},
        {"who-authorises-isolation": "The client pre-approved isolation in the contract."},
    )
    offered = candidates(scenario, score)  # type: ignore[arg-type]
    assert [(c.decision, c.role, c.expect) for c in offered] == [
        ("who-authorises-isolation", "msp-duty-engineer", "accountable"),
        ("who-speaks-to-client", "soc-lead", "responsible"),
    ]
    revision = revise_map(authority_map, offered, "ransomware")  # type: ignore[arg-type]
    result = diff_maps(authority_map, revision.authority_map)  # type: ignore[arg-type]
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
        ("containment.authorize", "The client pre-approved isolation in the contract.")
    ]
    assert result.roles == () and result.parties == ()


def test_an_owner_change_without_a_note_gets_a_placeholder_the_audit_reports(tmp_path: Path) -> None:
    _, (scenario, authority_map, score) = finished_session(
        tmp_path, {"who-authorises-isolation": "msp-duty-engineer"}, {}
    )
    revision = revise_map(authority_map, candidates(scenario, score), "20261201-ransomware")  # type: ignore[arg-type]
    why = revision.authority_map.assignments["containment.authorize"].why
    assert why == (
        "TODO: write why MSP on-call engineer owns containment authority;"
        " changed after exercise 20261201-ransomware, where the team gave it to them."
    )
    assert any(f.kind == "placeholder-why" for f in audit_map(revision.authority_map).findings)


def test_the_session_folder_remembers_what_the_map_resolved(tmp_path: Path) -> None:
    folder, (scenario, authority_map, score) = finished_session(
        tmp_path, {"who-authorises-isolation": "msp-duty-engineer", "who-speaks-to-client": "soc-lead"}, {}
    )
    revision = revise_map(authority_map, candidates(scenario, score)[:1], "s")  # type: ignore[arg-type]
    record_revision(folder, revision, tmp_path / "roles" / "msp.yaml", now=MOMENT)
    assert resolved_by_map(folder) == frozenset({"containment.authorize"})
    recorded = json.loads((folder / "map-revisions.json").read_text())
    assert recorded["revisions"][0]["written_at"] == "2026-12-01T09:30:00+00:00"


def test_no_revision_file_means_nothing_resolved(tmp_path: Path) -> None:
    assert resolved_by_map(tmp_path) == frozenset()


def test_the_improvement_plan_says_which_items_the_map_resolved(tmp_path: Path) -> None:
    from simulator.reporting.files import session_report
    from simulator.sessions import load_session

    folder, (scenario, authority_map, score) = finished_session(
        tmp_path, {"who-authorises-isolation": "msp-duty-engineer", "who-speaks-to-client": "soc-lead"}, {}
    )
    isolation = candidates(scenario, score)[:1]  # type: ignore[arg-type]
    record_revision(folder, revise_map(authority_map, isolation, "s"), tmp_path / "msp.yaml", now=MOMENT)  # type: ignore[arg-type]
    report = session_report(load_session(folder, "reporting"))
    plan = {item.responsibility: item for item in report.aar.plan}
    assert plan["containment.authorize"].resolved_by_map
    assert plan["containment.authorize"].status == "resolved by changing the map"
    assert not plan["communication.contact"].resolved_by_map
    assert plan["communication.contact"].status == ""
    rows = [
        line for line in report.text("md").splitlines() if "`containment.authorize`" in line and line.startswith("| ")
    ]
    assert any(line.endswith("| resolved by changing the map |") for line in rows)


# --- ttx map edit (the screen itself is tested in test_tui_map_workshop.py) ------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[object]:
    """What `ttx map edit` would open, without opening it."""
    import simulator.cli.play

    monkeypatch.chdir(tmp_path)
    calls: list[object] = []
    monkeypatch.setattr(simulator.cli.play, "launch", lambda **options: calls.append(options["map_edit"]))
    return calls


def test_cli_edit_a_bundled_map_saves_to_the_local_roles_folder(launched: list[object]) -> None:
    from simulator.tui.options import MapEditRequest

    result = CliRunner().invoke(main, ["map", "edit", "msp"])
    assert result.exit_code == 0, result.output
    assert launched == [MapEditRequest(source=MAP_DIR / "msp.yaml", new_name=None, target=Path("roles/msp.yaml"))]


def test_cli_edit_new_names_the_file_from_the_title(launched: list[object]) -> None:
    from simulator.tui.options import MapEditRequest

    result = CliRunner().invoke(main, ["map", "edit", "new", "Acme MSP"])
    assert result.exit_code == 0, result.output
    assert launched == [MapEditRequest(source=None, new_name="Acme MSP", target=Path("roles/acme-msp.yaml"))]


def test_cli_edit_new_refuses_an_existing_file(launched: list[object], tmp_path: Path) -> None:
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "acme.yaml").write_text("mine\n")
    result = CliRunner().invoke(main, ["map", "edit", "new", "acme"])
    assert result.exit_code == 2
    assert "roles/acme.yaml already exists; edit it with: ttx map edit roles/acme.yaml" in result.output
    assert launched == []


def test_cli_edit_a_broken_map_shows_where(launched: list[object], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\nparties: {a: A}\nroles: []\n")
    result = CliRunner().invoke(main, ["map", "edit", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.output
    assert launched == []
