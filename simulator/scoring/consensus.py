"""How far the room agreed with the answer the facilitator recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from simulator.scoring.result import BallotCount, Consensus, DecisionConsensus, ScoredAnswer
from simulator.scoring.settings import ScoringSettings


def _one(answer: ScoredAnswer, settings: ScoringSettings) -> DecisionConsensus:
    # Ballots and the final answer compare as sets: order and repeats mean nothing.
    final = tuple(sorted(set(answer.roles)))
    tally = Counter(tuple(sorted(set(roles))) for roles in answer.record.ballots.values())
    ballots = sum(tally.values())
    agreeing = tally.get(final, 0)
    share = agreeing / ballots
    counts = tuple(BallotCount(roles, n) for roles, n in sorted(tally.items(), key=lambda item: (-item[1], item[0])))
    return DecisionConsensus(
        decision=answer.decision,
        step=answer.step,
        attempt=answer.record.attempt,
        final=final,
        ballots=ballots,
        agreeing=agreeing,
        share=share,
        ambiguous=share < settings.consensus_threshold,
        answers=counts,
    )


def consensus_of(answers: Iterable[ScoredAnswer], settings: ScoringSettings) -> Consensus | None:
    """None when nobody cast a ballot (solo play, or a facilitator recording only the result)."""
    items = tuple(_one(a, settings) for a in answers if a.record.ballots)
    if not items:
        return None
    return Consensus(
        decisions=items,
        mean_share=sum(item.share for item in items) / len(items),
        ambiguous=tuple(dict.fromkeys(item.decision for item in items if item.ambiguous)),
    )
