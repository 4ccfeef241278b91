"""The exported sheets as bytes: CSV (UTF-8 with BOM, every cell guarded) and XLSX (styled, frozen header)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from simulator.msel.from_scenario import EVENT_KEYS, NUMERIC_KEYS, Sheets
from simulator.msel.sheet import guard
from simulator.safetext import strip_controls

# Characters a spreadsheet column shows before wrapping, by header; others get a default.
WIDTHS = {
    "Event no.": 8, "Scenario time": 12, "Stage": 15, "Step": 22, "Row kind": 12, "Title": 28, "Inject": 60,
    "Delivery method": 12, "Artifact title": 28, "Decision question": 45, "Responsibility": 24,
    "Expected owner (A)": 30, "Expected owner (R)": 30, "Why (from the map)": 45, "Expect": 12, "Weight": 8,
    "Critical": 9, "Time limit (s)": 10, "Consequences": 24, "Go to step": 16, "Decision ID": 22,
    "Discussion questions": 45, "Facilitator notes": 50, "Responsibility title": 26, "Accountable (A)": 30,
    "Responsible (R)": 30, "Consulted (C)": 30, "Informed (I)": 30, "Field": 22, "Value": 80,
}  # fmt: skip
DEFAULT_WIDTH = 16
LINE_HEIGHT = 14.5  # points per line of 11-point text


def _lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped at about `width` characters."""
    return sum(max(1, -(-len(line) // max(width - 1, 1))) for line in text.split("\n")) if text else 1


def _cell(text: str) -> str:
    return strip_controls(text)


def csv_bytes(sheets: Sheets) -> bytes:
    """One table: the header, the scenario fields as rows of kind 'scenario', then the events.

    UTF-8 with a byte-order mark, so Excel reads accents and dashes right; CRLF line ends (RFC 4180).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    headers = list(sheets.event_headers)
    writer.writerow(headers)
    kind, step, inject = EVENT_KEYS.index("kind"), EVENT_KEYS.index("step"), EVENT_KEYS.index("inject")
    for name, value in sheets.fields[1:]:
        row = [""] * len(headers)
        row[kind], row[step], row[inject] = "scenario", name, value
        writer.writerow([guard(_cell(c)) for c in row])
    for event in sheets.events:
        writer.writerow([guard(_cell(c)) for c in event])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sheets) -> bytes:
    """A workbook: 'Events' (the MSEL), 'Owners' (decisions and the map's expected owners), 'Scenario'."""
    from openpyxl import Workbook

    book = Workbook()
    events = book.active
    assert events is not None
    events.title = "Events"
    numeric = {index for index, key in enumerate(EVENT_KEYS) if key in NUMERIC_KEYS}
    # Event no., time, stage and step stay in view while the wide rows scroll.
    _fill(events, sheets.event_headers, sheets.events, numeric, freeze="E2")
    owners = book.create_sheet("Owners")
    _fill(owners, sheets.owner_headers, sheets.owners, {0, 11}, fit_width=True)
    owners.cell(row=len(sheets.owners) + 3, column=1, value=f"Expected owners from the map: {_cell(sheets.map_title)}")
    scenario = book.create_sheet("Scenario")
    _fill(scenario, tuple(sheets.fields[0]), sheets.fields[1:], set())
    book.properties.creator = "ttx"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(
    sheet: object,
    headers: Sequence[str],
    rows: list[list[str]],
    numeric: set[int],
    *,
    fit_width: bool = False,
    freeze: str = "A2",
) -> None:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    bold = Font(bold=True, color="FFFFFF")
    band = PatternFill("solid", fgColor="1F3A5F")
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font, cell.fill, cell.alignment = bold, band, Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS.get(header, DEFAULT_WIDTH)
    widths = [WIDTHS.get(header, DEFAULT_WIDTH) for header in headers]
    for row_number, row in enumerate(rows, start=2):
        # Spreadsheets do not size rows to wrapped text on opening a file; give each row its lines.
        lines = max((_lines(text, widths[i]) for i, text in enumerate(row) if i < len(widths)), default=1)
        sheet.row_dimensions[row_number].height = min(409, LINE_HEIGHT * lines + 3)
        for column, text in enumerate(row, start=1):
            if not text:
                continue
            target = sheet.cell(row=row_number, column=column)
            assert isinstance(target, Cell)  # a new sheet has no merged cells
            cell = target
            if column - 1 in numeric and text.isdigit():
                cell.value = int(text)
            else:
                cell.value = _cell(text)
                cell.data_type = "s"  # openpyxl reads a leading '=' as a formula; this cell is text, always
            cell.alignment = wrap
    sheet.freeze_panes = freeze
    sheet.row_dimensions[1].height = 32  # two lines: "Expected owner (A)" wraps
    # On paper: landscape, the header repeated on every page, rows printed in page order across.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.pageOrder = "overThenDown"
    sheet.print_title_rows = "1:1"
    if fit_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
