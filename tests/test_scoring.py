"""Scoring: outcomes and flags, clarity and ratings, drift, latency, load, consensus, reflection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.catalogue import CATALOGUE, STAGES
from simulator.model import AuthorityMap, Decision, Participant, Roster, Scenario, Step
from simulator.records import AnswerRecord
from simulator.scoring import DEFAULT_SETTINGS, ScoringSettings, SessionScore, score_session
from simulator.scoring.result import (
    Clarity,
    LateAnswer,
    Load,
    MapGap,
    NeededRole,
    Reflection,
    ReflectionAnswer,
)

REPO = Path(__file__).resolve().parent.parent

# soc / msp / client parties; soc-hunter and client-admin own nothing, so they can drift
# inside a party; investigation.lead is left unassigned so it is a map gap.
MAP = AuthorityMap.model_validate(
    {
        "id": "test-map",
        "title": "Test map",
        "parties": {"soc": "Backend SOC", "msp": "MSP operations", "client": "Client"},
        "roles": [
            {"id": "soc-analyst", "name": "SOC analyst", "party": "soc"},
            {"id": "soc-lead", "name": "SOC lead", "party": "soc", "deputy": "soc-analyst"},
            {"id": "soc-hunter", "name": "Threat hunter", "party": "soc"},
            {"id": "msp-engineer", "name": "MSP engineer", "party": "msp"},
            {"id": "msp-manager", "name": "MSP manager", "party": "msp"},
            {"id": "client-lead", "name": "Client IT lead", "party": "client", "deputy": "client-admin"},
            {"id": "client-admin", "name": "Client admin", "party": "client"},
        ],
        "assignments": {
            "detection.triage": {
                "A": "soc-lead",
                "R": ["soc-analyst"],
                "C": ["msp-engineer"],
                "I": ["msp-manager"],
                "why": "The SOC watches the alerts.",
            },
            "confirmation.confirm": {"A": "soc-lead", "R": ["soc-analyst"], "why": "The SOC has the telemetry."},
            "containment.authorize": {
                "A": "client-lead",
                "R": ["msp-engineer"],
                "C": ["soc-lead"],
                "I": ["msp-manager"],
                "why": "The client owns its systems.",
            },
            "containment.isolate": {"A": "msp-manager", "R": ["msp-engineer"], "why": "The MSP has admin access."},
            "communication.contact": {
                "A": "msp-manager",
                "I": ["client-lead"],
                "why": "One MSP voice to the client.",
            },
        },
    }
)
ALL_ROLES = [role.id for role in MAP.roles]
EVERYONE = Roster(participants=[Participant(name="Solo", roles=ALL_ROLES)])


def make_scenario(*decisions: Decision, stage_of: dict[str, str] | None = None) -> Scenario:
    """One step per decision, in the decision's catalogue stage unless `stage_of` says otherwise."""
    stage_of = stage_of or {}
    steps = [
        Step(
            id=f"step-{i}",
            stage=stage_of[d.id] if d.id in stage_of else CATALOGUE[d.responsibility].stage,
            inject="Something happens.",
            decisions=[d],
        )
        for i, d in enumerate(decisions)
    ]
    return Scenario(id="test-scenario", title="Test", steps=steps)


def decision(id_: str, responsibility: str, **extra: Any) -> Decision:
    return Decision(id=id_, ask="Who acts?", responsibility=responsibility, **extra)


def answer(scenario: Scenario, decision_id: str, roles: Sequence[str], **extra: Any) -> AnswerRecord:
    step = next(s for s in scenario.steps if any(d.id == decision_id for d in s.decisions))
    d = next(d for d in step.decisions if d.id == decision_id)
    fields: dict[str, Any] = {"answered_by": "Solo", "latency_ms": 1000} | extra
    return AnswerRecord(
        decision=decision_id,
        step=step.id,
        stage=step.stage,
        responsibility=d.responsibility,
        roles=tuple(roles),
        **fields,
    )


def score_one(
    responsibility: str, roles: Sequence[str], roster: Roster | None = EVERYONE, **extra: Any
) -> SessionScore:
    record_fields = {k: extra.pop(k) for k in ("timed_out", "latency_ms") if k in extra}
    scenario = make_scenario(decision("d", responsibility, **extra))
    return score_session(scenario, MAP, roster, [answer(scenario, "d", roles, **record_fields)])


# --- every outcome and flag -------------------------------------------------------------

UNSTAFFED_CLIENT_LEAD = Roster(
    participants=[Participant(name="Pat", roles=[r for r in ALL_ROLES if r != "client-lead"])]
)


# (case, responsibility, roles, roster, decision fields, (outcome, credit, drift_kind, overreach, via_deputy))
Expected = tuple[str, float, str | None, bool, bool]
OUTCOME_CASES: list[tuple[str, str, list[str], Roster | None, dict[str, Any], Expected]] = [
    ("A acts", "detection.triage", ["soc-lead"], EVERYONE, {}, ("aligned", 1.0, None, False, False)),
    ("R acts", "detection.triage", ["soc-analyst"], EVERYONE, {}, ("aligned", 1.0, None, False, False)),
    (
        "accountable wants A, R acted",
        "containment.authorize",
        ["msp-engineer"],
        EVERYONE,
        {"expect": "accountable"},
        ("drift", 0.0, "boundary", False, False),
    ),
    (
        "accountable wants A, A acted",
        "containment.authorize",
        ["client-lead"],
        EVERYONE,
        {"expect": "accountable"},
        ("aligned", 1.0, None, False, False),
    ),
    (
        "overlap with an expected role",
        "detection.triage",
        ["soc-lead", "client-admin"],
        EVERYONE,
        {},
        ("overlap", 0.5, None, False, False),
    ),
    (
        "overlap without an expected role",
        "detection.triage",
        ["client-admin", "soc-hunter"],
        EVERYONE,
        {},
        ("overlap", 0.0, None, False, False),
    ),
    (
        "overlap between two expected roles",
        "detection.triage",
        ["soc-lead", "soc-analyst"],
        EVERYONE,
        {},
        ("overlap", 0.5, None, False, False),
    ),
    (
        "drift across a party line",
        "detection.triage",
        ["client-admin"],
        EVERYONE,
        {},
        ("drift", 0.0, "boundary", False, False),
    ),
    (
        "drift inside the party",
        "detection.triage",
        ["soc-hunter"],
        EVERYONE,
        {},
        ("drift", 0.0, "internal", False, False),
    ),
    (
        "drift by a C role",
        "detection.triage",
        ["msp-engineer"],
        EVERYONE,
        {},
        ("drift", 0.0, "boundary", True, False),
    ),
    (
        "drift by an I role",
        "detection.triage",
        ["msp-manager"],
        EVERYONE,
        {},
        ("drift", 0.0, "boundary", True, False),
    ),
    ("nobody", "detection.triage", [], EVERYONE, {}, ("gap", 0.0, None, False, False)),
    (
        "deputy of an unstaffed owner",
        "containment.authorize",
        ["client-admin"],
        UNSTAFFED_CLIENT_LEAD,
        {"expect": "accountable"},
        ("aligned", 1.0, None, False, True),
    ),
    (
        "deputy while the owner is staffed",
        "containment.authorize",
        ["client-admin"],
        EVERYONE,
        {"expect": "accountable"},
        ("drift", 0.0, "internal", False, False),
    ),
    (
        "deputy without a roster (all staffed)",
        "containment.authorize",
        ["client-admin"],
        None,
        {"expect": "accountable"},
        ("drift", 0.0, "internal", False, False),
    ),
    (
        "deputy in an overlap for an unstaffed owner",
        "containment.authorize",
        ["client-admin", "soc-hunter"],
        UNSTAFFED_CLIENT_LEAD,
        {"expect": "accountable"},
        ("overlap", 0.5, None, False, False),
    ),
]


