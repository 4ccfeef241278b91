"""Thresholds the scoring reads, in one place: settings, not literals scattered in code."""

from __future__ import annotations

from typing import Literal

from simulator.frozen import frozen

# The HSEEP performance ratings a stage (and the whole exercise) receives.
Rating = Literal["P", "S", "M", "U"]
RATINGS: tuple[Rating, ...] = ("P", "S", "M", "U")
RATING_WORDS: dict[Rating, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
NOT_PLAYED = "not played"
MAP_GAPS_ONLY = "not scored: map gaps only"  # answered, but the map assigns none of it


@frozen
class ScoringSettings:
    """Where the ratings and flags change; every threshold the scoring uses lives here."""

    performed: float = 90.0  # clarity at or above: P
    some_challenges: float = 70.0  # at or above: S
    major_challenges: float = 40.0  # at or above: M; below: U
    many_roles: int = 3  # a person holding this many roles or more is a cognitive-load risk
    consensus_threshold: float = 0.75  # a share of agreeing ballots below this is ambiguous ownership

    def __post_init__(self) -> None:
        if not 100.0 >= self.performed >= self.some_challenges >= self.major_challenges >= 0.0:
            raise ValueError(
                "rating thresholds must satisfy 100 >= performed >= some_challenges >= major_challenges >= 0;"
                f" got {self.performed}, {self.some_challenges}, {self.major_challenges}"
            )
        if self.many_roles < 2:
            raise ValueError(f"many_roles must be at least 2; got {self.many_roles}")
        if not 0.0 < self.consensus_threshold <= 1.0:
            raise ValueError(f"consensus_threshold must be in (0, 1]; got {self.consensus_threshold}")

    def rate(self, clarity: float, critical_gap: bool) -> Rating:
        """The HSEEP letter for a clarity; a gap on a critical decision is always U."""
        if critical_gap or clarity < self.major_challenges:
            return "U"
        if clarity >= self.performed:
            return "P"
        if clarity >= self.some_challenges:
            return "S"
        return "M"


DEFAULT_SETTINGS = ScoringSettings()
