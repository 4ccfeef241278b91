"""Each person's private ballots as every report lists them: the AAR's section and the terminal summary."""

from __future__ import annotations

from simulator.frozen import frozen
from simulator.scoring.private_ballots import PrivateBallots


@frozen
class BallotPersonItem:
    name: str
    ballots: int
    first_aligned: int
    not_aligned: str  # "1 (50%)"
    moved_towards: int
    moved_away: int


def ballot_people(result: PrivateBallots) -> tuple[BallotPersonItem, ...]:
    """Whose first answers drift most, first, as the scoring ranked them."""
    return tuple(
        BallotPersonItem(
            p.name, p.ballots, p.first_aligned, f"{p.not_aligned} ({p.drift_share:.0%})", p.moved_towards, p.moved_away
        )
        for p in result.people
    )