@pytest.mark.parametrize(
    ("responsibility", "roles", "roster", "extra", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in OUTCOME_CASES],
)
def test_outcome_and_flags(
    responsibility: str,
    roles: list[str],
    roster: Roster | None,
    extra: dict[str, Any],
    expected: tuple[str, float, str | None, bool, bool],
) -> None:
    score = score_one(responsibility, roles, roster, **extra)
    (scored,) = score.answers
    assert (scored.outcome, scored.credit, scored.drift_kind, scored.overreach, scored.via_deputy) == expected
    assert not scored.map_gap
    assert score.overall.clarity == 100 * expected[1]


def test_expect_responsible_accepts_r_where_accountable_does_not() -> None:
    responsible = score_one("containment.authorize", ["msp-engineer"], expect="responsible")
    accountable = score_one("containment.authorize", ["msp-engineer"], expect="accountable")
    assert responsible.answers[0].expected == ("client-lead", "msp-engineer")
    assert responsible.answers[0].outcome == "aligned"
    assert accountable.answers[0].expected == ("client-lead",)
    assert accountable.answers[0].outcome == "drift"


def test_timeout_is_a_gap_even_with_roles_selected() -> None:
    score = score_one("detection.triage", ["soc-lead"], timed_out=True, time_limit_s=30, latency_ms=30_000)
    (scored,) = score.answers
    assert scored.outcome == "gap"
    assert scored.roles == ()
    assert scored.late
    assert [late.decision for late in score.latency.late] == ["d"]
    assert score.latency.late[0].timed_out


def test_answer_past_the_limit_is_late_but_still_scored() -> None:
    score = score_one("detection.triage", ["soc-lead"], time_limit_s=30, latency_ms=45_000)
    (scored,) = score.answers
    assert scored.outcome == "aligned"
    assert scored.late
    assert score.latency.late[0].latency_ms == 45_000
    assert not score.latency.late[0].timed_out
    on_time = score_one("detection.triage", ["soc-lead"], time_limit_s=30, latency_ms=30_000)
    assert not on_time.answers[0].late and on_time.latency.late == ()


def test_map_gap_is_excluded_from_the_score_and_listed() -> None:
    scenario = make_scenario(
        decision("triage", "detection.triage"),
        decision("lead", "investigation.lead", critical=True, weight=5),
    )
    score = score_session(
        scenario,
        MAP,
        EVERYONE,
        [answer(scenario, "triage", ["soc-lead"]), answer(scenario, "lead", ["client-admin"])],
    )
    assert score.answers[1].map_gap
    assert score.overall.clarity == 100.0
    assert score.overall.weight == 1
    assert score.overall.answers == 2 and score.overall.scored == 1
    # The map's fault: a critical map gap does not make the team "Unable".
    assert score.overall.rating == "P"
    investigation = score.stage("investigation").score
    assert investigation.clarity is None and investigation.rating is None and investigation.answers == 1
    assert [(g.responsibility, g.decision, g.step, g.answers) for g in score.map_gaps] == [
        ("investigation.lead", "lead", "step-1", 1)
    ]
    assert score.drift_matrix.total == 0


def test_weights_scale_credit() -> None:
    scenario = make_scenario(
        decision("heavy", "detection.triage", weight=3),
        decision("light", "confirmation.confirm", weight=1),
        stage_of={"light": "detection"},
    )
    score = score_session(
        scenario,
        MAP,
        EVERYONE,
        [answer(scenario, "heavy", ["soc-lead"]), answer(scenario, "light", ["client-admin"])],
    )
    assert score.overall.clarity == 75.0
    assert score.overall.rating == "S"
    assert score.stage("detection").score.clarity == 75.0
    flipped = score_session(
        scenario,
        MAP,
        EVERYONE,
        [answer(scenario, "heavy", ["client-admin"]), answer(scenario, "light", ["soc-lead"])],
    )
    assert flipped.overall.clarity == 25.0
    assert flipped.overall.rating == "U"


def _many(aligned: int, missed: int, critical_missed: bool = False) -> SessionScore:
    """`aligned` right answers and `missed` gaps in detection; the last gap may be critical."""
    decisions = [decision(f"ok-{i}", "detection.triage") for i in range(aligned)]
    decisions += [
        decision(f"miss-{i}", "detection.triage", critical=critical_missed and i == missed - 1) for i in range(missed)
    ]
    scenario = make_scenario(*decisions)
    records = [answer(scenario, f"ok-{i}", ["soc-analyst"]) for i in range(aligned)]
    records += [answer(scenario, f"miss-{i}", []) for i in range(missed)]
    return score_session(scenario, MAP, EVERYONE, records)


def test_critical_gap_rates_unable_despite_high_clarity() -> None:
    score = _many(aligned=19, missed=1, critical_missed=True)
    assert score.overall.clarity == 95.0
    assert score.overall.rating == "U"
    assert score.overall.critical_gaps == ("miss-0",)
    assert score.stage("detection").score.rating == "U"
    assert _many(aligned=19, missed=1).overall.rating == "P"


