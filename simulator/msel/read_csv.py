"""Reading an MSEL saved as CSV: encoding, separator and size checked, every cell kept as text."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from simulator.msel.columns import match_header
from simulator.msel.sheet import (
    CSV_MAX_BYTES,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    Row,
    SheetError,
    Table,
    check_cell_size,
    clean_cell,
    sheet_error,
)
from simulator.safefiles import InputFileError, read_regular

SEPARATORS = (",", ";", "\t", "|")
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def read_csv(path: str | Path, encoding: str | None = None) -> Table:
    file = str(path)
    try:
        data = read_regular(path, CSV_MAX_BYTES)
    except InputFileError as error:
        raise sheet_error(file, str(error)) from None
    text = _decode(file, data, encoding)
    separator = _separator(text)
    table = Table(file, "")
    if separator != ",":
        table.notes.append(f"read as {_SEPARATOR_NAMES[separator]}-separated values")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS and any(cell.strip() for cell in cells[MAX_COLUMNS:]):
                raise sheet_error(
                    file, f"row has {len(cells)} columns; expected at most {MAX_COLUMNS}", number, MAX_COLUMNS + 1
                )
            for column, cell in enumerate(cells, start=1):
                check_cell_size(file, number, column, cell)
            row = Row(number, tuple(clean_cell(cell) for cell in cells[:MAX_COLUMNS]))
            if row.empty:
                continue
            if len(table.rows) >= MAX_DATA_ROWS:
                raise sheet_error(
                    file,
                    f"more than {MAX_DATA_ROWS:,} rows; expected at most {MAX_DATA_ROWS:,} — split the MSEL",
                    number,
                )
            table.rows.append(row)
    except csv.Error as error:
        raise sheet_error(file, f"cannot read this CSV: {error} — is it a CSV file?", number + 1) from None
    if not table.rows:
        raise sheet_error(file, "the file is empty; expected a header row and one row per event")
    return table


def _decode(file: str, data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise sheet_error(file, f"unknown encoding '{encoding}'; expected e.g. utf-8, cp1252, latin-1") from None
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            raise _not_in(file, data, error, f"not valid {encoding}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _not_in(file, data, error, "not valid UTF-16 (the file starts with a UTF-16 mark)") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_in(file, data, error, "not UTF-8") from None


def _not_in(file: str, data: bytes, error: UnicodeDecodeError, what: str) -> SheetError:
    # Located as the spreadsheet shows it: the row and column of the cell holding the bad byte.
    before = data[: error.start].decode("utf-8", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(before, newline=""), delimiter=_separator(before)))
    except csv.Error:
        rows = []
    if not rows or before.endswith(("\n", "\r")):
        line, column = len(rows) + 1, 1  # the bad byte starts a row
    else:
        line, column = len(rows), max(len(rows[-1]), 1)
    return sheet_error(
        file,
        f"byte 0x{data[error.start]:02x} is {what}; expected UTF-8 text — save the sheet as 'CSV UTF-8',"
        " or name its encoding with --encoding (cp1252 for Excel on Windows, latin-1, mac-roman)",
        line,
        column,
    )


def _separator(text: str) -> str:
    """The separator under which the first lines hold the most known headers (then the most columns)."""
    head = "\n".join(text.splitlines()[:10])

    def score(separator: str) -> tuple[int, int]:
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=separator))
        except csv.Error:
            return (0, 0)
        known = max((sum(match_header(cell) is not None for cell in row) for row in rows), default=0)
        width = max((len(row) for row in rows), default=0)
        return (known, width)

    return max(SEPARATORS, key=score)
