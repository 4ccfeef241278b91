"""report.json (docs/report-json.md): versioned, stable key order, JSON round-trip, and a small fixed session.

Also the Rich terminal summary, which reads the same score.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.records import AnswerRecord, Header, SourceFile
from simulator.reporting.aar import build_aar
from simulator.reporting.figures import clarity_text, thresholds_text
from simulator.reporting.json_report import REPORT_FORMAT, build_report, clarity_value, dumps_report
from simulator.reporting.summary import summary_of
from simulator.reporting.terminal import format_clarity, print_summary
from simulator.scoring import SessionScore, score_session
from simulator.scoring.result import MapGap, NeededRole
from simulator.scoring.settings import ScoringSettings

MAP = AuthorityMap.model_validate(
    {
        "id": "golden-map",
        "title": "Golden map",
        "parties": {"soc": "Backend SOC", "client": "Client"},
        "roles": [
            {"id": "soc-analyst", "name": "SOC analyst", "party": "soc"},
            {"id": "soc-lead", "name": "SOC lead", "party": "soc"},
            {"id": "client-lead", "name": "Client IT lead", "party": "client", "deputy": "client-admin"},
            {"id": "client-admin", "name": "Client admin", "party": "client"},
        ],
        "assignments": {
            "detection.triage": {"A": "soc-lead", "R": ["soc-analyst"], "why": "The SOC watches alerts."},
            "containment.authorize": {
                "A": "client-lead",
                "C": ["soc-lead"],
                "why": "The client owns its systems.",
            },
        },
    }
)

SCENARIO = Scenario.model_validate(
    {
        "id": "golden",
        "title": "Alert at {{ client }}",
        "variables": {"client": {"choice": ["Acme"]}, "host": {"choice": ["FS-01"]}},
        "steps": [
            {
                "id": "alert",
                "stage": "detection",
                "clock": "02:14",
                "inject": "EDR flags {{ host }}.",
                "decisions": [
                    {
                        "id": "who-triages",
                        "ask": "Who triages the alert on {{ host }}?",
                        "responsibility": "detection.triage",
                        "weight": 2,
                        "time_limit_s": 60,
                    }
                ],
            },
            {
                "id": "contain",
                "stage": "containment",
                "inject": "Encryption spreads.",
                "decisions": [
                    {
                        "id": "who-authorises",
                        "ask": "Who authorises isolation?",
                        "responsibility": "containment.authorize",
                        "expect": "accountable",
                        "critical": True,
                    }
                ],
            },
            {
                "id": "lead",
                "stage": "investigation",
                "inject": "Time to dig.",
                "decisions": [
                    {"id": "who-leads", "ask": "Who leads the investigation?", "responsibility": "investigation.lead"}
                ],
            },
        ],
    }
)

ROSTER = Roster(
    participants=[
        Participant(name="Dana", roles=["soc-lead", "soc-analyst", "client-admin"]),
        Participant(name="Sam", roles=["client-lead"]),
    ]
)

HEADER = Header(
    scenario=SourceFile("golden", "scenarios/golden.yaml", "a" * 64, "scenario.yaml"),
    map=SourceFile("golden-map", "roles/golden.yaml", "b" * 64, "map.yaml"),
    seed=42,
    roster=[
        {"name": "Dana", "roles": ["soc-lead", "soc-analyst", "client-admin"]},
        {"name": "Sam", "roles": ["client-lead"]},
    ],
    mode="facilitated",
    started_at="2025-03-01T09:00:00.000+00:00",
)


def record(
    decision: str, step: str, stage: str, responsibility: str, roles: tuple[str, ...], **extra: Any
) -> AnswerRecord:
    fields: dict[str, Any] = {"answered_by": "Dana", "latency_ms": 5000} | extra
    return AnswerRecord(decision, step, stage, responsibility, roles, **fields)


ANSWERS = [
    record(
        "who-triages",
        "alert",
        "detection",
        "detection.triage",
        ("soc-analyst",),
        latency_ms=12_000,
        clock="02:14",
        ballots={"Dana": ("soc-analyst",), "Sam": ("soc-lead",)},
    ),
    record(
        "who-authorises",
        "contain",
        "containment",
        "containment.authorize",
        ("soc-lead", "client-lead"),
        answered_by="Sam",
        latency_ms=70_000,
        clock="02:30",
    ),
    record("who-leads", "lead", "investigation", "investigation.lead", ("soc-lead",), clock="03:10"),
]

NOTES = [{"text": "Room argued about who may isolate.", "author": "facilitator", "step": "contain", "clock": "02:30"}]


def score() -> SessionScore:
    return score_session(SCENARIO, MAP, ROSTER, ANSWERS, NOTES)


@pytest.fixture
def report() -> dict[str, Any]:
    return build_report(HEADER, SCENARIO, MAP, score())


TOP_LEVEL = [
    "format",
    "exercise",
    "overall",
    "outcomes",
    "drift_kinds",
    "stages",
    "decisions",
    "map_gaps",
    "reflection",
    "drift_matrix",
    "top_drifts",
    "latency",
    "load",
    "consensus",
    "strengths",
    "improvements",
    "notes",
    "unknown_answers",
    "settings",
    "map_snapshot",
    "journal_chain",
    "private_ballots",
]

DECISION_KEYS = [
    "id",
    "step",
    "stage",
    "ask",
    "responsibility",
    "expect",
    "weight",
    "critical",
    "owner",
    "expected",
    "answer",
    "answered_by",
    "outcome",
    "credit",
    "drift_kind",
    "overreach",
    "via_deputy",
    "map_gap",
    "latency_ms",
    "time_limit_s",
    "timed_out",
    "late",
    "attempt",
    "clock",
    "ballots",
]


def test_format_version_and_key_order(report: dict[str, Any]) -> None:
    assert report["format"] == REPORT_FORMAT == "ttx-report/1"
    assert list(report) == TOP_LEVEL
    assert list(report["exercise"]) == ["scenario", "map", "seed", "mode", "started_at", "journal_format", "roster"]
    assert list(report["overall"]) == [
        "clarity",
        "rating",
        "rating_label",
        "decisions",
        "scored",
        "weight",
        "earned",
        "critical_gaps",
    ]
    assert all(list(d) == DECISION_KEYS for d in report["decisions"])
    assert all(list(s)[:5] == ["stage", "clarity", "rating", "rating_label", "decisions"] for s in report["stages"])


def test_json_round_trip_and_determinism(report: dict[str, Any]) -> None:
    text = dumps_report(report)
    assert json.loads(text) == report
    assert text.endswith("\n")
    again = dumps_report(build_report(HEADER, SCENARIO, MAP, score()))
    assert again == text
    # Nothing but the header's start time carries a date.
    assert text.count("2025-") == 1


def test_golden_session(report: dict[str, Any]) -> None:
    exercise = report["exercise"]
    assert exercise["scenario"] == {"id": "golden", "title": "Alert at Acme", "sha256": "a" * 64}
    assert exercise["map"] == {"id": "golden-map", "title": "Golden map", "sha256": "b" * 64}
    assert (exercise["seed"], exercise["mode"], exercise["started_at"]) == (42, "facilitated", HEADER.started_at)
    assert exercise["roster"][1] == {"name": "Sam", "roles": ["client-lead"]}

    # triage aligned (weight 2, credit 1) + authorise overlap with the owner (weight 1, credit 0.5) = 2.5 / 3.
    assert report["overall"] == {
        "clarity": 83.33,
        "rating": "S",
        "rating_label": "Performed with some challenges",
        "decisions": 3,
        "scored": 2,
        "weight": 3,
        "earned": 2.5,
        "critical_gaps": [],
    }
    stages = {s["stage"]: (s["clarity"], s["rating"], s["rating_label"], s["decisions"]) for s in report["stages"]}
    assert stages == {
        "detection": (100.0, "P", "Performed without challenges", 1),
        "confirmation": (None, None, "not played", 0),
        "containment": (50.0, "M", "Performed with major challenges", 1),
        "communication": (None, None, "not played", 0),
        "investigation": (None, None, "not scored: map gaps only", 1),
        "documentation": (None, None, "not played", 0),
    }
    assert report["decisions"][1] == {
        "id": "who-authorises",
        "step": "contain",
        "stage": "containment",
        "ask": "Who authorises isolation?",
        "responsibility": "containment.authorize",
        "expect": "accountable",
        "weight": 1,
        "critical": True,
        "owner": "client-lead",
        "expected": ["client-lead"],
        "answer": ["client-lead", "soc-lead"],
        "answered_by": "Sam",
        "outcome": "overlap",
        "credit": 0.5,
        "drift_kind": None,
        "overreach": False,
        "via_deputy": False,
        "map_gap": False,
        "latency_ms": 70_000,
        "time_limit_s": None,
        "timed_out": False,
        "late": False,
        "attempt": 1,
        "clock": "02:30",
        "ballots": {},
    }
    assert report["decisions"][0]["ask"] == "Who triages the alert on FS-01?"
    assert report["decisions"][0]["late"] is False
    assert report["decisions"][2]["map_gap"] is True
    assert report["map_gaps"] == [
        {
            "responsibility": "investigation.lead",
            "decision": "who-leads",
            "step": "lead",
            "stage": "investigation",
            "critical": False,
            "answers": 1,
        }
    ]
    assert report["drift_matrix"] == {
        "owners": ["client-lead"],
        "actors": ["soc-lead"],
        "counts": [[1]],
        "total": 1,
    }
    assert report["top_drifts"][0] | {"responsibilities": None} == {
        "owner": "client-lead",
        "actor": "soc-lead",
        "count": 1,
        "weight": 1,
        "boundary": 1,
        "overreach": 1,
        "responsibilities": None,
    }
    verdicts = {r["responsibility"]: r["verdict"] for r in report["reflection"]}
    assert verdicts == {
        "confirmation.confirm": "not asked in this scenario",
        "containment.authorize": "differs from the map",
        "investigation.lead": "no owner in the map",
        "communication.contact": "not asked in this scenario",
    }
    assert report["consensus"]["ambiguous"] == ["who-triages"]
    assert report["consensus"]["mean_share"] == 0.5
    assert report["latency"]["stages"][0] == {
        "stage": "detection",
        "answers": 1,
        "median_ms": 12_000,
        "worst_ms": 12_000,
    }
    assert report["load"]["overloaded"] == ["Dana"]
    assert report["strengths"] == {"stages": ["detection"], "responsibilities": ["detection.triage"]}
    assert [i["responsibility"] for i in report["improvements"]] == ["containment.authorize"]
    assert report["improvements"][0]["priority"] == "high"
    assert report["notes"] == [
        {"text": NOTES[0]["text"], "step": "contain", "decision": "", "clock": "02:30", "by": "facilitator"}
    ]
    assert report["map_snapshot"]["assignments"]["containment.authorize"]["A"] == "client-lead"


def test_late_answer_is_marked(report: dict[str, Any]) -> None:
    slow = [ANSWERS[0].__class__(**{**ANSWERS[0].__dict__, "latency_ms": 61_000}), *ANSWERS[1:]]
    late = build_report(HEADER, SCENARIO, MAP, score_session(SCENARIO, MAP, ROSTER, slow))
    assert late["decisions"][0]["late"] is True
    assert [x["decision"] for x in late["latency"]["late"]] == ["who-triages"]
    assert report["latency"]["late"] == []


def test_consensus_is_null_without_ballots() -> None:
    quiet = [ANSWERS[0].__class__(**{**a.__dict__, "ballots": {}}) for a in ANSWERS]
    assert build_report(HEADER, SCENARIO, MAP, score_session(SCENARIO, MAP, ROSTER, quiet))["consensus"] is None


@pytest.mark.parametrize(
    ("value", "json_value", "shown"),
    [
        (89.996, 89.99, "89.9"),
        (90.0, 90.0, "90.0"),
        (100.0, 100.0, "100.0"),
        (0.0, 0.0, "0.0"),
        (200 / 3, 66.66, "66.6"),
    ],
)
def test_clarity_is_cut_not_rounded(value: float, json_value: float, shown: str) -> None:
    """A value just under a threshold must never print as the threshold next to the lower rating."""
    assert clarity_value(value) == json_value
    assert format_clarity(value) == shown
    assert clarity_value(None) is None and format_clarity(None) == "—"
    assert clarity_text(value) == shown and clarity_text(None) == "—"


def test_every_report_words_the_thresholds_alike() -> None:
    """The terminal caption and the AAR's sentence are one sentence, built from the session's settings."""
    settings = ScoringSettings(performed=85.5, some_challenges=60.0, major_challenges=30.0)
    scored = score_session(SCENARIO, MAP, ROSTER, ANSWERS, settings=settings)
    sentence = thresholds_text(settings)
    assert sentence.startswith("P ≥ 85.5, S ≥ 60, M ≥ 30,")
    console = Console(record=True, width=200, file=io.StringIO())
    print_summary(summary_of(scored), console)
    assert sentence in console.export_text()
    summary = build_aar(HEADER, SCENARIO, MAP, [], scored, {}).summary
    assert summary.thresholds == sentence
    assert summary.bounds == ((85.5, "P"), (60.0, "S"), (30.0, "M"))


def test_terminal_summary() -> None:
    console = Console(record=True, width=120, color_system="truecolor", file=io.StringIO())
    print_summary(summary_of(score()), console)
    text = console.export_text(clear=False)
    assert "Ownership clarity 83.3%" in text
    assert "Performed with some challenges" in text
    for line in ("detection", "containment", "investigation"):
        assert line in text
    assert "not scored: map gaps only" in text
    assert "client-lead" in text and "→" in text and "soc-lead" in text
    assert "investigation.lead: nobody is assigned" in text
    assert "Ambiguous ownership" in text and "who-triages" in text
    # The letters are coloured: P green, M orange.
    styled = console.export_html(inline_styles=True)
    assert "color: #008000" in styled  # green
    assert "#ff8700" in styled  # dark_orange


@pytest.mark.parametrize("hostile", ["Dana [/bold] Whitfield", "Analyst [on call]", "[link=http://x]y[/link]"])
def test_terminal_summary_prints_text_that_looks_like_markup_as_typed(hostile: str) -> None:
    """Whatever the score holds goes to Rich as text: a bracket is shown, never parsed or crashed on."""
    scored = score()
    gap, pair, need = (
        MapGap(hostile, hostile, hostile, "detection", False, 1),
        scored.top_drifts[0],
        NeededRole(hostile, None, hostile, False, (), 1),
    )
    scored = replace(
        scored,
        map_gaps=(gap,),
        top_drifts=(replace(pair, owner=hostile, actor=hostile),),
        load=replace(scored.load, unstaffed_needed=(need,)),
    )
    console = Console(record=True, width=200, file=io.StringIO())
    print_summary(summary_of(scored), console)
    text = console.export_text()
    assert f"  • {hostile}: nobody is assigned (decision {hostile}, step {hostile})" in text
    assert f"  • {hostile}: 1 decision; deputy {hostile} (also unstaffed)" in text
    assert text.count(hostile) >= 7  # and twice in the drift table


def test_terminal_summary_of_an_empty_session() -> None:
    console = Console(record=True, width=100, file=io.StringIO())
    print_summary(summary_of(score_session(SCENARIO, MAP, ROSTER, [])), console)
    text = console.export_text()
    assert "No decision was scored" in text
    assert "Top drifts" not in text


REPO = Path(__file__).resolve().parent.parent


def test_the_documented_start_time_has_the_headers_shape() -> None:
    """docs/report-json.md shows `started_at` exactly as a journal header writes it: to the second."""
    doc = (REPO / "docs" / "report-json.md").read_text(encoding="utf-8")
    documented = re.search(r'"started_at": "([^"]+)"', doc)
    assert documented is not None
    golden = json.loads((REPO / "tests" / "golden" / "report.json").read_text(encoding="utf-8"))
    written = golden["exercise"]["started_at"]
    shape = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
    assert shape.match(written), written
    assert shape.match(documented.group(1)), documented.group(1)


def test_reports_docs_and_code_point_only_at_documents_in_this_repository() -> None:
    files = [REPO / "docs" / "report-json.md", REPO / "docs" / "reports.md"]
    files += sorted((REPO / "simulator" / "reporting").glob("*.py")) + sorted(
        (REPO / "simulator" / "authoring").glob("*.py")
    )
    files += [REPO / "simulator" / "cli" / name for name in ("reports.py", "content.py", "authoring.py", "session.py")]
    for path in files:
        assert "DESIGN" not in path.read_text(encoding="utf-8"), path
    for link in re.findall(r"docs/[\w.-]+\.md", "".join(p.read_text(encoding="utf-8") for p in files)):
        assert (REPO / link).is_file(), link


def test_the_terminal_lays_out_its_model_and_derives_nothing() -> None:
    """A summary built by hand prints as it says: the renderer neither recounts nor rewords."""
    from simulator.reporting.ballot_people import BallotPersonItem
    from simulator.reporting.summary import DriftLine, RatingCell, StageLine, TerminalSummary

    summary = TerminalSummary(
        clarity="12.3",
        rating=RatingCell("U", "unused: the renderer words a letter itself"),
        critical_gaps=("Who [b]calls[/b]?",),
        outcomes="aligned 9 · overlap 8 · drift 7 (boundary 6, internal 5, overreach 4) · gap 3",
        thresholds="P ≥ 1, S ≥ 2, M ≥ 3, U below that",
        stages=(StageLine("detection", 4, "55.5", RatingCell(None, "not played")),),
        drifts=(DriftLine("[red]owner", "actor", 11, "overreach"),),
        map_gaps=("gap line one",),
        unstaffed=(),
        ambiguous=("who-a", "who-b"),
        ballots=(BallotPersonItem("Pat [x]", 3, 1, "2 (67%)", 1, 0),),
    )
    console = Console(record=True, width=200, file=io.StringIO())
    print_summary(summary, console)
    text = console.export_text()
    assert "Ownership clarity 12.3%  U  Unable to be performed" in text
    assert "Gap on a critical decision: Who [b]calls[/b]?" in text
    assert "aligned 9 · overlap 8 · drift 7 (boundary 6, internal 5, overreach 4) · gap 3" in text
    assert re.search(r"detection\s+│\s+4\s+│\s+55\.5\s+│\s+not played", text)
    assert re.search(r"\[red\]owner\s+│\s+→\s+│\s+actor\s+│\s+11\s+│\s+overreach", text)
    assert "  • gap line one" in text and "Unstaffed roles" not in text
    assert "Ambiguous ownership (the room split): who-a, who-b" in text
    assert re.search(r"Pat \[x\]\s+│\s+3\s+│\s+1\s+│\s+2 \(67%\)\s+│\s+1\s+│\s+0", text)