def test_critical_gap_only_affects_its_own_stage() -> None:
    scenario = make_scenario(
        decision("triage", "detection.triage", critical=True),
        decision("authorise", "containment.authorize"),
    )
    score = score_session(
        scenario,
        MAP,
        EVERYONE,
        [answer(scenario, "triage", []), answer(scenario, "authorise", ["client-lead"])],
    )
    assert score.stage("detection").score.rating == "U"
    assert score.stage("containment").score.rating == "P"
    assert score.overall.rating == "U"


@pytest.mark.parametrize(
    ("aligned", "missed", "rating"),
    [(9, 1, "P"), (10, 0, "P"), (7, 3, "S"), (69, 31, "M"), (4, 6, "M"), (39, 61, "U"), (0, 3, "U")],
)
def test_rating_thresholds_inclusive(aligned: int, missed: int, rating: str) -> None:
    score = _many(aligned, missed)
    assert score.overall.clarity == pytest.approx(100 * aligned / (aligned + missed))
    assert score.overall.rating == rating


def test_thresholds_come_from_settings() -> None:
    scenario = make_scenario(*(decision(f"d{i}", "detection.triage") for i in range(10)))
    records = [answer(scenario, f"d{i}", ["soc-lead"] if i else []) for i in range(10)]
    default = score_session(scenario, MAP, EVERYONE, records)
    strict = score_session(scenario, MAP, EVERYONE, records, settings=ScoringSettings(performed=95.0))
    lenient = score_session(
        scenario,
        MAP,
        EVERYONE,
        records,
        settings=ScoringSettings(performed=99, some_challenges=95, major_challenges=91),
    )
    assert (default.overall.rating, strict.overall.rating, lenient.overall.rating) == ("P", "S", "U")
    assert strict.settings.performed == 95.0


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"performed": 60.0},
            r"^rating thresholds must satisfy 100 >= performed >= some_challenges >= major_challenges >= 0;",
        ),
        ({"major_challenges": -1.0}, r"got 90.0, 70.0, -1.0$"),
        ({"performed": 101.0}, r"got 101.0, 70.0, 40.0$"),
        ({"many_roles": 1}, r"^many_roles must be at least 2; got 1$"),
        ({"consensus_threshold": 0.0}, r"^consensus_threshold must be in \(0, 1\]; got 0.0$"),
        ({"consensus_threshold": 1.5}, r"^consensus_threshold must be in \(0, 1\]; got 1.5$"),
    ],
)
def test_settings_reject_nonsense(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ScoringSettings(**bad)


def test_replayed_step_counts_twice() -> None:
    scenario = make_scenario(decision("d", "detection.triage"))
    records = [answer(scenario, "d", []), answer(scenario, "d", ["soc-lead"], attempt=2)]
    score = score_session(scenario, MAP, EVERYONE, records)
    assert score.overall.answers == 2
    assert score.overall.clarity == 50.0


def test_unplayed_stages_are_not_rated() -> None:
    score = score_one("detection.triage", ["soc-lead"])
    assert [s.stage for s in score.stages] == list(STAGES)
    assert all(s.score.clarity is None and s.score.rating is None for s in score.stages[1:])


def test_empty_session_has_no_clarity() -> None:
    scenario = make_scenario(decision("d", "detection.triage"))
    score = score_session(scenario, MAP, EVERYONE, [])
    assert score.overall.clarity is None and score.overall.rating is None
    assert score.latency.median_ms is None
    assert score.consensus is None


def test_unknown_decision_is_listed_not_scored() -> None:
    scenario = make_scenario(decision("d", "detection.triage"))
    ghost = replace(answer(scenario, "d", ["soc-lead"]), decision="gone")
    score = score_session(scenario, MAP, EVERYONE, [ghost, answer(scenario, "d", ["soc-lead"])])
    assert score.unknown_answers == ("gone",)
    assert len(score.answers) == 1
    assert score.answers[0].index == 1


def test_scenario_wins_over_the_records_copy() -> None:
    """A re-score after the script changed uses the script's responsibility and stage."""
    scenario = make_scenario(decision("d", "containment.authorize"))
    stale = replace(answer(scenario, "d", ["client-lead"]), responsibility="detection.triage", stage="detection")
    (scored,) = score_session(scenario, MAP, EVERYONE, [stale]).answers
    assert (scored.responsibility, scored.stage, scored.outcome) == ("containment.authorize", "containment", "aligned")


# --- drift matrix and systematic drift ----------------------------------------------------


def test_systematic_soc_drift_shows_in_the_matrix() -> None:
    """One SOC analyst answers everything: the matrix column and the boundary count say so."""
    scenario = make_scenario(
        decision("triage", "detection.triage"),
        decision("confirm", "confirmation.confirm"),
        decision("authorise", "containment.authorize", weight=3),
        decision("isolate", "containment.isolate"),
        decision("contact", "communication.contact", weight=2),
    )
    records = [answer(scenario, d.id, ["soc-analyst"]) for d in scenario.decisions]
    score = score_session(scenario, MAP, EVERYONE, records)
    assert score.drift_matrix.actors == ("soc-analyst",)
    assert score.drift_matrix.owners == ("client-lead", "msp-manager")
    assert score.drift_matrix.count("msp-manager", "soc-analyst") == 2
    assert score.drift_matrix.count("client-lead", "soc-analyst") == 1
    assert score.drift.boundary == 3 and score.drift.internal == 0
    assert score.drift.outcomes == {"aligned": 2, "overlap": 0, "drift": 3, "gap": 0}
    # Ranked by weight × count: authorise (3) ties contact+isolate (2+1), broken by count.
    assert [(p.owner, p.actor, p.count, p.weight) for p in score.top_drifts] == [
        ("msp-manager", "soc-analyst", 2, 3),
        ("client-lead", "soc-analyst", 1, 3),
    ]
    assert score.top_drifts[0].responsibilities == ("communication.contact", "containment.isolate")
    assert all(p.boundary == p.count for p in score.top_drifts)
    assert score.strengths.responsibilities == ("detection.triage", "confirmation.confirm")


def test_overlap_counts_only_roles_outside_the_expected_set() -> None:
    score = score_one("detection.triage", ["soc-lead", "msp-engineer", "client-admin"])
    assert score.answers[0].outcome == "overlap"
    assert dict(score.drift_matrix.counts) == {("soc-lead", "client-admin"): 1, ("soc-lead", "msp-engineer"): 1}
    overreach = {p.actor: p.overreach for p in score.top_drifts}
    assert overreach == {"client-admin": 0, "msp-engineer": 1}
    # Drift counts describe single-role drift answers only.
    assert score.drift.boundary == 0 and score.drift.overreach == 0


def test_deputy_in_overlap_is_not_drift() -> None:
    score = score_one(
        "containment.authorize", ["client-admin", "soc-hunter"], UNSTAFFED_CLIENT_LEAD, expect="accountable"
    )
    assert dict(score.drift_matrix.counts) == {("client-lead", "soc-hunter"): 1}


# --- latency, load, consensus, reflection, improvements, notes ------------------------------


def test_latency_per_stage() -> None:
    scenario = make_scenario(
        decision("a", "detection.triage"),
        decision("b", "detection.triage"),
        decision("c", "detection.triage"),
        decision("d", "containment.isolate"),
    )
    records = [
        answer(scenario, "a", ["soc-lead"], latency_ms=1000),
        answer(scenario, "b", ["soc-lead"], latency_ms=9000),
        answer(scenario, "c", ["soc-lead"], latency_ms=2000),
        answer(scenario, "d", ["msp-manager"], latency_ms=4000),
    ]
    latency = score_session(scenario, MAP, EVERYONE, records).latency
    assert [(s.stage, s.answers, s.median_ms, s.worst_ms) for s in latency.stages] == [
        ("detection", 3, 2000, 9000),
        ("containment", 1, 4000, 4000),
    ]
    assert (latency.median_ms, latency.worst_ms) == (3000, 9000)


def test_load_per_person_and_needed_unstaffed_roles() -> None:
    roster = Roster(
        participants=[
            Participant(name="Dana", roles=["soc-lead", "soc-analyst", "msp-manager"]),
            Participant(name="Sam", roles=["msp-engineer"]),
        ]
    )
    scenario = make_scenario(
        decision("triage", "detection.triage"),
        decision("authorise", "containment.authorize", expect="accountable"),
        decision("isolate", "containment.isolate"),
    )
    records = [
        answer(scenario, "triage", ["soc-analyst"], answered_by="Sam"),
        answer(scenario, "authorise", ["msp-engineer"], answered_by="team"),
        answer(scenario, "isolate", ["msp-engineer"], answered_by="Sam"),
    ]
    load = score_session(scenario, MAP, roster, records).load
    people = {p.name: (p.decisions, p.answered, p.many_roles) for p in load.people}
    assert people == {"Dana": (1, 0, True), "Sam": (3, 2, False)}
    assert load.overloaded == ("Dana",)
    (needed,) = load.unstaffed_needed
    assert (needed.role, needed.decisions, needed.deputy, needed.deputy_staffed) == (
        "client-lead",
        ("authorise",),
        "client-admin",
        False,
    )
    relaxed = score_session(scenario, MAP, roster, records, settings=ScoringSettings(many_roles=4)).load
    assert relaxed.overloaded == ()


def test_no_roster_means_no_load() -> None:
    score = score_one("detection.triage", ["soc-lead"], roster=None)
    assert score.load.people == () and score.load.unstaffed_needed == ()


def test_consensus_from_ballots() -> None:
    scenario = make_scenario(decision("clear", "detection.triage"), decision("split", "containment.authorize"))
    records = [
        answer(
            scenario,
            "clear",
            ["soc-lead"],
            ballots={"a": ("soc-lead",), "b": ("soc-lead",), "c": ("soc-lead",), "d": ("soc-analyst",)},
        ),
        answer(
            scenario,
            "split",
            ["client-lead", "msp-engineer"],
            ballots={"a": ("msp-engineer", "client-lead"), "b": ("client-lead",), "c": ("msp-engineer",)},
        ),
    ]
    consensus = score_session(scenario, MAP, EVERYONE, records).consensus
    assert consensus is not None
    clear, split = consensus.decisions
    assert (clear.share, clear.ambiguous) == (0.75, False)
    assert (split.agreeing, split.ballots, split.ambiguous) == (1, 3, True)  # ballots compare as sets
    assert consensus.ambiguous == ("split",)
    assert consensus.mean_share == pytest.approx((0.75 + 1 / 3) / 2)
    assert clear.answers[0].roles == ("soc-lead",) and clear.answers[0].count == 3
    stricter = score_session(scenario, MAP, EVERYONE, records, settings=ScoringSettings(consensus_threshold=0.8))
    assert stricter.consensus is not None and stricter.consensus.ambiguous == ("clear", "split")


def test_no_ballots_no_consensus() -> None:
    assert score_one("detection.triage", ["soc-lead"]).consensus is None


def test_reflection_questions() -> None:
    scenario = make_scenario(
        decision("confirm-1", "confirmation.confirm"),
        decision("confirm-2", "confirmation.confirm"),
        decision("lead", "investigation.lead"),
    )
    records = [
        answer(scenario, "confirm-1", ["soc-lead"]),
        answer(scenario, "confirm-2", ["msp-engineer"]),
        answer(scenario, "lead", ["soc-lead"]),
    ]
    reflection = {r.responsibility: r for r in score_session(scenario, MAP, EVERYONE, records).reflection}
    assert list(reflection) == [
        "confirmation.confirm",
        "containment.authorize",
        "investigation.lead",
        "communication.contact",
    ]
    confirm = reflection["confirmation.confirm"]
    assert (confirm.owner, confirm.responsible, confirm.verdict) == (
        "soc-lead",
        ("soc-analyst",),
        "partly matches the map",
    )
    assert [(a.decision, a.outcome) for a in confirm.answers] == [("confirm-1", "aligned"), ("confirm-2", "drift")]
    assert reflection["containment.authorize"].verdict == "not asked in this scenario"
    assert reflection["containment.authorize"].owner == "client-lead"
    assert reflection["investigation.lead"].verdict == "no owner in the map"
    assert reflection["investigation.lead"].owner is None


def test_improvements_rank_critical_and_boundary_first() -> None:
    scenario = make_scenario(
        decision("confirm", "confirmation.confirm"),
        decision("triage", "detection.triage"),
        decision("isolate", "containment.isolate", critical=True),
        decision("contact", "communication.contact"),
    )
    records = [
        answer(scenario, "confirm", ["soc-hunter"]),  # internal drift: medium
        answer(scenario, "triage", ["soc-lead", "soc-analyst"]),  # overlap only: low
        answer(scenario, "isolate", []),  # critical gap: high
        answer(scenario, "contact", ["msp-manager"]),  # aligned: no improvement
    ]
    improvements = score_session(scenario, MAP, EVERYONE, records).improvements
    assert [(i.responsibility, i.priority) for i in improvements] == [
        ("containment.isolate", "high"),
        ("confirmation.confirm", "medium"),
        ("detection.triage", "low"),
    ]
    assert improvements[0].owner == "msp-manager" and improvements[0].why == "The MSP has admin access."
    assert improvements[1].acted == ("soc-hunter",)
    assert "soc-hunter" in improvements[1].observation


def test_notes_from_objects_and_dicts() -> None:
    class Note:
        def __init__(self) -> None:
            self.text = "IC asked legal early"
            self.author = "facilitator"
            self.step = "step-0"
            self.decision = None
            self.clock = "02:20"

    scenario = make_scenario(decision("d", "detection.triage"))
    score = score_session(scenario, MAP, EVERYONE, [], notes=[Note(), {"text": "plain", "author": "Sam"}])
    assert [(n.text, n.by, n.step, n.decision, n.clock) for n in score.notes] == [
        ("IC asked legal early", "facilitator", "step-0", "", "02:20"),
        ("plain", "Sam", "", "", ""),
    ]


# --- bundled maps and scenarios -------------------------------------------------------------

BUNDLED_SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml"))


def test_bundled_maps_cover_the_whole_catalogue() -> None:
    from simulator.loading import load_map

    for map_name in ("msp", "saas"):
        assert set(load_map(REPO / "roles" / f"{map_name}.yaml").assignments) == set(CATALOGUE), map_name


@pytest.mark.parametrize("map_name", ["msp", "saas"])
@pytest.mark.parametrize("scenario_path", BUNDLED_SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenarios_score_against_bundled_maps(scenario_path: Path, map_name: str) -> None:
    """One SOC-side role answering everything drifts wherever the map does not expect it.

    The map's own answers scoring 100 is test_library.py's test_map_answers_score_100_and_nobody_scores_0.
    """
    from simulator.loading import load_map, load_scenario

    authority_map = load_map(REPO / "roles" / f"{map_name}.yaml")
    scenario = load_scenario(scenario_path)
    roster = Roster(participants=[Participant(name="Solo", roles=authority_map.role_ids)])

    def play(choose: Any) -> SessionScore:
        return score_session(
            scenario, authority_map, roster, [answer(scenario, d.id, choose(d)) for d in scenario.decisions]
        )

    one_role = "soc-analyst" if map_name == "msp" else "security-lead"
    assert one_role in authority_map.role_ids
    mono = play(lambda d: [one_role])
    owned = sum(
        one_role
        in (
            authority_map.assignments[d.responsibility].responsible
            if d.expect == "responsible"
            else {authority_map.assignments[d.responsibility].A}
        )
        for d in scenario.decisions
    )
    assert mono.drift.outcomes["drift"] == len(scenario.decisions) - owned
    assert set(mono.drift_matrix.actors) <= {one_role}
    assert mono.drift_matrix.total == mono.drift.outcomes["drift"]
    assert mono.drift.boundary + mono.drift.internal == mono.drift.outcomes["drift"]
    if map_name == "msp":
        assert mono.drift.boundary > 0  # the SOC reaching into client and MSP work
        assert mono.overall.rating in ("M", "U")


# --- properties ------------------------------------------------------------------------------

RESPONSIBILITIES = sorted(CATALOGUE)
# 200 examples normally; the profile's own number when a mutation run asks for a short one.
EXAMPLES = 200 if settings.default.max_examples >= 100 else settings.default.max_examples
role_sets = st.lists(st.sampled_from([*ALL_ROLES, "stranger"]), max_size=3)


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Scenario, list[AnswerRecord], Roster]:
    count = draw(st.integers(min_value=1, max_value=12))
    decisions = [
        decision(
            f"d{i}",
            draw(st.sampled_from(RESPONSIBILITIES)),
            expect=draw(st.sampled_from(["responsible", "accountable"])),
            weight=draw(st.integers(min_value=1, max_value=10)),
            critical=draw(st.booleans()),
            time_limit_s=draw(st.none() | st.integers(min_value=5, max_value=120)),
        )
        for i in range(count)
    ]
    scenario = make_scenario(*decisions)
    played = draw(st.lists(st.sampled_from([d.id for d in decisions]), max_size=20))
    records = [
        answer(
            scenario,
            decision_id,
            draw(role_sets),
            latency_ms=draw(st.integers(min_value=0, max_value=200_000)),
            timed_out=draw(st.booleans()),
            ballots=draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), role_sets.map(tuple), max_size=3)),
        )
        for decision_id in played
    ]
    roles = draw(st.lists(st.sampled_from(ALL_ROLES), min_size=1, unique=True))
    roster = Roster(participants=[Participant(name="P", roles=roles)])
    return scenario, records, roster


