"""The MSEL bridge: Master Scenario Events Lists in CSV and XLSX, to and from ttx scenarios. No UI here."""

from __future__ import annotations

from pathlib import Path

from simulator.loading import LoadError, load_scenario
from simulator.loading.yamlsource import MAX_BYTES
from simulator.model import AuthorityMap, Scenario
from simulator.msel.sheet import SheetError, sheet_error
from simulator.msel.to_scenario import Imported, rows_to_scenario
from simulator.msel.yamltext import scenario_yaml

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}

__all__ = ["FORMATS", "Imported", "SheetError", "export_bytes", "import_sheet", "sheet_format"]


def sheet_format(path: Path) -> str:
    """'csv' or 'xlsx' from the file name, or a SheetError saying what is expected."""
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix in (".xls", ".ods", ".numbers"):
        raise sheet_error(str(path), f"'{suffix}' files are not read; expected .xlsx or .csv — save the sheet as one")
    raise sheet_error(str(path), f"cannot tell the format from '{path.name}'; expected a .csv or .xlsx file")


def import_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    scenario_id: str | None = None,
    title: str | None = None,
) -> tuple[Imported, str]:
    """The scenario an MSEL file describes and its YAML text, checked as `ttx validate` would check it."""
    fmt = sheet_format(path)
    default_id = _id_from(path.stem)
    if fmt == "csv":
        from simulator.msel.read_csv import read_csv

        if sheet is not None:
            raise sheet_error(str(path), "--sheet names a worksheet of an .xlsx workbook; a CSV file has only one")
        imported = rows_to_scenario(
            read_csv(path, encoding), scenario_id=scenario_id, title=title, default_id=default_id
        )
    else:
        from simulator.msel.read_xlsx import read_xlsx

        if encoding is not None:
            raise sheet_error(str(path), "--encoding is for CSV files; an .xlsx workbook says its own encoding")
        book = read_xlsx(path, sheet)
        imported = rows_to_scenario(
            book.events, book.scenario, scenario_id=scenario_id, title=title, default_id=default_id
        )
    text = scenario_yaml(imported.scenario, str(path))
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:  # what `ttx validate` and play would refuse to read
        raise sheet_error(
            str(path),
            f"the scenario would be {size / 1048576:.1f} MB of YAML; a scenario file may be at most"
            f" {MAX_BYTES // 1048576} MB — split the MSEL into several exercises",
        )
    try:
        load_scenario(f"{path} (as YAML)", text=text)
    except LoadError as error:  # a check the sheet pass does not make; say so rather than write a bad file
        raise SheetError(error.findings) from None
    return imported, text


def export_bytes(scenario: Scenario, authority_map: AuthorityMap, seed: int | None, fmt: str) -> bytes:
    from simulator.msel.from_scenario import scenario_rows
    from simulator.msel.writers import csv_bytes, xlsx_bytes

    sheets = scenario_rows(scenario, authority_map, seed)
    return csv_bytes(sheets) if fmt == "csv" else xlsx_bytes(sheets)


def _id_from(stem: str) -> str:
    from simulator.msel.cells import slug

    return slug(stem, 48)
