"""The four reflection questions: who the map says owns it vs what the team answered."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.catalogue import REFLECTION_QUESTIONS
from simulator.model import AuthorityMap
from simulator.scoring.result import Reflection, ReflectionAnswer, ScoredAnswer

NOT_ASKED = "not asked in this scenario"
NO_OWNER = "no owner in the map"
MATCHES = "matches the map"
PARTLY = "partly matches the map"
DIFFERS = "differs from the map"


def _verdict(answers: Sequence[ReflectionAnswer], has_owner: bool) -> str:
    if not answers:
        return NOT_ASKED
    if not has_owner:
        return NO_OWNER
    aligned = sum(a.outcome == "aligned" for a in answers)
    if aligned == len(answers):
        return MATCHES
    return PARTLY if aligned else DIFFERS


def reflection_of(authority_map: AuthorityMap, answers: Sequence[ScoredAnswer]) -> tuple[Reflection, ...]:
    by_responsibility: dict[str, list[ReflectionAnswer]] = {rid: [] for rid, _ in REFLECTION_QUESTIONS}
    for a in answers:
        bucket = by_responsibility.get(a.responsibility)
        if bucket is not None:
            bucket.append(ReflectionAnswer(a.decision, a.step, a.record.attempt, a.roles, a.outcome, a.map_gap))
    items = []
    for rid, question in REFLECTION_QUESTIONS:
        assignment = authority_map.assignments.get(rid)
        given = tuple(by_responsibility[rid])
        items.append(
            Reflection(
                responsibility=rid,
                question=question,
                owner=assignment.A if assignment else None,
                responsible=tuple(assignment.R) if assignment else (),
                why=assignment.why if assignment else "",
                answers=given,
                verdict=_verdict(given, assignment is not None),
            )
        )
    return tuple(items)