@settings(max_examples=EXAMPLES, deadline=None)
@given(sessions())
def test_clarity_is_a_percentage(session: tuple[Scenario, list[AnswerRecord], Roster]) -> None:
    score = score_session(session[0], MAP, session[2], session[1])
    for item in (score.overall, *(s.score for s in score.stages)):
        assert item.clarity is None or 0.0 <= item.clarity <= 100.0
        assert (item.clarity is None) == (item.rating is None) == (item.scored == 0)


@settings(max_examples=EXAMPLES, deadline=None)
@given(sessions())
def test_stage_weights_add_up_to_overall(session: tuple[Scenario, list[AnswerRecord], Roster]) -> None:
    score = score_session(session[0], MAP, session[2], session[1])
    assert sum(s.score.weight for s in score.stages) == score.overall.weight
    assert sum(s.score.earned for s in score.stages) == score.overall.earned
    assert sum(s.score.answers for s in score.stages) == score.overall.answers == len(session[1])
    if score.overall.clarity is not None:
        weighted = sum(s.score.clarity * s.score.weight for s in score.stages if s.score.clarity is not None)
        assert weighted / score.overall.weight == pytest.approx(score.overall.clarity)
    if any(s.score.rating == "U" and s.score.critical_gaps for s in score.stages):
        assert score.overall.rating == "U"


