"""What only private ballots show (DESIGN §9): each person's first answer against the map beside the
team's final answer, who moved towards or away from the map's owner, and whose private answers drift most.

Pure: journal events, scenario, map and roster in; plain values out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from simulator.corrections import standing_answers
from simulator.frozen import frozen
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.outcome import classify
from simulator.records import attempt_of

Movement = Literal["towards", "away", "stayed"]


@frozen
class PersonBallot:
    name: str
    first: tuple[str, ...]
    first_outcome: str
    final: tuple[str, ...]
    final_outcome: str
    moved: Movement  # from this person's first answer to the team's: towards or away from the map's owner


@frozen
class DecisionBallots:
    decision: str
    stage: str
    expected: tuple[str, ...]
    team: tuple[str, ...]
    team_outcome: str
    people: tuple[PersonBallot, ...]

    @property
    def first_aligned(self) -> int:
        return sum(p.first_outcome == "aligned" for p in self.people)


@frozen
class PersonDrift:
    name: str
    ballots: int
    first_aligned: int
    moved_towards: int
    moved_away: int

    @property
    def not_aligned(self) -> int:
        return self.ballots - self.first_aligned

    @property
    def drift_share(self) -> float:
        return self.not_aligned / self.ballots if self.ballots else 0.0


@frozen
class PrivateBallots:
    decisions: tuple[DecisionBallots, ...]
    people: tuple[PersonDrift, ...]  # whose first answers drift most, first


def _movement(first: str, team: str) -> Movement:
    if first != "aligned" and team == "aligned":
        return "towards"
    if first == "aligned" and team != "aligned":
        return "away"
    return "stayed"


def private_ballots(
    scenario: Scenario, authority_map: AuthorityMap, roster: Roster, events: Sequence[Mapping[str, Any]]
) -> PrivateBallots | None:
    """None when no ballot was cast for any answer that stands."""
    decisions = {d.id: d for d in scenario.decisions}
    staffed = roster.staffed
    first_cast: dict[tuple[str, str, int, str], tuple[str, ...]] = {}
    for event in events:
        if event.get("type") == "ballot_cast":
            key = (str(event.get("step")), str(event.get("decision")), attempt_of(event))
            first_cast.setdefault((*key, str(event.get("participant"))), tuple(event.get("roles", [])))
    rounds: list[DecisionBallots] = []
    for answer in standing_answers(events):
        decision = decisions.get(answer.decision)
        if decision is None or not answer.ballots:
            continue
        team = classify(decision, answer.roles, authority_map, staffed)
        team_outcome = "gap" if answer.timed_out else team.outcome
        seated: list[PersonBallot] = []
        for name, final in answer.ballots.items():
            first = first_cast.get((answer.step, answer.decision, answer.attempt, name), tuple(final))
            first_outcome = classify(decision, first, authority_map, staffed).outcome
            final_outcome = classify(decision, final, authority_map, staffed).outcome
            seated.append(
                PersonBallot(
                    name, first, first_outcome, tuple(final), final_outcome, _movement(first_outcome, team_outcome)
                )
            )
        rounds.append(
            DecisionBallots(answer.decision, answer.stage, team.expected, answer.roles, team_outcome, tuple(seated))
        )
    if not rounds:
        return None
    totals: dict[str, list[int]] = {}
    for round_ in rounds:
        for person in round_.people:
            counts = totals.setdefault(person.name, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += person.first_outcome == "aligned"
            counts[2] += person.moved == "towards"
            counts[3] += person.moved == "away"
    people = sorted(
        (PersonDrift(name, *counts) for name, counts in totals.items()), key=lambda p: (-p.drift_share, p.name)
    )
    return PrivateBallots(tuple(rounds), tuple(people))
