"""Ownership clarity and the HSEEP rating, per stage and overall."""

from __future__ import annotations

from collections.abc import Iterable

from simulator.catalogue import STAGES
from simulator.model import OUTCOMES, Outcome
from simulator.scoring.result import Clarity, ScoredAnswer, StageScore
from simulator.scoring.settings import ScoringSettings


def clarity_of(answers: Iterable[ScoredAnswer], settings: ScoringSettings) -> Clarity:
    """100 × Σ weight·credit / Σ weight over the scored answers; map gaps only count as answers."""
    weight = 0
    earned = 0.0
    count = 0
    scored = 0
    critical: list[str] = []
    for answer in answers:
        count += 1
        if answer.map_gap:
            continue
        scored += 1
        weight += answer.weight
        earned += answer.weight * answer.credit
        if answer.critical_gap:
            critical.append(answer.decision)
    if scored == 0:
        return Clarity(None, None, 0, 0.0, count, 0, ())
    # Multiply first: credits are halves, so a value exactly on a threshold stays exact.
    clarity = 100.0 * earned / weight
    critical_gaps = tuple(dict.fromkeys(critical))
    return Clarity(clarity, settings.rate(clarity, bool(critical_gaps)), weight, earned, count, scored, critical_gaps)


def outcome_counts(answers: Iterable[ScoredAnswer]) -> dict[Outcome, int]:
    """Per-outcome counts over scored answers, every outcome present."""
    counts: dict[Outcome, int] = dict.fromkeys(OUTCOMES, 0)
    for answer in answers:
        if not answer.map_gap:
            counts[answer.outcome] += 1
    return counts


def stage_scores(answers: Iterable[ScoredAnswer], settings: ScoringSettings) -> tuple[StageScore, ...]:
    """All six stages in order; a stage nobody answered in has clarity and rating None."""
    by_stage: dict[str, list[ScoredAnswer]] = {stage: [] for stage in STAGES}
    for answer in answers:
        by_stage[answer.stage].append(answer)
    return tuple(
        StageScore(stage, clarity_of(by_stage[stage], settings), outcome_counts(by_stage[stage])) for stage in STAGES
    )
