"""How one answer compares with the authority map.

The engine needs the outcome kind to fire consequences and the scoring needs it
to add up credit, so the rule lives here, below both.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from simulator.frozen import frozen
from simulator.model import AuthorityMap, Decision, Outcome

DriftKind = Literal["boundary", "internal"]
CREDIT: dict[Outcome, float] = {"aligned": 1.0, "overlap": 0.5, "drift": 0.0, "gap": 0.0}


@frozen
class Classification:
    outcome: Outcome
    expected: tuple[str, ...]  # the expected set E, sorted; empty for a map gap
    credit: float
    map_gap: bool = False  # the map assigns nobody: excluded from the team's score
    via_deputy: bool = False  # aligned because the expected role was unstaffed and its deputy acted
    drift_kind: DriftKind | None = None
    overreach: bool = False  # drift by a role that is only Consulted or Informed


def expected_roles(decision: Decision, authority_map: AuthorityMap) -> frozenset[str]:
    """E: the A role when the decision expects `accountable`, else R ∪ {A}; empty for a map gap."""
    assignment = authority_map.assignments.get(decision.responsibility)
    if assignment is None:
        return frozenset()
    return frozenset({assignment.A}) if decision.expect == "accountable" else assignment.responsible


def _deputies_for_unstaffed(
    expected: frozenset[str], authority_map: AuthorityMap, staffed: Collection[str]
) -> set[str]:
    deputies = set()
    for role in authority_map.roles:
        if role.id in expected and role.id not in staffed and role.deputy:
            deputies.add(role.deputy)
    return deputies


def classify(
    decision: Decision,
    roles: Collection[str],
    authority_map: AuthorityMap,
    staffed: Collection[str] | None = None,
) -> Classification:
    """Compare the roles that answered `decision` with the map.

    `staffed` is the set of roles someone in the roster holds; None means every
    role is staffed (solo play, or a headless run without a roster).
    """
    answer = frozenset(roles)
    expected = expected_roles(decision, authority_map)
    ordered = tuple(sorted(expected))
    if not expected:
        outcome: Outcome = "gap" if not answer else ("overlap" if len(answer) > 1 else "drift")
        # Nobody is expected, so nothing can be earned; the answer is excluded from the score anyway.
        return Classification(outcome, (), CREDIT["gap"], map_gap=True)
    if not answer:
        return Classification("gap", ordered, CREDIT["gap"])
    deputies = _deputies_for_unstaffed(expected, authority_map, staffed) if staffed is not None else set()
    if len(answer) > 1:
        # Contested authority earns half only when the right role is among the claimants; else it is a drift.
        credit = CREDIT["overlap"] if answer & (expected | deputies) else CREDIT["drift"]
        return Classification("overlap", ordered, credit)
    (role,) = answer
    if role in expected:
        return Classification("aligned", ordered, CREDIT["aligned"])
    if role in deputies:
        return Classification("aligned", ordered, CREDIT["aligned"], via_deputy=True)
    party_of = {r.id: r.party for r in authority_map.roles}
    expected_parties = {party_of.get(e) for e in expected}
    drift_kind: DriftKind = "boundary" if party_of.get(role) not in expected_parties else "internal"
    assignment = authority_map.assignments[decision.responsibility]
    overreach = role in (set(assignment.C) | set(assignment.I)) and role not in assignment.responsible
    return Classification("drift", ordered, CREDIT["drift"], drift_kind=drift_kind, overreach=overreach)
