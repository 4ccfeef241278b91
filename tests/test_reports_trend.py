"""`ttx trend` over a folder of good, torn and foreign sessions: read what can be read, skip the rest, never crash."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from reports_support import check_html, make_session
from rich.console import Console

from simulator.catalogue import STAGES
from simulator.cli import main
from simulator.reporting.files import session_report, write_session_reports
from simulator.reporting.trend import (
    MAX_ROWS,
    Collected,
    PersonLoad,
    SessionPoint,
    Trouble,
    build_trend,
    collect,
    session_folders,
    trend_of,
)
from simulator.reporting.trend_html import trend_html
from simulator.reporting.trend_markdown import MARKDOWN_TREND_MARK, trend_markdown
from simulator.reporting.trend_report import trend_report
from simulator.reporting.trend_terminal import print_trend
from simulator.sessions import load_session
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

DAY = timedelta(days=1)
START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
GOOD = {"who-confirms": ["soc-lead"], "who-isolates": ["msp-duty-engineer"], "who-leads": ["soc-lead"]}


def with_reports(folder: Path) -> Path:
    write_session_reports(session_report(load_session(folder, "reporting")), folder, ("json",))
    return folder


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three good sessions getting better, plus torn and foreign ones."""
    ws = tmp_path / "ws"
    first = with_reports(make_session(ws / "a", monkeypatch, started=START))
    with_reports(make_session(ws / "a", monkeypatch, started=START + 14 * DAY, changes={"who-confirms": ["soc-lead"]}))
    # The third has no report.json: it is scored again from its journal.
    make_session(ws / "b" / "deeper", monkeypatch, started=START + 28 * DAY, changes=GOOD)

    # Torn: a journal cut mid-line before the session ended, and no report.
    torn = ws / "torn"
    shutil.copytree(first, torn)
    (torn / "report.json").unlink()
    lines = (torn / "journal.jsonl").read_bytes().splitlines(keepends=True)
    (torn / "journal.jsonl").write_bytes(b"".join(lines[:9]) + lines[9][:25])
    # Torn report.json, but a good journal: scored from the journal, not skipped.
    half = ws / "half-report"
    shutil.copytree(first, half)
    text = (half / "report.json").read_text(encoding="utf-8")
    (half / "report.json").write_text(text[: len(text) // 2], encoding="utf-8")
    os.utime(half / "journal.jsonl", (0, 0))  # older than the report: only its being cut short sends us there

    # Foreign files.
    (ws / "foreign-report").mkdir()
    (ws / "foreign-report" / "report.json").write_text('{"format": "other-tool/9", "x": 1}\n', encoding="utf-8")
    (ws / "foreign-list").mkdir()
    (ws / "foreign-list" / "report.json").write_text("[1, 2, 3]\n", encoding="utf-8")
    (ws / "foreign-journal").mkdir()
    (ws / "foreign-journal" / "journal.jsonl").write_text('{"type": "header", "format": "ttx-journal/9"}\n')
    (ws / "binary").mkdir()
    (ws / "binary" / "report.json").write_bytes(b"\xff\xfe\x00garbage")
    (ws / "not-a-session").mkdir()
    (ws / "not-a-session" / "notes.txt").write_text("hello", encoding="utf-8")
    (ws / "readme.json").write_text("{}", encoding="utf-8")
    return ws


def test_trend_reads_good_skips_torn_and_foreign(workspace: Path) -> None:
    collected = collect([workspace])
    assert len(collected.points) == 4  # three good sessions and the one with a torn report.json
    assert [p.source for p in collected.points].count("journal") == 2
    skipped = {Path(s.folder).name: s.reason for s in collected.skipped}
    assert set(skipped) == {"torn", "foreign-report", "foreign-list", "foreign-journal", "binary"}
    assert "has not ended" in skipped["torn"]
    assert "other-tool/9" in skipped["foreign-report"]
    assert "ttx-journal/9" in skipped["foreign-journal"]
    assert all(p.started.tzinfo is not None for p in collected.points)


def test_journal_and_report_give_the_same_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = with_reports(make_session(tmp_path / "one", monkeypatch))
    from_report = collect([tmp_path / "one"]).points[0]
    (folder / "report.json").unlink()
    from_journal = collect([tmp_path / "one"]).points[0]
    assert from_report.source == "report.json" and from_journal.source == "journal"
    fields = ("clarity", "rating", "stages", "asked", "troubles", "people", "scenario_id", "started", "ballots")
    for field in fields:
        assert getattr(from_report, field) == getattr(from_journal, field), field
    assert from_report.names == from_journal.names


def test_a_stale_report_is_scored_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = with_reports(make_session(tmp_path / "one", monkeypatch))
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    report["overall"]["clarity"] = 1.0
    (folder / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    os.utime(folder / "report.json", (1, 1))  # older than the journal
    point = collect([tmp_path / "one"]).points[0]
    assert point.source == "journal" and point.clarity == 45.0


def test_a_compact_report_json_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = with_reports(make_session(tmp_path / "one", monkeypatch))
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    (folder / "journal.jsonl").unlink()
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")  # no indentation
    point = collect([tmp_path / "one"]).points[0]
    assert point.source == "report.json" and point.clarity == 45.0
    assert point.names["soc-lead"] == "SOC lead"


def test_trend_over_time(workspace: Path) -> None:
    trend = trend_of([workspace])
    assert trend.unit == "session" and len(trend.periods) == 4
    assert trend.overall.word == "improving"
    assert trend.overall.first == 45.0 and trend.overall.last is not None and trend.overall.last > 80
    top = trend.drifting[0]
    assert top.troubled >= 2 and top.asked >= top.troubled
    assert {p.name for p in trend.people} == {"Ana Silva", "Ben Okafor", "Chris Wong"}
    names = [d.responsibility for d in trend.drifting]
    assert "communication.contact" in names  # the overlap on client contact happened every time
    contact = next(d for d in trend.drifting if d.responsibility == "communication.contact")
    assert contact.troubled == contact.asked == 4 and contact.recent
    assert contact.actors == (("SOC lead", 4),)


def test_filters(workspace: Path) -> None:
    assert len(collect([workspace], scenario="golden-ransomware").points) == 4
    kept = collect([workspace], scenario="something-else")
    assert not kept.points and kept.filtered == 5  # the torn one too: its header names its scenario
    assert not collect([workspace], map_id="msp").points


def _point(n: int, clarity: float, rating: str = "M") -> SessionPoint:
    """Session n, three days after session n-1; the trend takes its rating as given, it never re-rates."""
    return SessionPoint(
        folder=f"s{n}",
        started=START + n * 3 * DAY,
        scenario_id="x",
        scenario_title="X",
        map_id="m",
        map_title="M",
        mode="solo",
        clarity=clarity,
        rating=rating,
        stages=tuple((clarity, rating) for _ in STAGES),
        asked=frozenset({"containment.authorize"}),
        troubles=(Trouble("containment.authorize", "lead", ("analyst",), 0, 1, 0, True),) if n % 2 else (),
        people=(PersonLoad("Dana", 2, n % 5, False),),
        names={"lead": "Lead", "analyst": "Analyst"},
        source="report.json",
    )


def test_many_sessions_are_grouped_by_period() -> None:
    # Clarity 30 to 89.5: sessions 0-19 are below 40 (U), 20-79 below 70 (M), 80-119 below 90 (S).
    points = [_point(n, 30 + n * 0.5, "U" if n < 20 else "M" if n < 80 else "S") for n in range(120)]
    trend = build_trend(Collected(points, [], [], 0))
    assert trend.unit == "month" and len(trend.periods) <= MAX_ROWS
    assert sum(p.sessions for p in trend.periods) == 120
    totals: dict[str, int] = {}
    for period in trend.periods:
        for letter, count in period.ratings.items():
            totals[letter] = totals.get(letter, 0) + count
    assert totals == {"U": 20, "M": 60, "S": 40}
    assert trend.overall.word == "improving"
    assert trend.drifting[0].troubled == 60 and trend.drifting[0].actors == (("Analyst", 60),)
    assert len(trend.people[0].series) == len(trend.periods)


def test_trend_documents(workspace: Path) -> None:
    report = trend_report(trend_of([workspace]))
    page = trend_html(report)
    check_html(page)
    footer = page.split("<footer>")[1].split("</footer>")[0]
    assert footer == f"Computed by ttx from each session's report.json or journal: {report.scope}."
    assert re.findall(r"\d+ sessions?\b", footer) == ["4 sessions"]  # the count, once: the scope gives it
    markdown = trend_markdown(report)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert [t.content for t in tokens if t.type == "html_block"] == [MARKDOWN_TREND_MARK + "\n"]  # only ttx's mark
    widths: list[int] = []
    for token in tokens:
        if token.type == "tr_open":
            widths.append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1] += 1
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
            widths = []
    assert "## Responsibilities that keep drifting" in markdown and "Skipped 5:" in markdown


def test_cli_trend(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    report = trend_report(trend_of([workspace]))
    expected = {"md": trend_markdown(report), "html": trend_html(report)}
    for format_ in ("term", "md", "html"):
        out = tmp_path / f"trend.{format_}"
        result = runner.invoke(main, ["trend", str(workspace), "--format", format_, "-o", str(out)])
        assert result.exit_code == 0, result.output
        written = out.read_text(encoding="utf-8")
        if format_ in expected:
            assert written == expected[format_]
        else:
            assert "Responsibilities that keep drifting" in written and "\x1b" not in written
        assert "warning: skipped" in result.output  # CliRunner mixes stderr in
    shown = runner.invoke(main, ["trend", str(workspace), str(tmp_path / "missing"), "--scenario", "golden-ransomware"])
    assert shown.exit_code == 0
    assert "Ownership clarity over time" in shown.output and "is not a folder" in shown.output
    empty = runner.invoke(main, ["trend", str(workspace / "not-a-session"), "--format", "md", "-o", tmp_path / "t.md"])
    assert empty.exit_code == 1 and "no session could be read" in empty.output
    assert not (tmp_path / "t.md").exists()  # nothing written: a scheduled trend keeps its last good page


def test_report_json_is_read_whatever_its_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON parser reads report.json: other indentation and another key order give the same point."""
    folder = with_reports(make_session(tmp_path / "one", monkeypatch))
    as_written = collect([tmp_path / "one"]).points[0]
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    (folder / "journal.jsonl").unlink()
    reordered = dict(reversed(list(report.items())))
    (folder / "report.json").write_text(json.dumps(reordered, indent="\t"), encoding="utf-8")
    point = collect([tmp_path / "one"]).points[0]
    assert point.source == "report.json"
    assert replace(point, folder="", source="") == replace(as_written, folder="", source="")


def test_report_json_that_cannot_be_used_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = {
        "list": b"[1, 2, 3]\n",
        "torn": b'{"format": "ttx-report/1", "exercise": {',
        "binary": b"\xff\xfe\x00garbage",
        "big": b'{"format": "ttx-report/1"}' + b" " * 200,
    }
    for name, data in cases.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.json").write_bytes(data)
    (tmp_path / "fifo").mkdir()
    os.mkfifo(tmp_path / "fifo" / "report.json")
    monkeypatch.setattr("simulator.reporting.trend.MAX_REPORT_BYTES", 100)
    skipped = {Path(s.folder).name: s.reason for s in collect([tmp_path]).skipped}
    assert set(skipped) == {"list", "torn", "binary", "big", "fifo"}
    assert skipped["fifo"] == "report.json cannot be used, and there is no journal to score it from"  # never opened
    assert skipped["list"].startswith("report.json is a JSON list, not an object")
    assert skipped["torn"].startswith("report.json is not valid JSON (Expecting property name")
    assert skipped["binary"].startswith("report.json is not UTF-8 text")
    assert skipped["big"].startswith("report.json: file is 226 bytes; expected at most 100 bytes")
    assert all(reason.endswith("and there is no journal to score it from") for reason in skipped.values())


def test_reading_a_trend_does_not_need_rich() -> None:
    """Reading and aggregating sessions is separate from printing them: the trend module never imports Rich."""
    code = (
        "import sys\n"
        "import simulator.reporting.trend, simulator.reporting.trend_report\n"
        "import simulator.reporting.trend_markdown, simulator.reporting.trend_html\n"
        "print(any(m == 'rich' or m.startswith('rich.') for m in sys.modules))\n"
        "print(hasattr(simulator.reporting.trend, 'print_trend'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_the_cli_writes_report_json_in_the_one_layout_trend_reads(tmp_path: Path) -> None:
    """`ttx run` and `ttx report --format json` write report.json with the reporting writer, byte for byte."""
    runner = CliRunner()
    done = runner.invoke(main, ["run", "stolen-laptop", "--autoplay", "random", "--seed", "3", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    written = (folder / "report.json").read_text(encoding="utf-8")
    assert written == session_report(load_session(folder, "reporting")).text("json")
    assert runner.invoke(main, ["report", str(folder), "--format", "json"]).output == written


def _dashed(document: str) -> list[str]:
    """The heights of the chart's dashed threshold lines."""
    return re.findall(r'<line [^>]*y1="([\d.]+)"[^>]*stroke-dasharray="3 3"', document)


def test_the_trend_chart_draws_the_sessions_thresholds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashed lines are the thresholds the sessions were scored with, read from report.json, not literals."""
    folder = with_reports(make_session(tmp_path / "one", monkeypatch))
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    report["settings"].update(performed=80.0, some_challenges=55.0, major_challenges=25.0)
    (folder / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (folder / "journal.jsonl").unlink()
    trend = trend_of([tmp_path / "one"])
    assert trend.bounds == ((80.0, "P"), (55.0, "S"), (25.0, "M")) and not trend.bounds_vary
    assert trend.points[0].bounds == trend.bounds

    default = build_trend(Collected([_point(0, 50), _point(1, 60)], [], [], 0))
    assert default.bounds == ((90.0, "P"), (70.0, "S"), (40.0, "M"))
    custom = build_trend(Collected([replace(_point(n, 50 + n), bounds=trend.bounds) for n in range(2)], [], [], 0))
    drawn, drawn_default = _dashed(trend_html(trend_report(custom))), _dashed(trend_html(trend_report(default)))
    assert len(drawn) == len(drawn_default) == 3 and drawn != drawn_default
    assert "earlier sessions were scored with others" not in trend_html(trend_report(custom))

    mixed = build_trend(Collected([_point(0, 50), replace(_point(1, 60), bounds=trend.bounds)], [], [], 0))
    assert mixed.bounds == trend.bounds and mixed.bounds_vary
    assert _dashed(trend_html(trend_report(mixed))) == drawn
    assert "earlier sessions were scored with others" in trend_html(trend_report(mixed))


def test_a_report_with_impossible_thresholds_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = with_reports(make_session(tmp_path / "one", monkeypatch))
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    report["settings"]["performed"] = 10.0  # below some_challenges
    (folder / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (folder / "journal.jsonl").unlink()
    collected = collect([tmp_path / "one"])
    assert not collected.points
    assert "rating thresholds must satisfy" in collected.skipped[0].reason


@pytest.mark.parametrize("format_", ["term", "md", "html"])
def test_cli_trend_into_a_missing_folder_says_so_in_one_line(workspace: Path, tmp_path: Path, format_: str) -> None:
    out = tmp_path / "no-such-folder" / "trend.txt"
    result = CliRunner().invoke(main, ["trend", str(workspace / "a"), "--format", format_, "-o", str(out)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert result.stderr == f"cannot write {out}: No such file or directory\n"


HOSTILE_MARKUP = ("Dana [/bold] Whitfield", "Analyst [on call]", "[link=http://x]y[/link]")


def test_cli_trend_shows_names_with_brackets_as_typed(tmp_path: Path) -> None:
    """Names, roles and titles that look like Rich markup are printed literally, never parsed (or crashed on)."""
    dana, analyst, link = HOSTILE_MARKUP
    scenario = tmp_path / "s.yaml"
    scenario.write_text(MINIMAL_SCENARIO.replace("title: Tiny scenario", f"title: 'Tiny {link} [/bold]'"))
    authority_map = tmp_path / "m.yaml"
    authority_map.write_text(
        MINIMAL_MAP.replace("name: SOC analyst", f"name: '{analyst}'").replace(
            "name: Client IT lead", f"name: '{link}'"
        )
    )
    roster = tmp_path / "r.yaml"
    people = [(dana, "soc-analyst"), (analyst, "client-it-lead")]
    roster.write_text("participants:\n" + "".join(f"  - {{name: '{n}', roles: [{r}]}}\n" for n, r in people))
    runner = CliRunner()
    workspace = tmp_path / "[on call] ws"
    for seed in ("1", "2"):
        args = ["run", str(scenario), "--map", str(authority_map), "--roster", str(roster), "--autoplay", "nobody"]
        done = runner.invoke(main, [*args, "--seed", seed, "--out", str(workspace)], env={"COLUMNS": "400"})
        assert done.exit_code == 0, done.output
        assert f"Session folder: {workspace}" in done.output
    out = tmp_path / "trend.txt"
    result = runner.invoke(main, ["trend", str(workspace), "-o", str(out)])
    assert result.exit_code == 0, result.output
    shown = out.read_text(encoding="utf-8")
    assert f"Tiny {link} [/bold]" in shown  # the scope line
    for name in HOSTILE_MARKUP:
        assert name in shown, name


def test_the_trend_page_escapes_what_sessions_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names, titles and reasons reach the page only through the autoescaping template."""
    with_reports(make_session(tmp_path / "ws", monkeypatch, hostile=True))
    (tmp_path / "ws" / "<b>odd").mkdir()
    (tmp_path / "ws" / "<b>odd" / "report.json").write_text("[]", encoding="utf-8")
    report = trend_report(trend_of([tmp_path / "ws"]))
    assert report.people and report.skipped
    document = trend_html(report)
    check_html(document)
    assert "<script>" not in document and "<b>odd" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document and "&lt;b&gt;odd" in document


def test_the_html_templates_ship_in_the_package() -> None:
    from simulator.reporting.html_templates import environment

    assert {"page.html.j2", "trend.html.j2", "report.css"} <= set(environment().list_templates())
    assert environment().autoescape is True


def test_report_json_with_what_only_python_json_allows_is_skipped(tmp_path: Path) -> None:
    """NaN is not JSON (RFC 8259); ttx never writes it, and a report.json holding it is not read as a session."""
    (tmp_path / "nan").mkdir()
    (tmp_path / "nan" / "report.json").write_text('{"format": "ttx-report/1", "overall": {"clarity": NaN}}')
    skipped = collect([tmp_path]).skipped
    assert [Path(s.folder).name for s in skipped] == ["nan"]
    assert skipped[0].reason.startswith("report.json is not valid JSON (")
    assert skipped[0].reason.endswith("and there is no journal to score it from")


def test_a_session_named_twice_is_read_once_and_folders_come_in_path_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    with_reports(make_session(ws / "a" / "b", monkeypatch, started=START))
    with_reports(make_session(ws / "a-b", monkeypatch, started=START))
    (tmp_path / "link").symlink_to(ws, target_is_directory=True)
    collected = collect([ws, tmp_path / "link", ws / "a"])
    assert len(collected.points) == 2  # the link and the sub-folder name sessions already read
    assert all(Path(p.folder).is_relative_to(ws) for p in collected.points)  # named as first met
    in_order = [folder.relative_to(ws).parts[:-1] for folder in session_folders([ws])]
    assert in_order == [("a", "b"), ("a-b",)]  # as paths sort ("a" < "a-b"), not as strings ("a-" < "a/")


def test_the_markdown_trend_replaces_its_own_file_but_not_a_users(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "trend.md"
    assert CliRunner().invoke(main, ["trend", str(workspace), "--format", "md", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(MARKDOWN_TREND_MARK + "\n# ")
    again = CliRunner().invoke(main, ["trend", str(workspace), "--format", "md", "-o", str(out)])
    assert again.exit_code == 0, again.output  # ttx's own file: no --force needed
    out.write_text("# my notes\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["trend", str(workspace), "--format", "md", "-o", str(out)])
    assert refused.exit_code == 2
    assert out.read_text(encoding="utf-8") == "# my notes\n"


def test_a_trend_of_nothing_renders_in_each_format_and_says_so(tmp_path: Path) -> None:
    """The CLI stops before rendering an empty trend; the renderers, as a library, still say what happened."""
    report = trend_report(trend_of([tmp_path]))
    assert report.sessions == 0
    assert "No session could be read.\n" in trend_markdown(report)
    page = trend_html(report)
    check_html(page)
    assert '<span class="big">0</span><span class="what">sessions read</span>' in page
    assert 'id="clarity"' not in page  # no empty chart
    console = Console(file=io.StringIO(), width=100, color_system=None)
    print_trend(report, console)
    assert "No session could be read." in console.file.getvalue()  # type: ignore[attr-defined]
