"""Reading an MSEL workbook (.xlsx) with openpyxl in read-only mode, after checking the zip it is.

An .xlsx is a zip of XML files. Before openpyxl sees it, the file's size, the number of entries
and their declared uncompressed sizes are capped: Python's zipfile never inflates an entry past
its declared size (it stops there and fails the CRC check), so the declared total bounds what is
read. openpyxl parses the XML through defusedxml, which refuses entity tricks.

Cells are read as text: a formula is kept as its formula text, never evaluated (and ttx never
asks for cached results). Hidden rows and columns are read like the others and named in a
note; a merged range gives its value to every row it spans in its first column.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.loading.findings import did_you_mean
from simulator.msel.sheet import (
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    XLSX_MAX_BYTES,
    XLSX_MAX_ENTRIES,
    XLSX_MAX_UNCOMPRESSED,
    Row,
    SheetError,
    Table,
    check_cell_size,
    clean_cell,
    column_letter,
    sheet_error,
)
from simulator.safefiles import InputFileError, read_regular

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: old .xls, or an encrypted .xlsx
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
PREFERRED_SHEETS = ("events", "msel", "master scenario events list")
SCENARIO_SHEET = "scenario"


@dataclass
class Workbook:
    events: Table
    scenario: Table | None  # the "Scenario" sheet of key/value rows, when there is one


def read_xlsx(path: str | Path, sheet: str | None = None) -> Workbook:
    file = str(path)
    try:
        data = read_regular(path, XLSX_MAX_BYTES)
    except InputFileError as error:
        raise sheet_error(file, str(error)) from None
    _check_container(file, data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file; all mean the same here
        reason = _reason(error)
        raise sheet_error(file, f"cannot read this workbook ({reason}) — re-save it as .xlsx") from None
    try:
        names: list[str] = list(book.sheetnames)
        chosen = _choose_sheet(file, book, names, sheet)
        events = _read_sheet(file, book, chosen)
        scenario = None
        for name in names:
            if name.strip().lower() == SCENARIO_SHEET and name != chosen:
                scenario = _read_sheet(file, book, name)
        return Workbook(events, scenario)
    finally:
        book.close()


def _check_container(file: str, data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise sheet_error(
                file, "the workbook is password-protected (encrypted); expected an unprotected .xlsx — open it,"
                " remove the password (File > Info > Protect Workbook) and save it again, or save it as CSV",
            )  # fmt: skip
        raise sheet_error(
            file, "this is an old Excel 97-2003 workbook (.xls); expected .xlsx — save it as .xlsx or CSV"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise sheet_error(
            file, "not an .xlsx workbook (not a zip archive); expected a file saved as 'Excel Workbook (.xlsx)'"
            " — is it a CSV with the wrong extension?",
        ) from None  # fmt: skip
    with archive:
        entries = archive.infolist()
        if len(entries) > XLSX_MAX_ENTRIES:
            raise sheet_error(file, f"the workbook holds {len(entries):,} files; expected at most {XLSX_MAX_ENTRIES:,}")
        expanded = sum(entry.file_size for entry in entries)
        if expanded > XLSX_MAX_UNCOMPRESSED:
            raise sheet_error(
                file,
                f"the workbook expands to {expanded / 1048576:,.0f} MB; expected at most"
                f" {XLSX_MAX_UNCOMPRESSED // 1048576} MB — an MSEL this large is more than one exercise",
            )
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise sheet_error(file, "the zip is password-protected; expected an unprotected .xlsx")
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                raise sheet_error(file, "this is an OpenDocument file (.ods); expected .xlsx — save it as .xlsx or CSV")
            raise sheet_error(file, "a zip archive but not an .xlsx workbook (no xl/workbook.xml); expected .xlsx")


def _choose_sheet(file: str, book: Any, names: list[str], wanted: str | None) -> str:
    if wanted is not None:
        for name in names:
            if name == wanted or name.strip().lower() == wanted.strip().lower():
                return name
        raise sheet_error(
            file,
            f"no sheet named '{wanted}'{did_you_mean(wanted, names)}; the workbook has: {', '.join(names)}",
        )
    for preferred in PREFERRED_SHEETS:
        for name in names:
            if name.strip().lower() == preferred:
                return name
    visible = [name for name in names if book[name].sheet_state == "visible" and name.strip().lower() != SCENARIO_SHEET]
    if not visible:
        raise sheet_error(file, "the workbook has no visible sheet of events; name one with --sheet")
    return visible[0]


def _read_sheet(file: str, book: Any, name: str) -> Table:
    if not hasattr(book[name], "_get_source"):
        raise sheet_error(file, f"sheet '{name}' is a chart, not rows of events; name the events sheet with --sheet")
    try:
        return _read_cells(file, book, name)
    except SheetError:
        raise
    except Exception as error:  # damaged or hostile XML inside the zip (defusedxml refuses entity tricks)
        reason = _reason(error)
        raise sheet_error(file, f"cannot read sheet '{name}' ({reason}) — re-save the workbook as .xlsx") from None


def _read_cells(file: str, book: Any, name: str) -> Table:
    # openpyxl's read-only worksheet streams cells but does not expose merged ranges or hidden rows;
    # its own parser collects both while streaming, so ttx drives that parser (openpyxl 3.1 API).
    from openpyxl.worksheet._reader import WorkSheetParser

    worksheet = book[name]
    table = Table(file, name)
    grid: dict[int, dict[int, str]] = {}
    formulas: list[str] = []
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for row_number, cells in parser.parse():
            values: dict[int, str] = {}
            for cell in cells:
                text = _text(cell["value"])
                if not text.strip():
                    continue
                column = int(cell["column"])
                if column > MAX_COLUMNS:
                    raise sheet_error(
                        file,
                        f"sheet '{name}' has text in column {column_letter(column)}; expected at most"
                        f" {MAX_COLUMNS} columns",
                        row_number,
                        column,
                    )
                check_cell_size(file, row_number, column, text)
                if cell.get("data_type") == "f":
                    formulas.append(f"{column_letter(column)}{row_number}")
                values[column] = text
            if values:
                if len(grid) >= MAX_DATA_ROWS:
                    raise sheet_error(
                        file,
                        f"sheet '{name}' has more than {MAX_DATA_ROWS:,} rows; expected at most {MAX_DATA_ROWS:,}"
                        " — split the MSEL",
                        row_number,
                    )
                grid[row_number] = values
        merged = [item.ref for item in (parser.merged_cells.mergeCell if parser.merged_cells else [])]
        hidden_rows = sorted(int(row) for row, attrs in parser.row_dimensions.items() if _true(attrs.get("hidden")))
        hidden_columns = _hidden_columns(parser.column_dimensions.values())
    filled = _fill_merged(grid, merged)
    for row_number in sorted(grid):
        width = max(grid[row_number])
        cells = tuple(clean_cell(grid[row_number].get(column, "")) for column in range(1, width + 1))
        row = Row(row_number, cells)
        if not row.empty:
            table.rows.append(row)
    if formulas:
        table.notes.append(f"formula cells read as their text, not evaluated: {_list(formulas)}")
    if filled:
        table.notes.append(f"merged cells: the value of {_list(filled)} fills every row the range spans")
    shown_hidden = [r for r in hidden_rows if r in grid]
    if shown_hidden:
        table.notes.append(f"hidden rows read like the others: {_list(map(str, shown_hidden))}")
    if hidden_columns:
        table.notes.append(f"hidden columns read like the others: {_list(hidden_columns)}")
    return table


def _reason(error: Exception) -> str:
    """A library's error on one line, cut short: it is shown after the file name."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:200]}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%H:%M") if value.date() == datetime.date(1899, 12, 30) else value.isoformat(" ")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)


