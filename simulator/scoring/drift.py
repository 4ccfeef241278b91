"""Who acted instead of the owner: the drift matrix, its ranking and the drift counts.

The matrix counts, for drift and overlap answers, every named role outside the
expected set E against the map's accountable role (the "expected owner").
Aligned answers and gaps add nothing: a gap has no actor, and putting aligned
answers on a diagonal would hide R roles acting correctly off it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from simulator.frozen import frozen
from simulator.model import AuthorityMap, Decision
from simulator.outcome import classify
from simulator.scoring.clarity import outcome_counts
from simulator.scoring.result import DriftMatrix, DriftPair, DriftSummary, ScoredAnswer


@dataclass
class _Cell:
    count: int = 0
    weight: int = 0
    boundary: int = 0
    overreach: int = 0
    responsibilities: set[str] = field(default_factory=set)


@frozen
class _Drifted:
    role: str
    boundary: bool
    overreach: bool


def _outside_roles(
    answer: ScoredAnswer, decision: Decision, authority_map: AuthorityMap, staffed: Collection[str] | None
) -> Iterator[_Drifted]:
    """Each named role that drifted, with its boundary and overreach flags.

    A drift answer carries its own flags; for an overlap, each claimant is
    classified alone, so the boundary/overreach rule is `classify`'s, not a copy.
    """
    if answer.outcome == "drift":
        (role,) = set(answer.roles)
        yield _Drifted(role, answer.drift_kind == "boundary", answer.overreach)
    elif answer.outcome == "overlap":
        for role in sorted(set(answer.roles)):
            alone = classify(decision, (role,), authority_map, staffed)
            if alone.outcome == "drift":
                yield _Drifted(role, alone.drift_kind == "boundary", alone.overreach)


def drift_cells(
    answers: Iterable[ScoredAnswer],
    decisions: dict[str, Decision],
    authority_map: AuthorityMap,
    staffed: Collection[str] | None,
) -> tuple[DriftMatrix, tuple[DriftPair, ...]]:
    cells: dict[tuple[str, str], _Cell] = {}
    for answer in answers:
        if answer.owner is None:  # a map gap: nobody to have acted instead of
            continue
        for drifted in _outside_roles(answer, decisions[answer.decision], authority_map, staffed):
            cell = cells.setdefault((answer.owner, drifted.role), _Cell())
            cell.count += 1
            cell.weight += answer.weight
            cell.boundary += drifted.boundary
            cell.overreach += drifted.overreach
            cell.responsibilities.add(answer.responsibility)
    matrix = DriftMatrix(
        owners=tuple(sorted({owner for owner, _ in cells})),
        actors=tuple(sorted({actor for _, actor in cells})),
        counts={key: cells[key].count for key in sorted(cells)},
    )
    pairs = [
        DriftPair(owner, actor, c.count, c.weight, c.boundary, c.overreach, tuple(sorted(c.responsibilities)))
        for (owner, actor), c in cells.items()
    ]
    pairs.sort(key=lambda p: (-p.weight, -p.count, p.owner, p.actor))
    return matrix, tuple(pairs)


def drift_summary(answers: Iterable[ScoredAnswer]) -> DriftSummary:
    items = [a for a in answers if not a.map_gap]
    drifts = [a for a in items if a.outcome == "drift"]
    return DriftSummary(
        outcomes=outcome_counts(items),
        boundary=sum(a.drift_kind == "boundary" for a in drifts),
        internal=sum(a.drift_kind == "internal" for a in drifts),
        overreach=sum(a.overreach for a in drifts),
    )