@settings(max_examples=EXAMPLES, deadline=None)
@given(sessions(), st.randoms(use_true_random=False))
def test_permuting_answers_across_decisions_never_fails(
    session: tuple[Scenario, list[AnswerRecord], Roster], random: Any
) -> None:
    scenario, records, roster = session
    ids = [d.id for d in scenario.decisions] + ["not-in-scenario"]
    shuffled = [replace(r, decision=random.choice(ids)) for r in records]
    random.shuffle(shuffled)
    score = score_session(scenario, MAP, roster, shuffled)
    assert len(score.answers) + sum(r.decision == "not-in-scenario" for r in shuffled) == len(shuffled)
    assert score.drift_matrix.total >= score.drift.outcomes["drift"]


# --- edges a mutation run found untested ---------------------------------------------------


@pytest.mark.parametrize(
    ("clarity", "rating"),
    [
        (100.0, "P"),
        (90.0, "P"),
        (89.99, "S"),
        (70.0, "S"),
        (69.99, "M"),
        (40.0, "M"),
        (39.99, "U"),
        (0.0, "U"),
    ],
)
def test_default_ratings_follow_the_design_thresholds(clarity: float, rating: str) -> None:
    """DESIGN.md §5: P at 90 and above, S at 70, M at 40, U below."""
    assert DEFAULT_SETTINGS.rate(clarity, critical_gap=False) == rating
    assert DEFAULT_SETTINGS.rate(clarity, critical_gap=True) == "U"


