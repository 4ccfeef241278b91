"""`ttx import msel`: planners' sheets become scenarios; what cannot become one is named by row and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.loading import load_scenario
from simulator.msel import SheetError, import_sheet
from tests.conftest import REPO

EXAMPLES = REPO / "docs" / "examples"


def _csv(tmp_path: Path, rows: list[list[str]], name: str = "msel.csv", separator: str = ",") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _messages(error: pytest.ExceptionInfo[SheetError]) -> list[str]:
    return [str(finding) for finding in error.value.findings]


# --- the example sheets in docs/examples ---------------------------------------------------------


def test_the_example_csv_imports_with_hseep_headers_and_a_title_row_above_them() -> None:
    imported, text = import_sheet(EXAMPLES / "msel-example.csv", scenario_id="phished-payroll")
    scenario = imported.scenario
    assert scenario.id == "phished-payroll"
    assert [s.id for s in scenario.steps] == ["phish-report", "bank-change", "lock-account", "tell-payroll"]
    assert [s.stage for s in scenario.steps] == ["detection", "confirmation", "containment", "communication"]
    assert [s.clock for s in scenario.steps] == ["08:55", "09:20", "09:40", "10:30"]
    assert [d.responsibility for d in scenario.decisions] == [
        "detection.triage",
        "confirmation.confirm",
        "confirmation.severity",
        "containment.authorize",  # written as its title, "Containment authority"
        "communication.contact",
    ]
    assert [d.critical for d in scenario.decisions] == [True, True, False, True, False]
    assert [d.time_limit_s for d in scenario.decisions] == [120, None, None, 180, None]
    assert [d.weight for d in scenario.decisions] == [2, 3, 1, 3, 2]
    assert scenario.decisions[1].expect == "accountable"
    first = scenario.steps[0]
    assert first.inject.startswith('Two members of staff forward the same "payroll portal update" email')
    assert [(a.kind, a.title) for a in first.artifacts] == [("email", "Email from Finance clerk to Service desk")]
    assert first.artifacts[0].body.splitlines()[0] == "Subject: Action required: payroll portal update"
    assert first.facilitator_notes == (
        "Expected player action: Service desk pulls the headers and checks who else received it.\n\n"
        "Evaluator notes: Does anyone ask who clicked?\n\nLocation: Service desk"
    )
    # A step whose only story is delivered evidence is announced by it.
    assert scenario.steps[1].inject == "Ticket from Payroll system to Service desk."
    assert imported.notes == ["columns ttx does not know, kept in the facilitator notes: 'Location' (Q)"]
    assert load_scenario("again.yaml", text=text) == scenario


def test_the_example_workbook_imports_with_its_scenario_sheet_and_merged_stages() -> None:
    imported, _text = import_sheet(EXAMPLES / "msel-example.xlsx")
    scenario = imported.scenario
    assert (scenario.id, scenario.title) == ("night-admin-login", "An administrator signs in at night")
    assert scenario.duration_minutes == 30
    assert sorted(scenario.variables) == ["admin", "host", "ip"]
    assert [(s.id, s.stage) for s in scenario.steps] == [
        ("odd-admin", "detection"),
        ("new-task", "confirmation"),
        ("isolate", "containment"),  # row 7 has no stage of its own: C6:C7 is merged
    ]
    assert [d.responsibility for d in scenario.decisions] == [
        "detection.triage",
        "confirmation.confirm",
        "containment.authorize",
        "containment.isolate",
    ]
    assert scenario.steps[0].artifacts[0].kind == "alert"
    assert scenario.decisions[0].on == {"gap": ["alert-waits"]}
    consequence = scenario.consequences["alert-waits"]
    assert (consequence.clock_advance, consequence.inject) == (
        "00:30",
        "Thirty minutes pass before anyone opens the alert.",
    )
    assert "Controller notes: Watch who picks it up at 02:10." in scenario.steps[0].facilitator_notes
    assert imported.notes == ["merged cells: the value of C3:C4, C6:C7 fills every row the range spans"]


def test_shuffled_renamed_headers_are_found_by_name(tmp_path: Path) -> None:
    header = ["who acts?", "Intended Player", "INJECT NO.", "Phase", "  Event   Synopsis ", "Responsibility ID",
              "originator", "mode", "critical?", "Time-limit (s)", "Expected Action", "Core Capability"]  # fmt: skip
    rows = [
        header,
        ["Who watches the console?", "", "1", "DETECTION", "An alert fires at 02:14.", "detection.monitoring",
         "", "", "x", "1:30", "Someone sees it", "Detection"],
        ["", "SOC", "2", "", "Alert body", "", "EDR", "alert", "", "", "", ""],
        ["Who confirms?", "", "3", "Confirmation", "Renames everywhere.", "confirmation.confirm", "", "", "no",
         "2 min", "", ""],
    ]  # fmt: skip
    scenario = import_sheet(_csv(tmp_path, rows))[0].scenario
    # No Step column: a row with story text starts a step, a row with only evidence joins it.
    assert [(s.stage, s.inject) for s in scenario.steps] == [
        ("detection", "An alert fires at 02:14."),
        ("confirmation", "Renames everywhere."),
    ]
    assert [(a.kind, a.title, a.body) for a in scenario.steps[0].artifacts] == [
        ("alert", "Alert from EDR to SOC", "Alert body")
    ]
    assert [(d.ask, d.critical, d.time_limit_s) for d in scenario.decisions] == [
        ("Who watches the console?", True, 90),
        ("Who confirms?", False, 120),
    ]
    assert scenario.steps[0].facilitator_notes == (
        "Expected player action: Someone sees it\n\nObjective / core capability: Detection"
    )


def test_semicolon_separated_values_are_read(tmp_path: Path) -> None:
    rows = [
        ["Stage", "Inject", "Question", "Responsibility"],
        ["detection", "Alert; loud", "Who triages?", "detection.triage"],
    ]
    imported = import_sheet(_csv(tmp_path, rows, separator=";"))[0]
    assert imported.scenario.steps[0].inject == "Alert; loud"
    assert imported.scenario.decisions[0].responsibility == "detection.triage"
    assert imported.notes == ["read as semicolon-separated values"]


def test_empty_rows_are_skipped_and_control_characters_dropped(tmp_path: Path) -> None:
    rows = [
        ["Stage", "Inject", "Question", "Responsibility"],
        ["", "", "", ""],
        ["detection", "Alert\x1b[2J on the \x07server", "Who triages?\x9b", "detection.triage"],
        [" ", "", "", ""],
    ]
    scenario = import_sheet(_csv(tmp_path, rows))[0].scenario
    assert scenario.steps[0].inject == "Alert[2J on the server"
    assert scenario.decisions[0].ask == "Who triages?"


# --- located errors -----------------------------------------------------------------------------------


HEADER = ["Step", "Stage", "Inject", "Decision question", "Responsibility", "Consequences"]


def test_an_unknown_responsibility_names_row_column_and_the_likely_id(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, [HEADER, ["contain", "containment", "Spreads.", "Who authorises?", "containment.authorise", ""]]
    )
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _messages(error) == [
        f"{path}:2:5: Responsibility: unknown responsibility 'containment.authorise'; expected a catalogue id"
        " (see docs/msel.md) — did you mean 'containment.authorize' (Containment authority)?"
    ]


def test_a_question_without_responsibility_and_a_step_without_stage_are_both_reported(tmp_path: Path) -> None:
    path = _csv(tmp_path, [HEADER, ["alert", "", "An alert.", "Who triages?", "", ""]])
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    messages = _messages(error)
    assert len(messages) == 2
    assert messages[0].startswith(f"{path}:2:2: Stage: no stage for this step; expected one of: detection,")
    assert messages[1].startswith(f"{path}:2:5: Responsibility: no responsibility for this question;")


def test_a_misspelt_stage_gets_a_suggestion(tmp_path: Path) -> None:
    path = _csv(tmp_path, [HEADER, ["alert", "Contaiment", "An alert.", "Who acts?", "containment.isolate", ""]])
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    (message,) = _messages(error)
    assert message.startswith(f"{path}:2:2: Stage: expected one of: detection, confirmation,")
    assert message.endswith("got 'contaiment' — did you mean 'containment'?")


def test_an_unknown_consequence_and_a_backwards_stage_move_are_located(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            HEADER,
            ["lessons", "documentation", "Write it up.", "Who records it?", "documentation.record", "gap: no-such"],
            ["late-alert", "detection", "Another alert.", "Who triages?", "detection.triage", ""],
        ],
    )
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    messages = _messages(error)
    assert messages[0] == f"{path}:2:6: Consequences: unknown consequence 'no-such'"
    assert messages[1].startswith(
        f"{path}:3:2: Stage: step 'late-alert' moves from documentation (step 'lessons') back to detection"
    )


def test_an_undeclared_name_in_a_template_is_located(tmp_path: Path) -> None:
    path = _csv(tmp_path, [HEADER, ["alert", "detection", "Alert on {{ hots }}.", "Who?", "detection.triage", ""]])
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _messages(error) == [
        f"{path}:2:3: Inject: undeclared template variable 'hots'; declare it on the 'Scenario' sheet"
        " (a 'variable NAME' row) or write the name out"
    ]


def test_a_sheet_without_a_header_row_says_what_it_looks_for(tmp_path: Path) -> None:
    path = _csv(tmp_path, [["just", "some", "words"], ["and", "more", "words"]])
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _messages(error)[0].startswith(f"{path}:1:1: no header row found in the first rows; expected column names")


def test_two_columns_meaning_the_same_structural_field_are_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path, [["Stage", "Inject", "Phase"], ["detection", "a", "containment"]])
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _messages(error) == [
        f"{path}:1:3: column 'Phase' and column 'Stage' (A) both mean 'Stage'; expected one column each"
        " — rename or delete one"
    ]


def test_a_second_story_column_is_kept_in_the_notes(tmp_path: Path) -> None:
    rows = [["Stage", "Event synopsis", "Message", "Question", "Responsibility"],
            ["detection", "Phishing reported", "Hi, I clicked a link", "Who triages?", "detection.triage"]]  # fmt: skip
    imported = import_sheet(_csv(tmp_path, rows))[0]
    step = imported.scenario.steps[0]
    assert (step.inject, step.facilitator_notes) == ("Phishing reported", "Message: Hi, I clicked a link")
    assert imported.notes == [
        "column 'Message' (C) also means 'Inject'; column B is used for it and this one kept in the facilitator notes"
    ]


# --- the command ------------------------------------------------------------------------------------------


def test_the_command_writes_the_scenario_and_lists_unknown_columns_once(tmp_path: Path) -> None:
    out = tmp_path / "payroll.yaml"
    result = CliRunner().invoke(main, ["import", "msel", str(EXAMPLES / "msel-example.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.count("'Location' (Q)") == 1
    assert "4 steps, 5 decisions, 4/6 stages" in result.output
    validate = CliRunner().invoke(main, ["validate", str(out)])
    assert validate.exit_code == 0, validate.output


def test_a_bad_sheet_writes_nothing_and_exits_one(tmp_path: Path) -> None:
    path = _csv(tmp_path, [HEADER, ["x", "containment", "Spreads.", "Who?", "containment.authorise", ""]])
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["import", "msel", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{path}:2:5: Responsibility: unknown responsibility 'containment.authorise'" in result.output
    assert "nothing written" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["msel.csv"]


def test_an_existing_output_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    out.write_text("mine\n", encoding="utf-8")
    args = ["import", "msel", str(EXAMPLES / "msel-example.csv"), "-o", str(out)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2
    assert "already exists; not overwriting it" in refused.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_text(encoding="utf-8").startswith("# Imported from ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]  # no temporary file left behind


def test_the_default_output_is_scenarios_id_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", "msel", str(EXAMPLES / "msel-example.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "scenarios" / "night-admin-login.yaml").is_file()


def test_an_unknown_delivery_method_is_a_document_and_named(tmp_path: Path) -> None:
    rows = [
        ["Step", "Stage", "Inject", "Delivery method", "Decision question", "Responsibility"],
        ["one", "detection", "A note is found.", "", "Who triages?", "detection.triage"],
        ["one", "", "Meet me at noon.", "Carrier pigeon", "", ""],
    ]
    imported = import_sheet(_csv(tmp_path, rows))[0]
    assert [(a.kind, a.title) for a in imported.scenario.steps[0].artifacts] == [("document", "Carrier pigeon")]
    assert imported.notes == ["delivery methods ttx does not know, shown as documents: 'Carrier pigeon'"]


def test_ids_written_as_words_become_ids_everywhere_they_are_named(tmp_path: Path) -> None:
    rows = [
        ["Step", "Stage", "Row kind", "Inject", "Decision question", "Responsibility", "Consequences", "Go to step",
         "Scenario time"],
        ["Step 1", "detection", "", "First.", "Who triages?", "detection.triage", "gap: Slow Start", "", "9:05"],
        ["Step 2", "confirmation", "", "Second.", "Who confirms?", "confirmation.confirm", "", "", "Day 2 7:30"],
        ["Slow Start", "", "consequence", "Time passes.", "", "", "", "Step 2", "+0:45"],
    ]  # fmt: skip
    scenario = import_sheet(_csv(tmp_path, rows))[0].scenario
    assert [(s.id, s.clock) for s in scenario.steps] == [("step-1", "09:05"), ("step-2", "Day 2 07:30")]
    assert scenario.decisions[0].on == {"gap": ["slow-start"]}
    assert scenario.consequences["slow-start"].goto == "step-2"
    assert scenario.consequences["slow-start"].clock_advance == "00:45"


def test_the_committed_example_workbook_is_what_its_script_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from openpyxl import load_workbook

    spec = importlib.util.spec_from_file_location("make_msel_xlsx", EXAMPLES / "make_msel_xlsx.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUT", tmp_path / "fresh.xlsx")
    script.main()

    def cells(path: Path) -> dict[str, list[list[object]]]:
        book = load_workbook(path)
        return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}

    assert cells(tmp_path / "fresh.xlsx") == cells(EXAMPLES / "msel-example.xlsx")
