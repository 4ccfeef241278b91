"""What only private ballots show: first answers against the map, movement, who drifts most."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.engine import Engine
from simulator.loading import load_map, load_scenario
from simulator.model import Roster
from simulator.reporting.json_report import private_ballots_json
from simulator.scoring.private_ballots import private_ballots
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

ROSTER = Roster.model_validate(
    {"participants": [{"name": "Pat", "roles": ["soc-analyst"]}, {"name": "Lee", "roles": ["client-it-lead"]}]}
)


def test_first_answers_movement_and_drift(write: Callable[[str, str], Path]) -> None:
    scenario = load_scenario(write(MINIMAL_SCENARIO, "scenario.yaml"))
    authority_map = load_map(write(MINIMAL_MAP, "map.yaml"))
    engine = Engine(scenario, authority_map, ROSTER, seed=1)
    engine.start()
    # who-triages: the SOC analyst is expected. Pat first names the client, then changes; Lee names the SOC.
    engine.cast_ballot("Pat", ["client-it-lead"])
    engine.cast_ballot("Pat", ["soc-analyst"])
    engine.cast_ballot("Lee", ["soc-analyst"])
    engine.answer(["soc-analyst"])
    # who-authorises: the client IT lead is expected (accountable). Pat is right; the team follows Lee.
    engine.cast_ballot("Pat", ["client-it-lead"])
    engine.cast_ballot("Lee", ["soc-analyst"])
    engine.answer(["soc-analyst"])

    result = private_ballots_json(private_ballots(scenario, authority_map, ROSTER, engine.events))
    assert result is not None
    triage, authorise = result["decisions"]
    assert triage["team"] == {"roles": ["soc-analyst"], "outcome": "aligned"}
    assert triage["people"][0] == {
        "name": "Pat",
        "first": {"roles": ["client-it-lead"], "outcome": "drift"},
        "final": {"roles": ["soc-analyst"], "outcome": "aligned"},
        "moved": "towards",
    }
    assert triage["people"][1]["moved"] == "stayed"
    assert triage["first_aligned"] == 1
    assert authorise["team"] == {"roles": ["soc-analyst"], "outcome": "drift"}
    assert [(p["name"], p["first"]["outcome"], p["moved"]) for p in authorise["people"]] == [
        ("Pat", "aligned", "away"),
        ("Lee", "drift", "stayed"),
    ]
    assert result["participants"] == [
        {
            "name": "Lee",
            "ballots": 2,
            "first_aligned": 1,
            "first_not_aligned": 1,
            "drift_share": 0.5,
            "moved_towards": 0,
            "moved_away": 0,
        },
        {
            "name": "Pat",
            "ballots": 2,
            "first_aligned": 1,
            "first_not_aligned": 1,
            "drift_share": 0.5,
            "moved_towards": 1,
            "moved_away": 1,
        },
    ]


def test_no_ballots_no_section(write: Callable[[str, str], Path]) -> None:
    scenario = load_scenario(write(MINIMAL_SCENARIO, "scenario.yaml"))
    authority_map = load_map(write(MINIMAL_MAP, "map.yaml"))
    engine = Engine(scenario, authority_map, ROSTER, seed=1)
    engine.start()
    engine.answer(["soc-analyst"])
    assert private_ballots(scenario, authority_map, ROSTER, engine.events) is None


def test_html_section_escapes_names_and_questions() -> None:
    from dataclasses import replace

    from reports_support import make_session

    from simulator.reporting.aar import private_ballots_section
    from simulator.reporting.html import aar_html
    from simulator.reporting.markdown import aar_markdown
    from simulator.scoring.private_ballots import DecisionBallots, PersonBallot, PersonDrift, PrivateBallots

    person = PersonBallot("<b>Mal\x1blory</b>", ("a",), "drift", ("a",), "drift", "away")
    result = PrivateBallots(
        (DecisionBallots("d1", "detection", ("b",), ("b",), "aligned", (person,)),),
        (PersonDrift("<b>Mal\x1blory</b>", 1, 0, 0, 0),),
    )
    section = private_ballots_section(result, {"d1": "Who <script>acts</script>?"})
    assert section is not None
    assert section.rounds[0].moved == (("<b>Mal\x1blory</b>", "away"),)
    with pytest.MonkeyPatch.context() as monkeypatch, tempfile.TemporaryDirectory() as folder:
        from simulator.reporting.files import session_report
        from simulator.sessions import load_session

        aar = session_report(load_session(make_session(Path(folder), monkeypatch), "reporting")).aar
    html = aar_html(replace(aar, private_ballots=section))
    assert "<b>Mal" not in html and "<script>acts" not in html and "\x1b" not in html
    assert "<tr><td>&lt;b&gt;Mallory&lt;/b&gt;</td><td>1</td><td>0</td><td>1 (100%)</td>" in html
    assert "<td>&lt;b&gt;Mallory&lt;/b&gt; (away)</td>" in html
    contents = html[html.index('<nav class="toc"') : html.index("</nav>")]
    assert contents.endswith('<li><a href="#private-ballots">Private ballots</a></li></ul>')  # listed last
    assert '<a href="#private-ballots">' not in aar_html(replace(aar, private_ballots=None))  # none: not listed
    markdown = aar_markdown(replace(aar, private_ballots=section))
    assert "| Who \\<script\\>acts\\</script\\>? | aligned | 0 of 1 | \\<b\\>Mallory\\</b\\> (away) |" in markdown
