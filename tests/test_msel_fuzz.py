"""Whatever a planner types in the cells, the import ends in a scenario or in located findings, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.bundled import resolve_map, resolve_scenario
from simulator.loading import load_map, load_scenario
from simulator.msel.from_scenario import scenario_rows
from simulator.msel.sheet import Row, SheetError, Table
from simulator.msel.to_scenario import rows_to_scenario
from simulator.msel.yamltext import scenario_yaml

HEADER = (
    "Step", "Stage", "Scenario time", "Scenario day", "Row kind", "Inject", "Delivery method", "From",
    "Decision question", "Responsibility", "Expect", "Weight", "Critical", "Time limit (s)", "Consequences",
    "Go to step", "Discussion questions", "Mystery",
)  # fmt: skip
# Plausible and implausible values, mixed: real ids, typos, numbers, empties, templates, odd text.
VALUES = st.sampled_from(
    [
        "", "", "", "a", "b", "Step 1", "detection", "containment", "Contaiment", "documentation", "02:14", "25:99",
        "Day 2 09:00", "+00:40", "2026-02-30", "3", "inject", "artifact", "decision", "consequence", "scenario",
        "kind?", "email", "carrier pigeon", "Who acts?", "detection.triage", "containment.authorise",
        "Containment authority", "A", "R", "maybe", "0", "11", "-1", "1:30", "2 min", "x", "gap: b",
        "gapp: a", "gap:", "{{ host }}", "{{ 1+1 }}", "variable host", '{"faker": 5}', "{bad json", "title",
        "duration_minutes", "=1+1", "'=2", "é\u2028\u0085", "\t",
    ]
)  # fmt: skip


def _base() -> tuple[tuple[str, ...], list[list[str]]]:
    scenario = load_scenario(resolve_scenario("stolen-laptop"))
    sheets = scenario_rows(scenario, load_map(resolve_map("msp")), None)
    fields = [["", "", "", field, "scenario", "", value] + [""] * (len(sheets.event_headers) - 7)
              for field, value in sheets.fields[1:]]  # fmt: skip
    return sheets.event_headers, fields + sheets.events


BASE_HEADER, BASE_ROWS = _base()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(VALUES, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=6))
def test_any_cells_give_located_findings_never_a_crash(cells: list[list[str]]) -> None:
    rows = [Row(1, HEADER)] + [Row(number, tuple(row)) for number, row in enumerate(cells, start=2)]
    table = Table("fuzz.csv", "", [row for row in rows if not row.empty])
    try:
        rows_to_scenario(table)
    except SheetError as error:
        assert error.findings
        for finding in error.findings:
            assert finding.file == "fuzz.csv"
            assert 1 <= finding.line <= len(cells) + 1
            assert 1 <= finding.column <= len(HEADER)
            assert finding.message


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_edits_to_an_exported_sheet_import_cleanly_or_are_located(data: st.DataObject) -> None:
    rows = [list(row) for row in BASE_ROWS]
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.integers(0, len(rows) - 1))
        column = data.draw(st.integers(0, len(BASE_HEADER) - 1))
        rows[row][column] = data.draw(VALUES)
    table = Table("edit.csv", "", [Row(1, BASE_HEADER)])
    table.rows += [Row(n, tuple(r)) for n, r in enumerate(rows, start=2) if any(c.strip() for c in r)]
    try:
        imported = rows_to_scenario(table)
    except SheetError as error:
        for finding in error.findings:
            assert 1 <= finding.line <= len(rows) + 1
            assert 1 <= finding.column <= len(BASE_HEADER)
        return
    # Whatever the sheet pass accepts, the YAML written from it loads back as the same scenario.
    assert load_scenario("edit.yaml", text=scenario_yaml(imported.scenario, "edit.csv")) == imported.scenario
