"""A sheet as ttx reads it: rows of text cells that remember where they came from, and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.frozen import frozen
from simulator.loading.findings import Finding
from simulator.safetext import strip_controls

# Limits, documented in docs/msel.md. A sixty-row MSEL is typical; these leave ample room and still
# stop a runaway or hostile file before it costs memory or minutes.
MAX_DATA_ROWS = 5000  # non-empty rows in the sheet that is imported
MAX_COLUMNS = 100  # the right-most column that may hold text
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
CSV_MAX_BYTES = 5 * 1024 * 1024
XLSX_MAX_BYTES = 10 * 1024 * 1024  # the .xlsx file itself (compressed)
XLSX_MAX_UNCOMPRESSED = 64 * 1024 * 1024  # everything inside the zip, as its entries declare it
XLSX_MAX_ENTRIES = 2000  # files inside the zip

# A spreadsheet treats a cell starting with one of these as a formula; ttx's CSV writer puts an
# apostrophe in front (the OWASP advice) and the readers take it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SheetError(Exception):
    """Every problem found in a sheet, each located as file:row:column; nothing has been written."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


def sheet_error(file: str, message: str, row: int = 1, column: int = 1) -> SheetError:
    return SheetError([Finding(file, row, column, message)])


@frozen
class Row:
    number: int  # 1-based, as the spreadsheet program shows it
    cells: tuple[str, ...]  # cells[0] is column 1 (A)

    def get(self, column: int) -> str:
        """Text of 1-based `column`; '' past the end."""
        return self.cells[column - 1] if 0 < column <= len(self.cells) else ""

    @property
    def empty(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass
class Table:
    """One sheet (or a CSV file): its non-empty rows in order, and what the reader noticed."""

    file: str
    name: str  # the worksheet's name; '' for CSV
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def unguard(text: str) -> str:
    """Undo the formula guard: "'=SUM(A1)" -> "=SUM(A1)"; "''x" -> "'x"; anything else unchanged."""
    if text.startswith("'") and text[1:2] and (text[1:].startswith(FORMULA_START) or text[1] == "'"):
        return text[1:]
    return text


def guard(text: str) -> str:
    """A CSV cell a spreadsheet shows as text and never runs: a leading apostrophe where needed."""
    return "'" + text if text.startswith((*FORMULA_START, "'")) else text


def clean_cell(text: str) -> str:
    """Cell text as ttx keeps it: no control characters, Windows line ends made plain, guard removed."""
    return unguard(strip_controls(text.replace("\r\n", "\n")))


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def check_cell_size(file: str, row: int, column: int, text: str) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise sheet_error(
            file,
            f"cell {column_letter(column)}{row} holds {len(text):,} characters; expected at most {MAX_CELL_CHARS:,}"
            " — split the text over several rows",
            row,
            column,
        )
