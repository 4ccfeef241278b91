"""Classify every answer record against the map, once, in answer order."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from simulator.catalogue import Stage
from simulator.frozen import frozen
from simulator.model import AuthorityMap, Decision, Scenario
from simulator.outcome import classify
from simulator.records import AnswerRecord
from simulator.scoring.result import ScoredAnswer


@frozen
class Asked:
    decision: Decision
    stage: Stage


def index_decisions(scenario: Scenario) -> dict[str, Asked]:
    """Decision id -> decision and its step's stage (ids are unique across a scenario)."""
    return {d.id: Asked(d, step.stage) for step in scenario.steps for d in step.decisions}


def is_late(record: AnswerRecord, decision: Decision) -> bool:
    """Timed out, or answered after the limit (a facilitator may let the room run over)."""
    if record.timed_out:
        return True
    return decision.time_limit_s is not None and record.latency_ms > decision.time_limit_s * 1000


def score_answers(
    asked: Mapping[str, Asked],
    authority_map: AuthorityMap,
    staffed: Collection[str] | None,
    answers: Sequence[AnswerRecord],
) -> tuple[tuple[ScoredAnswer, ...], tuple[str, ...]]:
    """(scored answers, ids of answered decisions the scenario no longer has)."""
    scored: list[ScoredAnswer] = []
    unknown: list[str] = []
    for index, record in enumerate(answers):
        found = asked.get(record.decision)
        if found is None:
            unknown.append(record.decision)
            continue
        decision = found.decision
        # A timed-out answer is a gap whatever was half-selected when the clock ran out.
        roles = () if record.timed_out else record.roles
        verdict = classify(decision, roles, authority_map, staffed)
        assignment = authority_map.assignments.get(decision.responsibility)
        scored.append(
            ScoredAnswer(
                index=index,
                record=record,
                stage=found.stage,
                responsibility=decision.responsibility,
                weight=decision.weight,
                critical=decision.critical,
                expect=decision.expect,
                time_limit_s=decision.time_limit_s,
                roles=tuple(roles),
                owner=assignment.A if assignment is not None else None,
                expected=verdict.expected,
                outcome=verdict.outcome,
                credit=verdict.credit,
                map_gap=verdict.map_gap,
                via_deputy=verdict.via_deputy,
                drift_kind=verdict.drift_kind,
                overreach=verdict.overreach,
                late=is_late(record, decision),
            )
        )
    return tuple(scored), tuple(dict.fromkeys(unknown))