def test_a_clarity_of_89_point_5_rates_s() -> None:
    score = _many(aligned=17, missed=2)
    assert score.overall.clarity == pytest.approx(89.47, abs=0.01)
    assert score.overall.rating == "S"


@pytest.mark.parametrize(
    "limits",
    [
        {"performed": 100.0, "some_challenges": 100.0, "major_challenges": 100.0},
        {"performed": 0.0, "some_challenges": 0.0, "major_challenges": 0.0},
        {"performed": 80.0, "some_challenges": 80.0, "major_challenges": 80.0},
        {"many_roles": 2},
        {"consensus_threshold": 1.0},
        {"consensus_threshold": 0.01},
    ],
)
def test_settings_at_their_limits_are_accepted(limits: dict[str, Any]) -> None:
    settings = ScoringSettings(**limits)
    for name, value in limits.items():
        assert getattr(settings, name) == value


def test_a_lone_dissenting_ballot_is_no_agreement() -> None:
    scenario = make_scenario(decision("d", "detection.triage"))
    record = answer(scenario, "d", ["soc-lead"], ballots={"Ana": ("soc-analyst",)})
    consensus = score_session(scenario, MAP, EVERYONE, [record]).consensus
    assert consensus is not None
    (only,) = consensus.decisions
    assert (only.ballots, only.agreeing, only.share, only.ambiguous) == (1, 0, 0.0, True)
    assert consensus.mean_share == 0.0 and consensus.ambiguous == ("d",)


def test_top_drifts_put_the_heaviest_first() -> None:
    # client-lead drifting on a weight-1 decision sorts before soc-hunter by name; the weight-4 drift must lead.
    scenario = make_scenario(
        decision("light", "detection.triage", weight=1),
        decision("heavy", "confirmation.confirm", weight=4),
    )
    records = [answer(scenario, "light", ["client-admin"]), answer(scenario, "heavy", ["soc-hunter"])]
    pairs = score_session(scenario, MAP, EVERYONE, records).top_drifts
    assert [(p.owner, p.actor, p.weight) for p in pairs] == [
        ("soc-lead", "soc-hunter", 4),
        ("soc-lead", "client-admin", 1),
    ]


def test_improvement_counts_every_answer_on_a_responsibility() -> None:
    scenario = make_scenario(
        decision("first", "detection.triage"),
        decision("second", "detection.triage"),
        decision("third", "detection.triage"),
    )
    records = [
        answer(scenario, "first", ["soc-hunter"]),
        answer(scenario, "second", ["soc-hunter"]),
        answer(scenario, "third", ["soc-lead"]),
    ]
    (item,) = score_session(scenario, MAP, EVERYONE, records).improvements
    assert item.outcomes == {"aligned": 1, "overlap": 0, "drift": 2, "gap": 0}
    assert item.observation == "Of 3 answers on alert triage: 2 drift. Acted instead of the owner: soc-hunter."


@pytest.mark.parametrize("order", [("aligned", "drift"), ("drift", "aligned")])
def test_a_responsibility_that_drifted_once_is_no_strength(order: tuple[str, str]) -> None:
    roles = {"aligned": ["soc-lead"], "drift": ["soc-hunter"]}
    scenario = make_scenario(decision("a", "detection.triage"), decision("b", "detection.triage"))
    records = [answer(scenario, "a", roles[order[0]]), answer(scenario, "b", roles[order[1]])]
    assert score_session(scenario, MAP, EVERYONE, records).strengths.responsibilities == ()
    always = [answer(scenario, "a", ["soc-lead"]), answer(scenario, "b", ["soc-analyst"])]
    assert score_session(scenario, MAP, EVERYONE, always).strengths.responsibilities == ("detection.triage",)


@pytest.mark.parametrize(
    ("roles", "recommendation"),
    [
        (
            [[], []],
            "Make soc-lead the named first call for alert triage in the runbook and on-call rota, and drill it.",
        ),
        (
            [[], ["soc-hunter"]],
            "Brief the team that soc-lead owns alert triage and rehearse the hand-off to them.",
        ),
        (
            [[], ["soc-lead", "soc-analyst"]],
            "Settle that soc-lead decides alert triage; the others are consulted, not co-owners.",
        ),
        (
            [["soc-hunter"], ["soc-lead", "soc-hunter"]],
            "Brief the team that soc-lead owns alert triage and rehearse the hand-off to them.",
        ),
        (
            [["client-admin"], []],
            "Agree across the parties that soc-lead owns alert triage; write the hand-off into the contract"
            " or runbook and brief the other parties' roles.",
        ),
    ],
    ids=["gaps only", "gap and drift", "gap and overlap", "drift and overlap", "boundary drift"],
)
def test_recommendation_per_mix_of_outcomes(roles: list[list[str]], recommendation: str) -> None:
    scenario = make_scenario(decision("a", "detection.triage"), decision("b", "detection.triage"))
    records = [answer(scenario, "a", roles[0]), answer(scenario, "b", roles[1])]
    (item,) = score_session(scenario, MAP, EVERYONE, records).improvements
    assert item.recommendation == recommendation


