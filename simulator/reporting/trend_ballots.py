"""Private ballots across sessions: first answers against the map, convergence after the reveal, who drifts.

Read from report.json's `private_ballots` section (revision 1.1, docs/report-json.md),
or from the same section built when a session is scored again from its journal.
Sessions without private ballots are not counted here; the trend says how many had them.

Per session: of the private first answers, how many matched the map; of the
decisions with ballots, how often the team's answer after the reveal did; how
many first answers were already the team's answer (the rest converged after
the reveal); and how often the team moved towards or away from the map
relative to a person's first answer. Per person, across sessions: how often
their first answer missed the map (their drift share), highest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.frozen import frozen

TOP_BALLOT_PEOPLE = 20


@frozen
class Tally:
    """Counts of private ballots in one session or summed over several."""

    sessions: int
    decisions: int  # decisions with ballots
    team_aligned: int  # of those, where the team's answer matched the map
    ballots: int  # first answers (one per person and decision)
    first_aligned: int  # first answers that matched the map
    first_agreed: int  # first answers that were already the team's answer
    towards: int  # the team settled on the map's owner where the person first did not
    away: int  # the person first named the map's owner and the team did not

    @property
    def first_share(self) -> float:
        return self.first_aligned / self.ballots if self.ballots else 0.0

    @property
    def team_share(self) -> float:
        return self.team_aligned / self.decisions if self.decisions else 0.0

    @property
    def agreed_share(self) -> float:
        return self.first_agreed / self.ballots if self.ballots else 0.0


NO_TALLY = Tally(0, 0, 0, 0, 0, 0, 0, 0)


def add(a: Tally, b: Tally) -> Tally:
    return Tally(
        a.sessions + b.sessions,
        a.decisions + b.decisions,
        a.team_aligned + b.team_aligned,
        a.ballots + b.ballots,
        a.first_aligned + b.first_aligned,
        a.first_agreed + b.first_agreed,
        a.towards + b.towards,
        a.away + b.away,
    )


@frozen
class PersonTally:
    """One person's private ballots in one session."""

    name: str
    ballots: int
    first_aligned: int
    towards: int
    away: int


@frozen
class SessionBallots:
    tally: Tally
    people: tuple[PersonTally, ...]  # in order of first appearance


def ballots_from_report(section: Any) -> SessionBallots | None:
    """A session's ballots from report.json's `private_ballots`; None when it is null or absent (revision 1.0).

    Raises KeyError, TypeError or ValueError when the section does not have its documented shape.
    """
    if section is None:
        return None
    if not isinstance(section, Mapping):
        raise TypeError(f"private_ballots is a {type(section).__name__}, not an object")
    decisions = section["decisions"]
    if not isinstance(decisions, list):
        raise TypeError("private_ballots.decisions is not a list")
    team_aligned = ballots = first_aligned = first_agreed = towards = away = 0
    people: dict[str, list[int]] = {}
    for decision in decisions:
        team = decision["team"]
        team_roles = {str(r) for r in team["roles"]}
        team_aligned += team["outcome"] == "aligned"
        for person in decision["people"]:
            first = person["first"]
            aligned = first["outcome"] == "aligned"
            moved = person["moved"]
            ballots += 1
            first_aligned += aligned
            first_agreed += {str(r) for r in first["roles"]} == team_roles
            towards += moved == "towards"
            away += moved == "away"
            counts = people.setdefault(str(person["name"]), [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += aligned
            counts[2] += moved == "towards"
            counts[3] += moved == "away"
    if not ballots:
        return None
    tally = Tally(1, len(decisions), team_aligned, ballots, first_aligned, first_agreed, towards, away)
    return SessionBallots(tally, tuple(PersonTally(name, *counts) for name, counts in people.items()))


@frozen
class BallotPeriod:
    label: str
    tally: Tally


@frozen
class BallotPerson:
    """One person's private first answers across the sessions that had ballots."""

    name: str
    sessions: int
    ballots: int
    first_aligned: int
    towards: int
    away: int
    first_drift: float  # drift share in their first session with ballots
    latest_drift: float  # ... and in their latest

    @property
    def not_aligned(self) -> int:
        return self.ballots - self.first_aligned

    @property
    def drift_share(self) -> float:
        return self.not_aligned / self.ballots if self.ballots else 0.0


@frozen
class TrendBallots:
    sessions: int  # sessions read, with or without ballots
    total: Tally  # over every session with ballots
    periods: tuple[BallotPeriod, ...]  # the trend's periods that hold a session with ballots, in order
    people: tuple[BallotPerson, ...]  # whose first answers drift most, first; the first TOP_BALLOT_PEOPLE
    people_total: int


def _drift(person: PersonTally) -> float:
    return (person.ballots - person.first_aligned) / person.ballots if person.ballots else 0.0


def _people(sessions: Sequence[SessionBallots]) -> list[BallotPerson]:
    seen: dict[str, list[PersonTally]] = {}
    for session in sessions:
        for person in session.people:
            seen.setdefault(person.name, []).append(person)
    people = [
        BallotPerson(
            name=name,
            sessions=len(hits),
            ballots=sum(h.ballots for h in hits),
            first_aligned=sum(h.first_aligned for h in hits),
            towards=sum(h.towards for h in hits),
            away=sum(h.away for h in hits),
            first_drift=_drift(hits[0]),
            latest_drift=_drift(hits[-1]),
        )
        for name, hits in seen.items()
    ]
    people.sort(key=lambda p: (-p.drift_share, -p.ballots, p.name))
    return people


def trend_ballots(groups: Sequence[tuple[str, Sequence[SessionBallots | None]]]) -> TrendBallots:
    """The ballots of every session, grouped as the trend groups them (label, sessions oldest first)."""
    periods = []
    with_ballots: list[SessionBallots] = []
    read = 0
    for label, sessions in groups:
        read += len(sessions)
        kept = [s for s in sessions if s is not None]
        if kept:
            tally = NO_TALLY
            for session in kept:
                tally = add(tally, session.tally)
            periods.append(BallotPeriod(label, tally))
            with_ballots += kept
    total = NO_TALLY
    for period in periods:
        total = add(total, period.tally)
    people = _people(with_ballots)
    return TrendBallots(read, total, tuple(periods), tuple(people[:TOP_BALLOT_PEOPLE]), len(people))
