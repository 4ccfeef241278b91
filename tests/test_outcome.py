"""`classify` and `CREDIT`: one answer against the map, with values written out from DESIGN.md §5."""

from __future__ import annotations

import pytest

from simulator.model import AuthorityMap, Decision
from simulator.outcome import CREDIT, classify

# Two parties; detection.triage has an A and an R; investigation.lead is in nobody's hands (a map gap).
MAP = AuthorityMap.model_validate(
    {
        "id": "outcome-map",
        "title": "Outcome map",
        "parties": {"soc": "SOC", "client": "Client"},
        "roles": [
            {"id": "soc-lead", "name": "SOC lead", "party": "soc"},
            {"id": "soc-analyst", "name": "SOC analyst", "party": "soc"},
            {"id": "client-lead", "name": "Client lead", "party": "client"},
        ],
        "assignments": {
            "detection.triage": {"A": "soc-lead", "R": ["soc-analyst"], "why": "The SOC watches."},
        },
    }
)
UNASSIGNED = Decision(id="lead", ask="Who leads?", responsibility="investigation.lead")
TRIAGE = Decision(id="triage", ask="Who triages?", responsibility="detection.triage")


def test_credit_table_is_the_design_table() -> None:
    assert CREDIT == {"aligned": 1.0, "overlap": 0.5, "drift": 0.0, "gap": 0.0}


@pytest.mark.parametrize(
    ("roles", "outcome"),
    [
        ((), "gap"),
        (("client-lead",), "drift"),
        (("client-lead", "soc-lead"), "overlap"),
        (("client-lead", "soc-lead", "soc-analyst"), "overlap"),
    ],
    ids=["nobody", "one role", "two roles", "three roles"],
)
def test_map_gap_answers_keep_their_outcome_and_earn_nothing(roles: tuple[str, ...], outcome: str) -> None:
    verdict = classify(UNASSIGNED, roles, MAP)
    assert (verdict.outcome, verdict.expected, verdict.credit, verdict.map_gap) == (outcome, (), 0.0, True)


@pytest.mark.parametrize(
    ("roles", "outcome", "credit"),
    [
        ((), "gap", 0.0),
        (("soc-analyst",), "aligned", 1.0),
        (("client-lead",), "drift", 0.0),
        (("soc-lead", "client-lead"), "overlap", 0.5),
        (("client-lead", "client-lead"), "drift", 0.0),  # a repeated role is still one role
    ],
)
def test_credit_per_outcome_on_an_assigned_decision(roles: tuple[str, ...], outcome: str, credit: float) -> None:
    verdict = classify(TRIAGE, roles, MAP)
    assert (verdict.outcome, verdict.credit, verdict.map_gap) == (outcome, credit, False)
    assert verdict.expected == ("soc-analyst", "soc-lead")