def _true(value: object) -> bool:
    return str(value).lower() in ("1", "true")


def _hidden_columns(dimensions: Iterable[dict[str, str]]) -> list[str]:
    hidden: list[str] = []
    for attrs in dimensions:
        if _true(attrs.get("hidden")):
            first, last = int(attrs.get("min", 0)), int(attrs.get("max", 0))
            hidden += [column_letter(c) for c in range(first, min(last, MAX_COLUMNS) + 1) if c > 0]
    return hidden


def _fill_merged(grid: dict[int, dict[int, str]], ranges: list[str]) -> list[str]:
    """Copy each merged range's top-left value down its first column, into rows that exist; the ranges."""
    from openpyxl.utils.cell import range_boundaries

    filled: list[str] = []
    for ref in ranges:
        try:
            min_col, min_row, _max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue
        if min_col is None or min_row is None or max_row is None:
            continue
        value = grid.get(min_row, {}).get(min_col)
        if value is None or max_row == min_row:
            continue
        # Only rows that hold something else: a range drawn past the last event adds no rows.
        for row_number in range(min_row + 1, min(max_row, max(grid)) + 1):
            if row_number in grid:
                grid[row_number].setdefault(min_col, value)
        filled.append(ref)
    return filled


def _list(items: Iterable[str], limit: int = 12) -> str:
    shown = list(items)
    more = len(shown) - limit
    return ", ".join(shown[:limit]) + (f" and {more} more" if more > 0 else "")
