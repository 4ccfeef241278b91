"""report.json: the scored session as a stable, versioned document for other tools.

Keys come out in a fixed order, lists in a fixed order, and nothing depends on
the time the report is built, so the same journal gives byte-identical JSON.
The shape is documented in docs/report-json.md; bump REPORT_FORMAT on any
change a consumer would notice (a removed or renamed key, a changed meaning).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from simulator.catalogue import CATALOGUE
from simulator.model import AuthorityMap, Scenario
from simulator.records import Header
from simulator.reporting.figures import clarity_value
from simulator.safetext import strip_controls
from simulator.scoring import (
    MAP_GAPS_ONLY,
    NOT_PLAYED,
    RATING_WORDS,
    Clarity,
    Consensus,
    DriftMatrix,
    Latency,
    Load,
    ScoredAnswer,
    SessionScore,
)
from simulator.templating import fill_variables, render

REPORT_FORMAT = "ttx-report/1"

Json = dict[str, Any]


def rating_label(score: Clarity) -> str:
    if score.rating is not None:
        return RATING_WORDS[score.rating]
    return MAP_GAPS_ONLY if score.answers else NOT_PLAYED


def _clarity(score: Clarity) -> Json:
    return {
        "clarity": clarity_value(score.clarity),
        "rating": score.rating,
        "rating_label": rating_label(score),
        "decisions": score.answers,
        "scored": score.scored,
        "weight": score.weight,
        "earned": score.earned,
        "critical_gaps": list(score.critical_gaps),
    }


def _exercise(header: Header, scenario: Scenario, authority_map: AuthorityMap, values: Mapping[str, str]) -> Json:
    return {
        "scenario": {
            "id": scenario.id,
            "title": render(scenario.title, values),
            "sha256": header.scenario.sha256,
        },
        "map": {"id": authority_map.id, "title": authority_map.title, "sha256": header.map.sha256},
        "seed": header.seed,
        "mode": header.mode,
        "started_at": header.started_at,
        "journal_format": header.format,
        "roster": [{"name": str(p.get("name", "")), "roles": list(p.get("roles", []))} for p in header.roster],
    }


def _decision(answer: ScoredAnswer, asks: Mapping[str, str]) -> Json:
    record = answer.record
    return {
        "id": answer.decision,
        "step": answer.step,
        "stage": answer.stage,
        "ask": asks.get(answer.decision, ""),
        "responsibility": answer.responsibility,
        "expect": answer.expect,
        "weight": answer.weight,
        "critical": answer.critical,
        "owner": answer.owner,
        "expected": list(answer.expected),
        "answer": sorted(set(answer.roles)),
        "answered_by": record.answered_by,
        "outcome": answer.outcome,
        "credit": answer.credit,
        "drift_kind": answer.drift_kind,
        "overreach": answer.overreach,
        "via_deputy": answer.via_deputy,
        "map_gap": answer.map_gap,
        "latency_ms": record.latency_ms,
        "time_limit_s": answer.time_limit_s,
        "timed_out": record.timed_out,
        "late": answer.late,
        "attempt": record.attempt,
        "clock": record.clock,
        "ballots": {name: sorted(set(roles)) for name, roles in sorted(record.ballots.items())},
    }


def _matrix(matrix: DriftMatrix) -> Json:
    return {
        "owners": list(matrix.owners),
        "actors": list(matrix.actors),
        "counts": [[matrix.count(owner, actor) for actor in matrix.actors] for owner in matrix.owners],
        "total": matrix.total,
    }


def _latency(latency: Latency) -> Json:
    return {
        "median_ms": latency.median_ms,
        "worst_ms": latency.worst_ms,
        "stages": [
            {"stage": s.stage, "answers": s.answers, "median_ms": s.median_ms, "worst_ms": s.worst_ms}
            for s in latency.stages
        ],
        "late": [
            {
                "decision": late.decision,
                "step": late.step,
                "stage": late.stage,
                "attempt": late.attempt,
                "latency_ms": late.latency_ms,
                "time_limit_s": late.limit_s,
                "timed_out": late.timed_out,
            }
            for late in latency.late
        ],
    }


def _load(load: Load, many_roles: int) -> Json:
    return {
        "many_roles_threshold": many_roles,
        "people": [
            {
                "name": p.name,
                "roles": list(p.roles),
                "decisions": p.decisions,
                "answered": p.answered,
                "many_roles": p.many_roles,
            }
            for p in load.people
        ],
        "overloaded": list(load.overloaded),
        "unstaffed_needed": [
            {
                "role": n.role,
                "party": n.party,
                "deputy": n.deputy,
                "deputy_staffed": n.deputy_staffed,
                "decisions": list(n.decisions),
                "answers": n.answers,
            }
            for n in load.unstaffed_needed
        ],
    }


def _consensus(consensus: Consensus | None, threshold: float) -> Json | None:
    if consensus is None:
        return None
    return {
        "threshold": threshold,
        "mean_share": round(consensus.mean_share, 4),
        "ambiguous": list(consensus.ambiguous),
        "decisions": [
            {
                "decision": d.decision,
                "step": d.step,
                "attempt": d.attempt,
                "final": list(d.final),
                "ballots": d.ballots,
                "agreeing": d.agreeing,
                "share": round(d.share, 4),
                "ambiguous": d.ambiguous,
                "answers": [{"roles": list(b.roles), "count": b.count} for b in d.answers],
            }
            for d in consensus.decisions
        ],
    }


def _map_snapshot(authority_map: AuthorityMap) -> Json:
    """The map as played, so the report stands alone when the map file changes later."""
    return {
        "parties": dict(authority_map.parties),
        "roles": [
            {"id": r.id, "name": r.name, "party": r.party, "deputy": r.deputy, "summary": r.summary}
            for r in authority_map.roles
        ],
        "assignments": {
            rid: {"A": a.A, "R": list(a.R), "C": list(a.C), "I": list(a.I), "why": a.why}
            for rid, a in authority_map.assignments.items()
        },
    }


def _reflection(score: SessionScore) -> list[Json]:
    return [
        {
            "responsibility": r.responsibility,
            "question": r.question,
            "owner": r.owner,
            "responsible": list(r.responsible),
            "why": r.why,
            "verdict": r.verdict,
            "answers": [
                {
                    "decision": a.decision,
                    "step": a.step,
                    "attempt": a.attempt,
                    "roles": sorted(set(a.roles)),
                    "outcome": a.outcome,
                    "map_gap": a.map_gap,
                }
                for a in r.answers
            ],
        }
        for r in score.reflection
    ]


def _top_drifts(score: SessionScore) -> list[Json]:
    return [
        {
            "owner": p.owner,
            "actor": p.actor,
            "count": p.count,
            "weight": p.weight,
            "boundary": p.boundary,
            "overreach": p.overreach,
            "responsibilities": list(p.responsibilities),
        }
        for p in score.top_drifts
    ]


def _improvements(score: SessionScore) -> list[Json]:
    return [
        {
            "responsibility": i.responsibility,
            "title": CATALOGUE[i.responsibility].title if i.responsibility in CATALOGUE else i.responsibility,
            "stage": i.stage,
            "owner": i.owner,
            "priority": i.priority,
            "expected": list(i.expected),
            "acted": list(i.acted),
            "boundary": i.boundary,
            "critical": i.critical,
            "outcomes": dict(i.outcomes),
            "observation": i.observation,
            "why": i.why,
            "recommendation": i.recommendation,
        }
        for i in score.improvements
    ]


def build_report(header: Header, scenario: Scenario, authority_map: AuthorityMap, score: SessionScore) -> Json:
    """The versioned report document (see docs/report-json.md); JSON-serialisable as is."""
    values = fill_variables(scenario.variables, header.seed) if scenario.variables else {}
    asks = {d.id: render(d.ask, values) for d in scenario.decisions}
    settings = score.settings
    return {
        "format": REPORT_FORMAT,
        "exercise": _exercise(header, scenario, authority_map, values),
        "overall": _clarity(score.overall),
        "outcomes": dict(score.drift.outcomes),
        "drift_kinds": {
            "boundary": score.drift.boundary,
            "internal": score.drift.internal,
            "overreach": score.drift.overreach,
        },
        "stages": [{"stage": s.stage, **_clarity(s.score), "outcomes": dict(s.outcomes)} for s in score.stages],
        "decisions": [_decision(a, asks) for a in score.answers],
        "map_gaps": [
            {
                "responsibility": g.responsibility,
                "decision": g.decision,
                "step": g.step,
                "stage": g.stage,
                "critical": g.critical,
                "answers": g.answers,
            }
            for g in score.map_gaps
        ],
        "reflection": _reflection(score),
        "drift_matrix": _matrix(score.drift_matrix),
        "top_drifts": _top_drifts(score),
        "latency": _latency(score.latency),
        "load": _load(score.load, settings.many_roles),
        "consensus": _consensus(score.consensus, settings.consensus_threshold),
        "strengths": {
            "stages": list(score.strengths.stages),
            "responsibilities": list(score.strengths.responsibilities),
        },
        "improvements": _improvements(score),
        "notes": [
            {"text": n.text, "step": n.step, "decision": n.decision, "clock": n.clock, "by": n.by} for n in score.notes
        ],
        "unknown_answers": list(score.unknown_answers),
        "settings": {
            "performed": settings.performed,
            "some_challenges": settings.some_challenges,
            "major_challenges": settings.major_challenges,
            "many_roles": settings.many_roles,
            "consensus_threshold": settings.consensus_threshold,
        },
        "map_snapshot": _map_snapshot(authority_map),
    }


def dumps_report(report: Json) -> str:
    """The report as text: indented, UTF-8 kept readable, ending in a newline.

    JSON escapes C0 controls itself; C1 controls (which some terminals obey) would stay raw, so they go.
    """
    return strip_controls(json.dumps(report, indent=2, ensure_ascii=False)) + "\n"
