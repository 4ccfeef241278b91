"""Writes docs/examples/msel-example.xlsx, the example workbook in docs/msel.md.

Run from the repository root: `.venv/bin/python docs/examples/make_msel_xlsx.py`. The workbook is
committed; this script says how it was made. It looks like a planner's own sheet: a title row above
the header, HSEEP column names, the Stage merged down the rows of a stage, a consequence row, and a
'Scenario' sheet with the scenario's fields and variables.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).with_name("msel-example.xlsx")

HEADER = [
    "Inject #", "Time", "Phase", "Step", "Inject description", "Method", "From", "To",
    "Decision question", "Responsibility", "Expect", "Weight", "Critical", "Time limit (s)",
    "Consequence", "Row kind", "Controller notes", "Objective",
]  # fmt: skip
ROWS = [
    [1, "02:10", "Detection", "odd-admin", "The SIEM flags {{ admin }} signing in to {{ host }} from {{ ip }}, "
     "an address never seen for this account.", "", "", "", "Who triages this alert now?", "detection.triage",
     "responsible", 2, "yes", 90, "gap: alert-waits", "", "Watch who picks it up at 02:10.", "Detection"],
    [2, "02:10", None, "odd-admin", "02:09:58 LOGON user={{ admin }} host={{ host }} src={{ ip }} result=success",
     "SIEM alert", "SIEM", "On-call analyst", "", "", "", "", "", "", "", "", "", ""],
    [3, "02:40", "Confirmation", "new-task", "A scheduled task named 'update' appears on two more servers, "
     "created by the same account.", "", "", "", "Who declares an incident?", "confirmation.confirm",
     "accountable", 3, "yes", "", "", "", "Declared before anything is switched off?", "Confirmation"],
    [4, "03:05", "Containment", "isolate", "The task starts copying files to {{ ip }}.", "Phone call",
     "Night operator", "Incident lead", "Who authorises isolating the servers?", "Containment authority",
     "accountable", 3, "yes", 120, "", "", "", "Containment"],
    [5, "03:05", None, "isolate", "", "", "", "", "Who isolates them?", "containment.isolate", "", 2, "", "", "",
     "", "", ""],
    [6, "+00:30", "", "alert-waits", "Thirty minutes pass before anyone opens the alert.", "", "", "", "", "",
     "", "", "", "", "", "consequence", "", ""],
]  # fmt: skip
SCENARIO = [
    ("Field", "Value"),
    ("id", "night-admin-login"),
    ("title", "An administrator signs in at night"),
    ("summary", "At 02:10 an administrator account signs in to {{ host }} from an unknown address."),
    ("audience", "any"),
    ("duration_minutes", "30"),
    ("variable admin", "user_name"),
    ("variable host", '{"faker": "word", "prefix": "srv-"}'),
    ("variable ip", "ipv4_public"),
]


def main() -> None:
    book = Workbook()
    events = book.active
    assert events is not None
    events.title = "MSEL"
    events.append(["Night admin login — MSEL draft 2"])
    events["A1"].font = Font(bold=True, size=13)
    events.append(HEADER)
    for cell in events[2]:
        cell.font = Font(bold=True)
    for row in ROWS:
        events.append(row)
    # The stage written once per stage, merged down its rows, as many planners lay it out.
    events.merge_cells("C3:C4")
    events.merge_cells("C6:C7")
    for row in events.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in {"E": 60, "I": 40, "Q": 40}.items():
        events.column_dimensions[letter].width = width
    events.freeze_panes = "A3"
    scenario = book.create_sheet("Scenario")
    for row in SCENARIO:
        scenario.append(list(row))
    scenario.column_dimensions["B"].width = 80
    book.properties.creator = "ttx docs"
    book.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
