"""Sheets that are odd or hostile: each one gets a clear, located message, or is read the documented way."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from simulator.cli import main
from simulator.msel import SheetError, import_sheet
from simulator.msel import read_csv as read_csv_module
from simulator.msel import read_xlsx as read_xlsx_module

HEADER = ["Step", "Stage", "Inject", "Decision question", "Responsibility"]
GOOD_ROW = ["alert", "detection", "An alert fires.", "Who triages?", "detection.triage"]


def _workbook(path: Path, rows: list[list[object]], title: str = "Events") -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return book


def _message(error: pytest.ExceptionInfo[SheetError]) -> str:
    assert len(error.value.findings) == 1, error.value.findings
    return str(error.value.findings[0])


def test_a_formula_is_read_as_its_text_never_evaluated(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    _workbook(
        path, [HEADER, ["alert", "detection", '=HYPERLINK("http://evil.example","click")', "=1+1", "detection.triage"]]
    )
    imported = import_sheet(path)[0]
    assert imported.scenario.steps[0].inject == '=HYPERLINK("http://evil.example","click")'
    assert imported.scenario.decisions[0].ask == "=1+1"
    assert imported.notes == ["formula cells read as their text, not evaluated: C2, D2"]


def test_merged_cells_give_their_value_to_every_row_they_span(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (HEADER, ["one", "detection", "First.", "Who triages?", "detection.triage"],
                ["two", None, "Second.", "Who decides?", "detection.criteria"],
                ["three", "confirmation", "Third.", "Who confirms?", "confirmation.confirm"]):  # fmt: skip
        sheet.append(row)
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C4:E4")  # across: only the first cell holds text
    book.save(path)
    imported = import_sheet(path)[0]
    assert [(s.id, s.stage) for s in imported.scenario.steps] == [
        ("one", "detection"),
        ("two", "detection"),
        ("three", "confirmation"),
    ]
    assert imported.scenario.steps[2].decisions == []
    assert "merged cells: the value of B2:B3 fills every row the range spans" in imported.notes


def test_hidden_rows_and_columns_are_read_and_named(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*HEADER, "Internal"])
    sheet.append([*GOOD_ROW, "not for players"])
    sheet.append([])
    sheet.append(["later", "confirmation", "Hidden but real.", "Who confirms?", "confirmation.confirm", ""])
    sheet.row_dimensions[4].hidden = True
    sheet.column_dimensions["F"].hidden = True
    book.save(path)
    imported = import_sheet(path)[0]
    assert [s.id for s in imported.scenario.steps] == ["alert", "later"]
    assert imported.scenario.steps[0].facilitator_notes == "Internal: not for players"
    assert imported.notes == [
        "hidden rows read like the others: 4",
        "hidden columns read like the others: F",
        "columns ttx does not know, kept in the facilitator notes: 'Internal' (F)",
    ]


def test_a_sheet_that_is_not_there_lists_the_ones_that_are(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _workbook(path, [HEADER, GOOD_ROW], title="MSEL")
    with pytest.raises(SheetError) as error:
        import_sheet(path, sheet="MESL")
    assert _message(error) == f"{path}:1:1: no sheet named 'MESL' — did you mean 'MSEL'?; the workbook has: MSEL"
    assert import_sheet(path, sheet="msel")[0].scenario.steps[0].id == "alert"


def test_non_utf8_csv_names_the_byte_and_the_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nalert,detection,Caf\xe9 on fire,Who?,detection.triage\n")
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    message = _message(error)
    assert message.startswith(f"{path}:2:3: byte 0xe9 is not UTF-8; expected UTF-8 text")
    assert "--encoding (cp1252 for Excel on Windows" in message
    assert import_sheet(path, encoding="cp1252")[0].scenario.steps[0].inject == "Café on fire"


def test_an_unknown_encoding_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("Stage,Inject\n", encoding="utf-8")
    with pytest.raises(SheetError, match="unknown encoding 'klingon'"):
        import_sheet(path, encoding="klingon")


def test_utf16_with_a_byte_order_mark_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    text = ",".join(HEADER) + "\n" + ",".join(GOOD_ROW).replace("An alert", "Ünïcode alert") + "\n"
    path.write_bytes(text.encode("utf-16"))
    assert import_sheet(path)[0].scenario.steps[0].inject == "Ünïcode alert fires."


def test_too_many_rows_are_refused_at_the_first_row_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_csv_module, "MAX_DATA_ROWS", 3)
    monkeypatch.setattr(read_xlsx_module, "MAX_DATA_ROWS", 3)
    rows = [HEADER, GOOD_ROW, ["", "", "", "Who else?", "detection.criteria"], ["", "", "", "", ""],
            ["", "", "More.", "", ""]]  # fmt: skip
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(SheetError) as error:
        import_sheet(csv_path)
    assert _message(error) == f"{csv_path}:5:1: more than 3 rows; expected at most 3 — split the MSEL"
    xlsx_path = tmp_path / "big.xlsx"
    _workbook(xlsx_path, [list(r) for r in rows])
    with pytest.raises(SheetError) as error:
        import_sheet(xlsx_path)
    assert _message(error) == (
        f"{xlsx_path}:5:1: sheet 'Events' has more than 3 rows; expected at most 3 — split the MSEL"
    )


def test_a_csv_over_the_size_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_csv_module, "CSV_MAX_BYTES", 1024)
    path = tmp_path / "big.csv"
    path.write_text("Stage,Inject\n" + "detection,x\n" * 200, encoding="utf-8")
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _message(error) == f"{path}:1:1: file is 2 KB; expected at most 1 KB — is this the right file?"


def test_a_cell_over_excels_own_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Stage,Inject\ndetection," + "x" * 40_000 + "\n", encoding="utf-8")
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _message(error).startswith(f"{path}:2:2: cell B2 holds 40,000 characters; expected at most 32,767")


def test_text_that_is_not_a_zip_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("Stage,Inject\ndetection,x\n", encoding="utf-8")
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _message(error) == (
        f"{path}:1:1: not an .xlsx workbook (not a zip archive); expected a file saved as 'Excel Workbook (.xlsx)'"
        " — is it a CSV with the wrong extension?"
    )


def test_a_zip_bomb_is_refused_before_anything_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 * 1024 * 1024))
    assert path.stat().st_size < 200_000  # small on disk, 65 MB inflated
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _message(error) == (
        f"{path}:1:1: the workbook expands to 65 MB; expected at most 64 MB"
        " — an MSEL this large is more than one exercise"
    )


def test_a_zip_without_a_workbook_inside_is_named(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<w/>")
    with pytest.raises(SheetError, match=r"a zip archive but not an \.xlsx workbook"):
        import_sheet(path)


def test_a_password_protected_workbook_says_to_remove_the_password(tmp_path: Path) -> None:
    # Excel saves an encrypted .xlsx as a Compound File holding "EncryptionInfo" and "EncryptedPackage".
    path = tmp_path / "locked.xlsx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    path.write_bytes(
        header + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _message(error).startswith(f"{path}:1:1: the workbook is password-protected (encrypted); expected an")


def test_an_old_xls_in_disguise_is_named(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    with pytest.raises(SheetError, match=r"old Excel 97-2003 workbook \(\.xls\)"):
        import_sheet(path)


def test_a_damaged_workbook_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<not really")
    result = CliRunner().invoke(main, ["import", "msel", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 1
    assert f"{path}:1:1: cannot read this workbook (" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("name", ["old.xls", "sheet.ods", "notes.txt"])
def test_other_file_types_are_named(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(SheetError, match=r"expected (a )?\.(xlsx|csv)"):
        import_sheet(path)


def test_a_device_or_folder_is_refused_as_input(tmp_path: Path) -> None:
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(SheetError, match="not a regular file"):
        import_sheet(link)
    folder = tmp_path / "dir.xlsx"
    folder.mkdir()
    with pytest.raises(SheetError, match="a folder"):
        import_sheet(folder)


def test_entity_tricks_inside_a_sheet_are_refused_with_a_message(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    _workbook(plain, [HEADER, GOOD_ROW])
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for entry in source.infolist():
            data = laughs if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry)
            target.writestr(entry, data)
    with pytest.raises(SheetError) as error:
        import_sheet(hostile)
    message = _message(error)
    assert message.startswith(f"{hostile}:1:1: cannot read this workbook (ValueError: Unable to read workbook")
    assert "\n" not in message


def test_a_sheet_whose_scenario_would_be_too_big_to_load_is_refused(tmp_path: Path) -> None:
    # Well under the CSV cap, but its scenario would be over the 2 MB every scenario file is held to.
    rows = [",".join(HEADER)] + [f"s{i},detection,{'x' * 9000},Who?,detection.triage" for i in range(250)]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(SheetError) as error:
        import_sheet(path)
    assert _message(error) == (
        f"{path}:1:1: the scenario would be 2.2 MB of YAML; a scenario file may be at most 2 MB"
        " — split the MSEL into several exercises"
    )


def _bad_file(tmp_path: Path, case: str) -> tuple[Path, list[str], str]:
    """(file, extra arguments, the located start of the message) for one kind of bad sheet."""
    if case == "not a zip":
        path = tmp_path / "not-zip.xlsx"
        path.write_text("Stage,Inject\n", encoding="utf-8")
        return path, [], f"{path}:1:1: not an .xlsx workbook"
    if case == "password":
        path = tmp_path / "locked.xlsx"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
        return path, [], f"{path}:1:1: the workbook is password-protected"
    if case == "encoding":
        path = tmp_path / "latin.csv"
        path.write_bytes(b"Stage,Inject\ndetection,Caf\xe9\n")
        return path, [], f"{path}:2:2: byte 0xe9 is not UTF-8"
    if case == "missing sheet":
        path = tmp_path / "sheetless.xlsx"
        _workbook(path, [HEADER, GOOD_ROW])
        return path, ["--sheet", "Injects"], f"{path}:1:1: no sheet named 'Injects'"
    if case == "zip bomb":
        path = tmp_path / "bomb.xlsx"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", b"\0" * (65 * 1024 * 1024))
        return path, [], f"{path}:1:1: the workbook expands to 65 MB"
    path = tmp_path / "no-stage.csv"
    path.write_text("Step,Inject,Question,Responsibility\na,Alert,Who?,detection.triage\n", encoding="utf-8")
    return path, [], f"{path}:2:1: no stage for this step (the sheet has no 'Stage' column)"


@pytest.mark.parametrize(
    "case", ["not a zip", "password", "encoding", "missing sheet", "zip bomb", "no stage"]
)  # fmt: skip
def test_the_command_names_the_place_and_writes_nothing(tmp_path: Path, case: str) -> None:
    path, extra, located = _bad_file(tmp_path, case)
    out = tmp_path / "out" / "scenario.yaml"
    result = CliRunner().invoke(main, ["import", "msel", str(path), "-o", str(out), *extra])
    assert result.exit_code == 1
    assert result.output.startswith(located), result.output
    assert result.output.rstrip().endswith("nothing written")
    assert "Traceback" not in result.output
    assert not out.parent.exists()
