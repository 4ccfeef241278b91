"""`ttx export msel`: the controller's sheet, and the round trip back to the same scenario."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE, bundled_scenarios, resolve_map
from simulator.cli import main
from simulator.loading import load_map, load_scenario
from simulator.model import Artifact, Scenario, Step
from simulator.msel import export_bytes, import_sheet

RANSOMWARE = "ransomware-file-server"


def _export(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("scenario_path", bundled_scenarios(), ids=lambda p: p.stem)
def test_export_then_import_gives_back_the_same_scenario(tmp_path: Path, scenario_path: Path, fmt: str) -> None:
    original = load_scenario(scenario_path)
    authority_map = load_map(resolve_map(DEFAULT_MAP_FOR_AUDIENCE[original.audience]))
    sheet = tmp_path / f"msel.{fmt}"
    sheet.write_bytes(export_bytes(original, authority_map, None, fmt))
    imported, text = import_sheet(sheet)
    # Whole-model equality: steps, stages, clocks, injects, artifacts, decisions (responsibility,
    # expect, weight, critical, time limit, consequences fired), consequences, variables, notes.
    assert imported.scenario == original
    assert imported.notes == []
    assert load_scenario("written.yaml", text=text) == original


def test_the_csv_has_a_byte_order_mark_crlf_rows_and_the_expected_columns(tmp_path: Path) -> None:
    out = _export(tmp_path, "r.csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfEvent no.,Scenario time,Stage,Step,Row kind,Title,Inject,")
    assert b"\r\n" in data
    rows = _csv_rows(out)
    assert rows[1][3:7] == ["id", "scenario", "", RANSOMWARE]
    triage = next(row for row in rows if row[9] == "Who triages this alert right now?")
    # The msp map: soc-senior is accountable for detection.triage, soc-analyst responsible.
    assert triage[1:4] == ["02:14", "detection", "edr-alert"]
    assert triage[10:16] == [
        "detection.triage",
        "SOC senior analyst (L2/L3 incident handler) (Backend SOC)",
        "SOC analyst (L1) (Backend SOC)",
        "L1 triages every alert against the runbook; the L2 handler owns triage quality and takes what L1"
        " cannot close.",
        "responsible",
        "2",
    ]
    assert triage[16:19] == ["yes", "90", "gap: triage-delayed"]


def test_every_csv_cell_that_could_run_as_a_formula_is_guarded(tmp_path: Path) -> None:
    scenario = Scenario(
        id="f",
        title='=HYPERLINK("http://evil.example")',
        steps=[
            Step(
                id="s",
                stage="detection",
                inject="+cmd|' /C calc'!A0",
                artifacts=[Artifact(kind="log", title="@SUM(1)", body="-2+3")],
                facilitator_notes="'quoted",
                decisions=[],
            )
        ],
    )
    authority_map = load_map(resolve_map("msp"))
    data = export_bytes(scenario, authority_map, None, "csv").decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(data, newline="")) for cell in row}
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert {"'@SUM(1)", "'-2+3", "''quoted"} <= cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_workbook_is_styled_and_its_text_cells_never_formulas(tmp_path: Path) -> None:
    out = _export(tmp_path, "r.xlsx", "--map", "saas")
    book = load_workbook(out)
    assert book.sheetnames == ["Events", "Owners", "Scenario"]
    events = book["Events"]
    assert events.freeze_panes == "E2"  # the header row, and event no., time, stage and step
    assert book["Owners"].freeze_panes == "A2"
    assert events["A1"].value == "Event no." and events["A1"].font.bold
    assert events.column_dimensions["G"].width == 60  # Inject
    assert events["G2"].alignment.wrap_text
    # Rows are sized to their wrapped text (a spreadsheet does not do it on opening); the first event's
    # facilitator notes run to several lines at the column's width.
    assert events.row_dimensions[2].height is not None and events.row_dimensions[2].height > 100
    assert events.print_title_rows == "$1:$1"
    assert events.auto_filter.ref is not None and events.auto_filter.ref.startswith("A1:")
    assert all(cell.data_type != "f" for row in events.iter_rows() for cell in row)
    owners = book["Owners"]
    header = [cell.value for cell in owners[1]]
    assert header[:8] == ["Event no.", "Stage", "Step", "Decision question", "Responsibility",
                          "Responsibility title", "Accountable (A)", "Responsible (R)"]  # fmt: skip
    first = [cell.value for cell in owners[2]]
    assert first[3] == "The alert fires at 02:14. Who is watching the EDR console at this hour and should see it first?"
    assert first[4:6] == ["detection.monitoring", "Alert monitoring"]


def test_a_text_cell_starting_with_equals_stays_text_in_the_workbook() -> None:
    scenario = Scenario(id="f", title="t", steps=[Step(id="s", stage="detection", inject="=1+1")])
    data = export_bytes(scenario, load_map(resolve_map("msp")), None, "xlsx")
    book = load_workbook(io.BytesIO(data))
    cell = book["Events"]["G2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_a_seed_fills_in_the_names_and_drops_the_variables(tmp_path: Path) -> None:
    out = _export(tmp_path, "r.csv", "--seed", "7")
    text = out.read_bytes().decode("utf-8-sig")
    assert "{{" not in text
    assert "variable " not in text
    imported = import_sheet(out)[0].scenario
    assert imported.variables == {}
    assert [s.id for s in imported.steps] == [s.id for s in load_scenario(f"scenarios/{RANSOMWARE}.yaml").steps]


def test_without_a_seed_the_placeholders_stay_and_the_command_says_how_to_fill_them(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(out)])
    assert "names kept as {{ placeholders }}; add --seed" in result.output
    assert "{{ fileserver }}" in out.read_bytes().decode("utf-8-sig")


def test_export_refuses_an_unknown_format_and_an_existing_file(tmp_path: Path) -> None:
    bad = CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2
    assert "expected a .csv or .xlsx file" in bad.output
    existing = tmp_path / "r.csv"
    existing.write_text("keep me", encoding="utf-8")
    refused = CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(existing)])
    assert refused.exit_code == 2
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_export_replaces_only_with_force_and_never_through_a_dangling_link(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.csv"
    assert CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(target)]).exit_code == 0
    first = target.read_bytes()
    assert CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(target)]).exit_code == 2
    assert target.read_bytes() == first
    forced = CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "--seed", "3", "-o", str(target), "--force"])
    assert forced.exit_code == 0 and target.read_bytes() != first
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.csv"]  # no temporary file left behind
    link = tmp_path / "out" / "link.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    refused = CliRunner().invoke(main, ["export", "msel", RANSOMWARE, "-o", str(link)])
    assert refused.exit_code != 0
    assert not (tmp_path / "elsewhere.csv").exists()


def test_the_planner_workflow_edit_a_question_and_a_stage_then_play(tmp_path: Path) -> None:
    sheet = _export(tmp_path, "r.xlsx")
    book = load_workbook(sheet)
    events = book["Events"]
    header = [cell.value for cell in events[1]]
    question, stage, step = header.index("Decision question"), header.index("Stage"), header.index("Step")
    for row in events.iter_rows(min_row=2):
        if row[question].value == "Who triages this alert right now?":
            row[question].value = "Who picks up this alert in the next five minutes?"
        if row[step].value == "mass-renames":
            row[stage].value = "Confirmation"
    book.save(sheet)
    out = tmp_path / "edited.yaml"
    result = CliRunner().invoke(main, ["import", "msel", str(sheet), "-o", str(out), "--id", "edited"])
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out)
    assert scenario.id == "edited"
    assert scenario.step("mass-renames").stage == "confirmation"
    assert scenario.step("edr-alert").decisions[1].ask == "Who picks up this alert in the next five minutes?"
    run = CliRunner().invoke(
        main, ["run", str(out), "--map", "msp", "--autoplay", "map", "--seed", "3", "--out", str(tmp_path / "s")]
    )
    assert run.exit_code == 0, run.output
    journals = list((tmp_path / "s").glob("*/journal.jsonl"))
    assert len(journals) == 1
    assert '"reason":"completed","answers":18' in journals[0].read_text(encoding="utf-8")
