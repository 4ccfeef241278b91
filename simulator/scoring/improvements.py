"""Strengths and areas for improvement, per responsibility, for the AAR/IP."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.catalogue import CATALOGUE
from simulator.model import OUTCOMES, AuthorityMap, Outcome
from simulator.scoring.result import Improvement, ScoredAnswer, StageScore, Strengths

_PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _title(responsibility: str) -> str:
    known = CATALOGUE.get(responsibility)
    return known.title.lower() if known else responsibility


def strengths_of(stages: Sequence[StageScore], answers: Sequence[ScoredAnswer]) -> Strengths:
    always: dict[str, bool] = {}
    for a in answers:
        if not a.map_gap:
            always[a.responsibility] = always.get(a.responsibility, True) and a.outcome == "aligned"
    order = {rid: i for i, rid in enumerate(CATALOGUE)}
    return Strengths(
        stages=tuple(s.stage for s in stages if s.score.rating == "P"),
        responsibilities=tuple(sorted((r for r, ok in always.items() if ok), key=lambda r: (order.get(r, 99), r))),
    )


def _observation(title: str, counts: dict[Outcome, int], acted: Sequence[str]) -> str:
    parts = [f"{counts[o]} {o}" for o in OUTCOMES if counts[o] and o != "aligned"]
    total = sum(counts.values())
    text = f"Of {total} answer{'s' if total != 1 else ''} on {title}: {', '.join(parts)}."
    if acted:
        text += f" Acted instead of the owner: {', '.join(acted)}."
    return text


def _recommendation(title: str, owner: str, counts: dict[Outcome, int], boundary: bool) -> str:
    if counts["gap"] and not (counts["drift"] or counts["overlap"]):
        return f"Make {owner} the named first call for {title} in the runbook and on-call rota, and drill it."
    if boundary:
        return (
            f"Agree across the parties that {owner} owns {title}; write the hand-off into the contract"
            " or runbook and brief the other parties' roles."
        )
    if counts["overlap"] and not counts["drift"]:
        return f"Settle that {owner} decides {title}; the others are consulted, not co-owners."
    return f"Brief the team that {owner} owns {title} and rehearse the hand-off to them."


def improvements_of(authority_map: AuthorityMap, answers: Sequence[ScoredAnswer]) -> tuple[Improvement, ...]:
    groups: dict[str, list[ScoredAnswer]] = {}
    for a in answers:
        if not a.map_gap:
            groups.setdefault(a.responsibility, []).append(a)
    items = []
    for rid, group in groups.items():
        if all(a.outcome == "aligned" for a in group):
            continue
        counts: dict[Outcome, int] = dict.fromkeys(OUTCOMES, 0)
        for a in group:
            counts[a.outcome] += 1
        expected = sorted({role for a in group for role in a.expected})
        acted = sorted({role for a in group if a.outcome in ("drift", "overlap") for role in a.roles} - set(expected))
        boundary = any(a.drift_kind == "boundary" for a in group)
        critical = any(a.critical and a.outcome != "aligned" for a in group)
        priority = "high" if critical or boundary else ("medium" if counts["drift"] or counts["gap"] else "low")
        assignment = authority_map.assignments[rid]
        title = _title(rid)
        items.append(
            Improvement(
                responsibility=rid,
                stage=CATALOGUE[rid].stage if rid in CATALOGUE else group[0].stage,
                owner=assignment.A,
                expected=tuple(expected),
                why=assignment.why,
                outcomes=counts,
                acted=tuple(acted),
                boundary=boundary,
                critical=critical,
                priority=priority,
                observation=_observation(title, counts, acted),
                recommendation=_recommendation(title, assignment.A, counts, boundary),
            )
        )
    order = {rid: i for i, rid in enumerate(CATALOGUE)}
    items.sort(key=lambda i: (_PRIORITY_ORDER[i.priority], order.get(i.responsibility, 99), i.responsibility))
    return tuple(items)
