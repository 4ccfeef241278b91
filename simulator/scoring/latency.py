"""Time to answer: median and worst per stage, and the answers past their limit."""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from simulator.catalogue import STAGES
from simulator.scoring.result import LateAnswer, Latency, ScoredAnswer, StageLatency


def latency_of(answers: Iterable[ScoredAnswer]) -> Latency:
    """Every answer record counts, map gaps too: the room still spent the time."""
    items = list(answers)
    by_stage: dict[str, list[int]] = {}
    for answer in items:
        by_stage.setdefault(answer.stage, []).append(answer.record.latency_ms)
    stages = tuple(
        StageLatency(stage, len(times), round(statistics.median(times)), max(times))
        for stage in STAGES
        if (times := by_stage.get(stage))
    )
    every = [answer.record.latency_ms for answer in items]
    late = tuple(
        LateAnswer(
            decision=a.decision,
            step=a.step,
            stage=a.stage,
            attempt=a.record.attempt,
            latency_ms=a.record.latency_ms,
            limit_s=a.time_limit_s,
            timed_out=a.record.timed_out,
        )
        for a in items
        if a.late
    )
    return Latency(
        stages=stages,
        median_ms=round(statistics.median(every)) if every else None,
        worst_ms=max(every) if every else None,
        late=late,
    )
