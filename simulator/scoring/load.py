"""Who carried the exercise: decisions per person, roles per person, needed unstaffed roles."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.model import AuthorityMap, Roster
from simulator.scoring.result import Load, NeededRole, PersonLoad, ScoredAnswer
from simulator.scoring.settings import ScoringSettings


def _people_load(roster: Roster, answers: Sequence[ScoredAnswer], settings: ScoringSettings) -> tuple[PersonLoad, ...]:
    holders: dict[str, set[int]] = {}  # role -> participant positions
    for position, person in enumerate(roster.participants):
        for role in person.roles:
            holders.setdefault(role, set()).add(position)
    by_name = {person.name: position for position, person in enumerate(roster.participants)}
    # Many roles is a risk worth naming only when others could take some: a solo player, or the one
    # "Team" of a headless run, holds every role by design.
    shared = len(roster.participants) > 1
    carried = [0] * len(roster.participants)
    answered = [0] * len(roster.participants)
    for answer in answers:
        people: set[int] = set()
        giver = by_name.get(answer.record.answered_by)  # "team" and unknown names are nobody's
        if giver is not None:
            answered[giver] += 1
            people.add(giver)
        for role in answer.roles:
            people |= holders.get(role, set())
        for position in people:
            carried[position] += 1
    return tuple(
        PersonLoad(
            name=person.name,
            roles=tuple(person.roles),
            decisions=carried[position],
            answered=answered[position],
            many_roles=shared and len(set(person.roles)) >= settings.many_roles,
        )
        for position, person in enumerate(roster.participants)
    )


def _unstaffed_needed(
    authority_map: AuthorityMap, staffed: frozenset[str], answers: Sequence[ScoredAnswer]
) -> tuple[NeededRole, ...]:
    needed: dict[str, list[str]] = {}
    for answer in answers:
        for expected in answer.expected:
            if expected not in staffed:
                needed.setdefault(expected, []).append(answer.decision)
    roles = {role.id: role for role in authority_map.roles}
    result = []
    for role_id in sorted(needed):
        role = roles.get(role_id)
        deputy = role.deputy if role is not None else None
        result.append(
            NeededRole(
                role=role_id,
                party=role.party if role is not None else None,
                deputy=deputy,
                deputy_staffed=deputy is not None and deputy in staffed,
                decisions=tuple(sorted(set(needed[role_id]))),
                answers=len(needed[role_id]),
            )
        )
    return tuple(result)


def load_of(
    roster: Roster | None, authority_map: AuthorityMap, answers: Sequence[ScoredAnswer], settings: ScoringSettings
) -> Load:
    """Without a roster every role counts as staffed and there is nobody to weigh."""
    if roster is None:
        return Load((), (), ())
    people = _people_load(roster, answers, settings)
    return Load(
        people=people,
        unstaffed_needed=_unstaffed_needed(authority_map, roster.staffed, answers),
        overloaded=tuple(p.name for p in people if p.many_roles),
    )
