"""The improvement plan as CSV: one row per corrective action, for a spreadsheet or a tracker.

A header row, then one row per item in plan order (critical decisions first).
Cells that a spreadsheet would read as a formula (starting with = + - @ or a
tab or carriage return) get a leading apostrophe, so a role or map name can
never run as one.
"""

from __future__ import annotations

import csv
import io

from simulator.reporting.aar import PRIORITY_LABELS, Aar, tampered_notice
from simulator.safetext import strip_controls

COLUMNS = (
    "No.",
    "Priority",
    "Critical decision",
    "Stage",
    "Responsibility",
    "Responsibility ID",
    "Corrective action",
    "Owner role",
    "Owner role ID",
    "Party",
    "Observation",
    "Why (from the map)",
    "Exercise date",
    "Scenario",
    "Due date",
    "Status",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates, and without control characters."""
    value = strip_controls(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def plan_rows(aar: Aar) -> list[list[str]]:
    """The header row and one row per plan item, every cell a string."""
    rows = [[safe(tampered_notice(aar.tampered))]] if aar.tampered else []
    rows.append(list(COLUMNS))
    for item in aar.plan:
        owner = item.owner
        rows.append(
            [
                str(item.number),
                PRIORITY_LABELS[item.priority],
                "yes" if item.critical else "no",
                item.stage.capitalize(),
                safe(item.title),
                item.responsibility,
                safe(item.action),
                safe(owner.name if owner else item.owner_text),
                owner.id if owner else "",
                safe(owner.party if owner else ""),
                safe(" ".join(item.observation.split())),
                safe(" ".join(item.why.split())),
                aar.overview.date,
                safe(aar.overview.scenario_title),
                "",
                safe(item.status),
            ]
        )
    return rows


def plan_csv(aar: Aar) -> str:
    """CSV with a header row, quoting where needed (RFC 4180 but for LF line ends)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(plan_rows(aar))
    return out.getvalue()