def test_a_map_gap_replayed_three_times_counts_three_answers() -> None:
    scenario = make_scenario(decision("lead", "investigation.lead"))
    records = [answer(scenario, "lead", ["soc-lead"], attempt=n) for n in (1, 2, 3)]
    (gap,) = score_session(scenario, MAP, EVERYONE, records).map_gaps
    assert (gap.decision, gap.step, gap.answers) == ("lead", "step-0", 3)


def test_a_drift_by_a_consulted_role_is_overreach_in_the_ranking() -> None:
    score = score_one("detection.triage", ["msp-engineer"])  # C on triage
    assert [(p.owner, p.actor, p.count, p.boundary, p.overreach) for p in score.top_drifts] == [
        ("soc-lead", "msp-engineer", 1, 1, 1)
    ]
    assert score.drift_matrix.count("soc-lead", "msp-engineer") == 1
    assert score.drift_matrix.count("soc-lead", "nobody-like-this") == 0


def test_an_unknown_stage_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="recovery"):
        score_one("detection.triage", ["soc-lead"]).stage("recovery")


def test_notes_from_objects_without_every_field() -> None:
    class Bare:
        text = "only text"

    scenario = make_scenario(decision("d", "detection.triage"))
    (note,) = score_session(scenario, MAP, EVERYONE, [], notes=[Bare()]).notes  # type: ignore[list-item]
    assert (note.text, note.by, note.step, note.decision, note.clock) == ("only text", "", "", "", "")


@pytest.mark.parametrize(("latency_ms", "late"), [(30_000, False), (30_001, True)])
def test_one_millisecond_past_the_limit_is_late(latency_ms: int, late: bool) -> None:
    score = score_one("detection.triage", ["soc-lead"], time_limit_s=30, latency_ms=latency_ms)
    assert score.answers[0].late is late


def test_a_map_gap_before_scored_answers_does_not_stop_the_count() -> None:
    scenario = make_scenario(
        decision("lead", "investigation.lead"),
        decision("triage", "detection.triage"),
        decision("confirm", "confirmation.confirm"),
        stage_of={"lead": "detection", "confirm": "detection"},
    )
    records = [
        answer(scenario, "lead", ["soc-lead"]),
        answer(scenario, "triage", ["soc-lead"]),
        answer(scenario, "confirm", []),
    ]
    overall = score_session(scenario, MAP, EVERYONE, records).overall
    assert (overall.clarity, overall.weight, overall.earned, overall.answers, overall.scored) == (50.0, 2, 1.0, 3, 2)


def test_an_unplayed_stage_has_empty_figures() -> None:
    containment = score_one("detection.triage", ["soc-lead"]).stage("containment").score
    assert containment == Clarity(None, None, 0, 0.0, 0, 0, ())


def test_consensus_carries_where_it_was_asked_and_orders_ties_by_roles() -> None:
    scenario = make_scenario(decision("d", "detection.triage"))
    ballots = {"a": ("soc-lead",), "b": ("soc-analyst",), "c": ("msp-engineer",), "d": ("soc-lead",)}
    record = answer(scenario, "d", ["soc-lead"], ballots=ballots, attempt=2)
    consensus = score_session(scenario, MAP, EVERYONE, [record]).consensus
    assert consensus is not None
    (only,) = consensus.decisions
    assert (only.decision, only.step, only.attempt) == ("d", "step-0", 2)
    assert [(c.roles, c.count) for c in only.answers] == [
        (("soc-lead",), 2),
        (("msp-engineer",), 1),
        (("soc-analyst",), 1),
    ]


def test_unstaffed_roles_the_answers_needed() -> None:
    scenario = make_scenario(
        decision("authorise", "containment.authorize", expect="accountable"),
        decision("again", "containment.authorize", expect="accountable"),
    )
    records = [
        answer(scenario, "authorise", ["client-admin"]),
        answer(scenario, "authorise", []),
        answer(scenario, "again", []),
    ]
    (needed,) = score_session(scenario, MAP, UNSTAFFED_CLIENT_LEAD, records).load.unstaffed_needed
    assert needed == NeededRole(
        role="client-lead",
        party="client",
        deputy="client-admin",
        deputy_staffed=True,
        decisions=("again", "authorise"),
        answers=3,
    )


def test_an_owner_missing_from_the_maps_roles_is_needed_without_party_or_deputy() -> None:
    """Built without the loader (which would refuse it): the A is not among the map's roles."""
    odd = AuthorityMap.model_validate(
        {
            "id": "odd",
            "title": "Odd",
            "parties": {"soc": "SOC"},
            "roles": [{"id": "soc-analyst", "name": "SOC analyst", "party": "soc", "deputy": "soc-analyst"}],
            "assignments": {"detection.triage": {"A": "ghost", "why": "Nobody knows."}},
        }
    )
    scenario = make_scenario(decision("d", "detection.triage", expect="accountable"))
    roster = Roster(participants=[Participant(name="Sam", roles=["soc-analyst"])])
    (needed,) = score_session(scenario, odd, roster, [answer(scenario, "d", [])]).load.unstaffed_needed
    assert needed == NeededRole("ghost", None, None, False, ("d",), 1)


def test_a_late_answer_says_where_and_how_late() -> None:
    score = score_one("detection.triage", ["soc-lead"], time_limit_s=30, latency_ms=45_000)
    assert score.answers[0].time_limit_s == 30
    assert score.latency.late == (LateAnswer("d", "step-0", "detection", 1, 45_000, 30, False),)


def test_overreach_adds_up_in_a_cell() -> None:
    scenario = make_scenario(decision("a", "detection.triage"), decision("b", "detection.triage"))
    records = [answer(scenario, "a", ["msp-engineer"]), answer(scenario, "b", ["msp-engineer"])]
    (pair,) = score_session(scenario, MAP, EVERYONE, records).top_drifts
    assert (pair.count, pair.boundary, pair.overreach) == (2, 2, 2)


