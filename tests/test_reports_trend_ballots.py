"""Private ballots in `ttx trend`: hand-written report.json files, expected figures worked out by hand."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from reports_support import check_html, make_session

from simulator.cli.output import safe_console
from simulator.reporting.trend import collect, trend_of
from simulator.reporting.trend_ballots import ballots_from_report
from simulator.reporting.trend_html import trend_html
from simulator.reporting.trend_markdown import trend_markdown
from simulator.reporting.trend_report import trend_report
from simulator.reporting.trend_terminal import print_trend

START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
MALLORY = "[b]Mal\x1blory[/b] <i>|"  # Rich markup, an escape character, HTML and a Markdown cell break


def person(name: str, first: list[str], outcome: str, moved: str) -> dict[str, Any]:
    return {
        "name": name,
        "first": {"roles": first, "outcome": outcome},
        "final": {"roles": first, "outcome": outcome},
        "moved": moved,
    }


def decision(team: list[str], outcome: str, people: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "d",
        "stage": "detection",
        "expected": ["a"],
        "team": {"roles": team, "outcome": outcome},
        "first_aligned": 0,  # not read by the trend: it counts the people itself
        "ballots": len(people),
        "people": people,
    }


# First session: two decisions, two people.
#   d1: the team answered a (aligned). Pat first said b (drift; the team found the owner: towards); Lee said a.
#   d2: the team answered b (drift). Pat first said a (aligned; the team did not: away); Lee said b.
FIRST = {
    "decisions": [
        decision(
            ["a"], "aligned", [person("Pat", ["b"], "drift", "towards"), person("Lee", ["a"], "aligned", "stayed")]
        ),
        decision(["b"], "drift", [person("Pat", ["a"], "aligned", "away"), person("Lee", ["b"], "drift", "stayed")]),
    ],
    "participants": [],
}
# Fourth session: one decision, the team answered a (aligned); only Pat had said so first.
FOURTH = {
    "decisions": [
        decision(
            ["a"],
            "aligned",
            [
                person("Pat", ["a"], "aligned", "stayed"),
                person("Lee", ["c"], "drift", "towards"),
                person(MALLORY, ["a", "c"], "overlap", "towards"),
            ],
        )
    ],
    "participants": [],
}


def report_json(started: datetime, ballots: Any, revision_1_0: bool = False) -> dict[str, Any]:
    """The smallest ttx-report/1 document the trend reads, written out by hand."""
    report: dict[str, Any] = {
        "format": "ttx-report/1",
        "exercise": {
            "scenario": {"id": "s", "title": "Scenario", "sha256": "a" * 64},
            "map": {"id": "m", "title": "Map", "sha256": "b" * 64},
            "seed": 1,
            "mode": "facilitated",
            "started_at": started.isoformat(),
        },
        "overall": {"clarity": 50.0, "rating": "M"},
        "stages": [],
        "improvements": [],
        "strengths": {"responsibilities": []},
        "load": {"people": []},
        "settings": {"performed": 90.0, "some_challenges": 70.0, "major_challenges": 50.0},
        "map_snapshot": {"roles": []},
    }
    if not revision_1_0:
        report["private_ballots"] = ballots
    return report


@pytest.fixture
def four(tmp_path: Path) -> Path:
    """Four sessions a week apart: ballots, null ballots, a revision 1.0 report without the key, ballots."""
    root = tmp_path / "sessions"
    documents = [
        report_json(START, FIRST),
        report_json(START + timedelta(days=7), None),
        report_json(START + timedelta(days=14), None, revision_1_0=True),
        report_json(START + timedelta(days=21), FOURTH),
    ]
    for n, document in enumerate(documents):
        folder = root / f"s{n}"
        folder.mkdir(parents=True)
        (folder / "report.json").write_text(json.dumps(document), encoding="utf-8")
    return root


def test_one_sessions_ballots_counted_by_hand() -> None:
    first = ballots_from_report(FIRST)
    assert first is not None
    tally = first.tally
    assert (tally.decisions, tally.team_aligned, tally.ballots, tally.first_aligned) == (2, 1, 4, 2)
    assert (tally.first_agreed, tally.towards, tally.away) == (2, 1, 1)  # Lee's two first answers were the team's
    assert [(p.name, p.ballots, p.first_aligned, p.towards, p.away) for p in first.people] == [
        ("Pat", 2, 1, 1, 1),
        ("Lee", 2, 1, 0, 0),
    ]
    assert ballots_from_report(None) is None
    assert ballots_from_report({"decisions": [], "participants": []}) is None


def test_sessions_without_ballots_are_not_counted(four: Path) -> None:
    ballots = trend_of([four]).ballots
    assert ballots.sessions == 4 and ballots.total.sessions == 2
    assert [p.label for p in ballots.periods] == ["2025-01-06 09:00", "2025-01-27 09:00"]
    total = ballots.total
    assert (total.decisions, total.team_aligned, total.ballots, total.first_aligned, total.first_agreed) == (
        3,
        2,
        7,
        3,
        3,
    )
    assert (total.towards, total.away) == (3, 1)
    # Mallory missed the map once in one ballot (100%); Lee in 2 of 3; Pat in 1 of 3.
    assert [(p.name, p.ballots, p.not_aligned) for p in ballots.people] == [
        (MALLORY, 1, 1),
        ("Lee", 3, 2),
        ("Pat", 3, 1),
    ]
    lee = ballots.people[1]
    assert (lee.first_drift, lee.latest_drift, lee.sessions) == (0.5, 1.0, 2)


def test_the_model_words_each_row(four: Path) -> None:
    section = trend_report(trend_of([four])).ballots
    assert section.counted == "2 of 4 sessions had private ballots; the others are not counted in this section."
    first, fourth = section.rows
    assert (first.first_on_map, first.team_on_map, first.shift, first.agreed, first.moved) == (
        "2 of 4 (50%)",
        "1 of 2 (50%)",
        "+0 points",
        "2 of 4 (50%)",
        "1 · 1",
    )
    assert (fourth.first_on_map, fourth.team_on_map, fourth.shift, fourth.agreed, fourth.moved) == (
        "1 of 3 (33%)",
        "1 of 1 (100%)",
        "+67 points",
        "1 of 3 (33%)",
        "2 · 0",
    )
    # 2 of 3 decisions (66.7%) against 3 of 7 first answers (42.9%): 23.8 points.
    total = section.total
    assert (total.ballots, total.first_on_map, total.team_on_map, total.shift, total.agreed, total.moved) == (
        7,
        "3 of 7 (43%)",
        "2 of 3 (67%)",
        "+24 points",
        "3 of 7 (43%)",
        "3 · 1",
    )
    assert section.spark == "▅▃"  # blocks ▁▂▃▄▅▆▇█ indexed by int(share × 8): 50% is 4, 33% is 2
    assert [(p.off_map, p.first_latest, p.moved) for p in section.people] == [
        ("1 of 1 (100%)", "100% → 100%", "1 · 0"),
        ("2 of 3 (67%)", "50% → 100%", "1 · 0"),
        ("1 of 3 (33%)", "50% → 0%", "1 · 1"),
    ]


def test_every_format_shows_the_section_and_escapes_names(four: Path) -> None:
    report = trend_report(trend_of([four]))
    markdown = trend_markdown(report)
    assert "## Private ballots\n\n2 of 4 sessions had private ballots; the others are not counted" in markdown
    assert "| 2025\\-01-27 09:00 | 3 | 1 of 3 (33%) | 1 of 1 (100%) | +67 points | 1 of 3 (33%) | 2 · 0 |" in markdown
    assert "| **All sessions** | **7** | **3 of 7 (43%)** |" in markdown
    assert "| \\[b\\]Mallory\\[/b\\] \\<i\\>\\| | 1 | 1 of 1 (100%) | 100% → 100% | 1 · 0 |" in markdown
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert not any(child.type == "html_inline" for token in tokens for child in token.children or [])

    page = trend_html(report)
    check_html(page)
    assert "<td>[b]Mallory[/b] &lt;i&gt;|</td>" in page and "<i>|" not in page
    assert '<h2 id="private-ballots">Private ballots</h2>' in page
    assert '<td class="num">+67 points</td>' in page

    buffer = io.StringIO()
    print_trend(report, safe_console(file=buffer, width=200, color_system=None))  # as `ttx trend` prints
    text = buffer.getvalue()
    assert "Private ballots: 2 of 4 sessions had private ballots" in text
    assert re.search(r"\[b\]Mallory\[/b\] <i>\|\s+│\s+1\s+│\s+1 of 1 \(100%\)\s+│\s+100% → 100%", text)
    assert re.search(r"All sessions\s+│\s+7\s+│\s+3 of 7 \(43%\)\s+│\s+2 of 3 \(67%\)\s+│\s+\+24 points", text)
    for document in (markdown, page, text):
        assert "\x1b" not in document


def test_no_ballots_anywhere_says_so_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "report.json").write_text(json.dumps(report_json(START, None)), encoding="utf-8")
    report = trend_report(trend_of([tmp_path]))
    assert report.ballots.counted == "0 of 1 session had private ballots."
    markdown = trend_markdown(report)
    assert "## Private ballots\n\n0 of 1 session had private ballots.\n" in markdown
    assert "Whose private first answers" not in markdown
    assert "Whose private first answers" not in trend_html(report)


def test_a_malformed_ballot_section_skips_the_session_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "report.json").write_text(json.dumps(report_json(START, {"decisions": 3})), encoding="utf-8")
    collected = collect([tmp_path])
    assert collected.points == []
    assert "does not have the ttx-report/1 shape" in collected.skipped[0].reason


def test_a_session_scored_from_its_journal_brings_its_ballots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report fixture's ballots: Ana first named the duty engineer on who-authorises; the team named the owner."""
    make_session(tmp_path / "ws", monkeypatch)  # no report.json: scored again from the journal
    point = collect([tmp_path / "ws"]).points[0]
    assert point.source == "journal" and point.ballots is not None
    tally = point.ballots.tally
    assert (tally.decisions, tally.ballots, tally.first_aligned, tally.towards, tally.away) == (2, 6, 5, 1, 0)
    assert [(p.name, p.first_aligned) for p in point.ballots.people] == [
        ("Ana Silva", 1),
        ("Ben Okafor", 2),
        ("Chris Wong", 2),
    ]
