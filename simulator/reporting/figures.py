"""Figures every report shows the same way: clarity cut to a fixed number of places, and the rating thresholds.

Clarity is cut, never rounded: 89.96 must not read "90.0" beside an S. The
thresholds come from the session's `ScoringSettings`, never from literals here.
"""

from __future__ import annotations

import math

from simulator.scoring import Rating
from simulator.scoring.settings import ScoringSettings

NO_VALUE = "—"


def clarity_value(clarity: float | None, places: int = 2) -> float | None:
    """Clarity cut (not rounded) to `places` decimals; None when unscored."""
    if clarity is None:
        return None
    scale = 10.0**places
    return math.floor(clarity * scale + 1e-9) / scale


def clarity_text(clarity: float | None) -> str:
    """Clarity as shown to a reader: one decimal, cut rather than rounded; "—" when unscored."""
    value = clarity_value(clarity, 1)
    return NO_VALUE if value is None else f"{value:.1f}"


def rating_bounds(settings: ScoringSettings) -> tuple[tuple[float, Rating], ...]:
    """(lowest clarity, letter) for P, S and M, highest first; below the last is U."""
    return ((settings.performed, "P"), (settings.some_challenges, "S"), (settings.major_challenges, "M"))


def thresholds_text(settings: ScoringSettings) -> str:
    """The rating thresholds in force, as one sentence fragment."""
    return (
        f"P ≥ {settings.performed:g}, S ≥ {settings.some_challenges:g}, M ≥ {settings.major_challenges:g},"
        " U below that or on a gap in a critical decision"
    )