def test_notes_read_decision_and_by_from_dicts() -> None:
    scenario = make_scenario(decision("d", "detection.triage"))
    notes = [{"text": "late call", "by": "Sam", "decision": "d", "step": "step-0", "clock": "02:30"}]
    (note,) = score_session(scenario, MAP, EVERYONE, [], notes=notes).notes
    assert (note.text, note.by, note.step, note.decision, note.clock) == ("late call", "Sam", "step-0", "d", "02:30")


def test_reflection_items_in_full() -> None:
    scenario = make_scenario(decision("confirm", "confirmation.confirm"), decision("lead", "investigation.lead"))
    records = [answer(scenario, "confirm", ["soc-analyst"], attempt=2), answer(scenario, "lead", ["soc-lead"])]
    confirm, authorise, lead, contact = score_session(scenario, MAP, EVERYONE, records).reflection
    assert confirm == Reflection(
        responsibility="confirmation.confirm",
        question="Who owns incident confirmation?",
        owner="soc-lead",
        responsible=("soc-analyst",),
        why="The SOC has the telemetry.",
        answers=(ReflectionAnswer("confirm", "step-0", 2, ("soc-analyst",), "aligned", False),),
        verdict="matches the map",
    )
    assert lead == Reflection(
        responsibility="investigation.lead",
        question="Who leads the investigation?",
        owner=None,
        responsible=(),
        why="",
        answers=(ReflectionAnswer("lead", "step-1", 1, ("soc-lead",), "drift", True),),
        verdict="no owner in the map",
    )
    assert (authorise.answers, contact.why) == ((), "One MSP voice to the client.")


def test_a_critical_map_gap_replayed_is_one_entry_in_full() -> None:
    scenario = make_scenario(decision("lead", "investigation.lead", critical=True))
    records = [answer(scenario, "lead", [], attempt=1), answer(scenario, "lead", ["soc-lead"], attempt=2)]
    assert score_session(scenario, MAP, EVERYONE, records).map_gaps == (
        MapGap("investigation.lead", "lead", "step-0", "investigation", True, 2),
    )


def test_no_roster_is_an_empty_load() -> None:
    assert score_one("detection.triage", ["soc-lead"], roster=None).load == Load((), (), ())


def test_an_answer_naming_a_role_nobody_holds_loads_nobody() -> None:
    roster = Roster(participants=[Participant(name="Dana", roles=["soc-lead"])])
    score = score_one("detection.triage", ["client-lead"], roster=roster)
    assert [(p.name, p.decisions, p.answered) for p in score.load.people] == [("Dana", 0, 0)]


CUSTOM_MAP = AuthorityMap.model_validate(
    {
        **MAP.model_dump(),
        "extra_responsibilities": [
            {"id": "custom.vendor-call", "stage": "communication", "title": "Vendor call", "description": "x"}
        ],
        "assignments": {
            **MAP.model_dump()["assignments"],
            "custom.vendor-call": {"A": "msp-manager", "R": ["msp-engineer"], "why": "The MSP holds the contract."},
        },
    }
)


def test_improvements_on_a_map_specific_responsibility() -> None:
    """An extra responsibility has no catalogue entry: its id is its title, its step gives its stage, it sorts last."""
    scenario = make_scenario(
        decision("vendor", "custom.vendor-call"),
        decision("triage", "detection.triage"),
        stage_of={"vendor": "containment"},
    )
    records = [answer(scenario, "vendor", ["soc-hunter"]), answer(scenario, "triage", ["client-admin"])]
    improvements = score_session(scenario, CUSTOM_MAP, EVERYONE, records).improvements
    assert [(i.responsibility, i.stage, i.priority) for i in improvements] == [
        ("detection.triage", "detection", "high"),
        ("custom.vendor-call", "containment", "high"),
    ]
    assert improvements[1].observation == (
        "Of 1 answer on custom.vendor-call: 1 drift. Acted instead of the owner: soc-hunter."
    )


def test_strengths_list_catalogue_responsibilities_before_map_specific_ones() -> None:
    scenario = make_scenario(
        decision("vendor", "custom.vendor-call"),
        decision("triage", "detection.triage"),
        stage_of={"vendor": "communication"},
    )
    records = [answer(scenario, "vendor", ["msp-manager"]), answer(scenario, "triage", ["soc-lead"])]
    strengths = score_session(scenario, CUSTOM_MAP, EVERYONE, records).strengths
    assert strengths.responsibilities == ("detection.triage", "custom.vendor-call")


def test_an_improvement_in_full_words() -> None:
    """Overlap claimants count as acting instead; an aligned critical answer does not make the item critical."""
    scenario = make_scenario(
        decision("a", "detection.triage", critical=True),
        decision("b", "detection.triage"),
        decision("c", "detection.triage"),
    )
    records = [
        answer(scenario, "a", ["soc-lead"]),
        answer(scenario, "b", ["soc-lead", "soc-hunter", "msp-manager"]),
        answer(scenario, "c", ["soc-hunter"]),
    ]
    (item,) = score_session(scenario, MAP, EVERYONE, records).improvements
    assert item.acted == ("msp-manager", "soc-hunter")
    assert item.critical is False and item.boundary is False and item.priority == "medium"
    assert item.observation == (
        "Of 3 answers on alert triage: 1 overlap, 1 drift. Acted instead of the owner: msp-manager, soc-hunter."
    )


def test_an_improvement_takes_its_stage_from_the_catalogue_not_the_step() -> None:
    scenario = make_scenario(decision("confirm", "confirmation.confirm"), stage_of={"confirm": "detection"})
    (item,) = score_session(scenario, MAP, EVERYONE, [answer(scenario, "confirm", ["soc-hunter"])]).improvements
    assert (item.responsibility, item.stage) == ("confirmation.confirm", "confirmation")


def test_a_person_alone_holding_every_role_is_not_flagged_as_overloaded() -> None:
    # Solo practice and headless runs put every role on one person by design: nothing to spread.
    scenario = make_scenario(decision("triage", "detection.triage"))
    alone = Roster(participants=[Participant(name="Ana", roles=["soc-analyst", "soc-lead", "msp-engineer"])])
    records = [answer(scenario, "triage", ["soc-analyst"], answered_by="Ana")]
    load = score_session(scenario, MAP, alone, records).load
    assert [(p.name, p.many_roles) for p in load.people] == [("Ana", False)] and load.overloaded == ()
    pair = Roster(participants=[*alone.participants, Participant(name="Ben", roles=["client-lead"])])
    assert score_session(scenario, MAP, pair, records).load.overloaded == ("Ana",)
