"""The AAR/IP of one session: golden Markdown, JSON and CSV, `ttx report` in every format, the TUI's writer.

Set TTX_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then read the diff.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from reports_support import make_session

from simulator.cli import main
from simulator.engine import Engine
from simulator.play import PlayableSession
from simulator.reporting.aar import build_aar
from simulator.reporting.csv_plan import COLUMNS, safe
from simulator.reporting.files import FILE_NAMES, session_report, write_session_reports
from simulator.reporting.markdown import cell, inline, text
from simulator.sessions import load_session
from simulator.tui.report_files import write_reports

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TTX_UPDATE_GOLDEN") == "1"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_session(tmp_path / "ws", monkeypatch)


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        # Writing is not checking: the run that rewrites a golden file cannot pass it.
        path.write_text(actual, encoding="utf-8", newline="")
        pytest.skip(f"wrote tests/golden/{name}; read the diff, then run again without TTX_UPDATE_GOLDEN")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from tests/golden/{name}; rerun with TTX_UPDATE_GOLDEN=1 if intended"


def test_markdown_matches_golden(folder: Path) -> None:
    check_golden("report.md", session_report(load_session(folder, "reporting")).text("md"))


def test_json_matches_golden(folder: Path) -> None:
    check_golden("report.json", session_report(load_session(folder, "reporting")).text("json"))


def test_csv_matches_golden(folder: Path) -> None:
    check_golden("improvement-plan.csv", session_report(load_session(folder, "reporting")).text("csv"))


def test_the_same_journal_gives_the_same_bytes(folder: Path) -> None:
    first = session_report(load_session(folder, "reporting"))
    second = session_report(load_session(folder, "reporting"))
    for format_ in FILE_NAMES:
        assert first.text(format_) == second.text(format_)


def test_aar_sections_follow_the_session(folder: Path) -> None:
    report = session_report(load_session(folder, "reporting"))
    aar = report.aar
    assert aar.overview.date == "2025-03-01" and aar.overview.finished
    assert [p.name for p in aar.overview.participants] == ["Ana Silva", "Ben Okafor", "Chris Wong"]
    assert aar.overview.participants[0].many_roles
    assert [u.id for u in aar.overview.unstaffed] == ["client-it-lead"]
    assert [s.rating for s in aar.summary.stages] == ["P", "U", "M", "M", "U", "P"]
    # Critical decisions lead the plan; the owner is the map's accountable role; the map gap is a plan item.
    plan = aar.plan
    assert [p.critical for p in plan] == sorted((p.critical for p in plan), reverse=True)
    assert plan[0].owner is not None and plan[0].owner.id == "soc-lead"
    assert any(p.owner is None and p.responsibility == "confirmation.severity" for p in plan)
    # Scoring's sentences name roles by id; the AAR names them.
    assert all("msp-service-manager" not in i.observation for i in aar.improvements)
    # Timeline: every answer, the consequence and both notes, on the scenario clock, nothing left "not answered".
    entries = [e for step in aar.timeline for e in step.entries]
    assert sum(e.kind == "answer" for e in entries) == 8
    assert not any(e.kind == "asked" for e in entries)
    assert [e.clock for e in entries if e.kind == "consequence"] == ["03:30"]
    assert sum(e.kind == "note" for e in entries) == 2
    assert aar.overview.duration == "22 min"


def test_build_aar_needs_only_journal_copies_and_score(folder: Path) -> None:
    session = load_session(folder, "reporting")
    report = session_report(session)
    again = build_aar(session.header, session.scenario, session.authority_map, session.contents.events, report.score)
    assert again == report.aar


def test_csv_reads_as_a_spreadsheet(folder: Path) -> None:
    written = write_session_reports(session_report(load_session(folder, "reporting")), folder)
    assert [p.name for p in written] == ["report.json", "report.md", "report.html", "improvement-plan.csv"]
    raw = (folder / "improvement-plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    with open(folder / "improvement-plan.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 5
    assert [r["No."] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["Priority"] == "Critical" and rows[0]["Owner role ID"] == "soc-lead"
    assert all(r["Status"] == "" and r["Due date"] == "" for r in rows)


def test_csv_cells_never_run_as_formulas() -> None:
    assert safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe("+1") == "'+1" and safe("-1") == "'-1" and safe("@SUM(A1)") == "'@SUM(A1)"
    assert safe("SOC lead") == "SOC lead"


def test_markdown_tables_keep_their_columns(folder: Path) -> None:
    document = session_report(load_session(folder, "reporting")).text("md")
    tokens = MarkdownIt("commonmark").enable("table").parse(document)
    tables = 0
    widths: list[int] = []
    for token in tokens:
        if token.type == "table_open":
            tables += 1
            widths = []
        elif token.type == "tr_open":
            widths.append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1] += 1
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
    assert tables >= 8


@pytest.mark.parametrize(
    "hostile",
    ["| pipe | break", "<script>alert(1)</script>", "# heading", "1. list", "**bold** _it_ `code` [a](b) ~x~ $m$"],
)
def test_markdown_escaping_keeps_text_literal(hostile: str) -> None:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    rendered = md.render(f"| a | b |\n|---|---|\n| {cell(hostile)} | x |\n")
    assert rendered.count("<td>") == 2
    html_out = md.render(text(hostile))
    for markup in ("<script", "<h1", "<ol", "<strong", "<em", "<code", "<a ", "<s>"):
        assert markup not in html_out
    assert inline("line one\nline two") == "line one line two"


def test_cli_report_writes_every_format(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for format_, check in (
        ("md", lambda t: t.splitlines()[1] == "# After-action report: Ransomware at Acme Logistics"),
        ("html", lambda t: t.startswith("<!DOCTYPE html>")),
        ("csv", lambda t: t.lstrip("\ufeff").startswith("No.,Priority")),
        ("json", lambda t: json.loads(t)["format"] == "ttx-report/1"),
        ("term", lambda t: "Ownership clarity" in t),
    ):
        out = tmp_path / f"out.{format_}"
        result = runner.invoke(main, ["report", str(folder), "--format", format_, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert check(out.read_text(encoding="utf-8")), format_
        shown = runner.invoke(main, ["report", str(folder), "--format", format_])
        assert shown.exit_code == 0
        if format_ != "term":
            assert shown.output == out.read_text(encoding="utf-8").lstrip("\ufeff")


def test_tui_writes_every_report(folder: Path) -> None:
    loaded = load_session(folder, "reporting")
    # As the debrief holds it: an engine replayed from the journal (its own events carry the replay's times).
    engine = Engine.restore(
        loaded.scenario, loaded.authority_map, loaded.roster, loaded.header.seed, loaded.contents.events
    )
    session = PlayableSession(engine=engine, folder=folder, header=loaded.header)
    written = write_reports(session, session_report(loaded).score)
    assert sorted(p.name for p in written) == sorted(FILE_NAMES.values())
    html = (folder / "report.html").read_text(encoding="utf-8")
    # The timeline keeps the journal's times of play, not the times of the replay.
    assert "22 min" in html
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["format"] == "ttx-report/1"
    assert (folder / "report.md").read_text(encoding="utf-8").splitlines()[1].startswith("# After-action")


@pytest.mark.parametrize("format_", ["term", "md", "html", "json", "csv"])
def test_cli_report_into_a_missing_folder_says_so_in_one_line(folder: Path, tmp_path: Path, format_: str) -> None:
    out = tmp_path / "no-such-folder" / f"report.{format_}"
    result = CliRunner().invoke(main, ["report", str(folder), "--format", format_, "-o", str(out)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert result.stderr == f"cannot write {out}: No such file or directory\n"
    assert not out.parent.exists()
