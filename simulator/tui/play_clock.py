"""The clocks of a play screen: time played and the decision's countdown, with pauses taken out.

Plain Python (no widgets), so the play screen, its dialogs and a host screen for
remote seats can share one clock and agree on how much time is left.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def mmss(seconds: float, *, up: bool = False) -> str:
    """Minutes and seconds ("05:07"); `up` rounds part seconds up, so a countdown shows 00:01 until it runs out."""
    whole = max(0, math.ceil(seconds) if up else int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class PlayClock:
    """Monotonic time that stops while anything holds it (the room's pause, a note being typed)."""

    def __init__(self, source: Callable[[], float], played_before: float = 0.0) -> None:
        self._source = source  # monotonic seconds; tests pass a fake clock
        self._holds: set[str] = set()
        self._held_at: float | None = None
        self._held_for = 0.0
        self._started_at = source()
        self.played_before = played_before  # seconds played before a resume
        self._asked_at = self._started_at
        self.limit_s: int | None = None  # the decision's time limit, added time included

    # --- holding -----------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return bool(self._holds)

    def is_held_by(self, reason: str) -> bool:
        return reason in self._holds

    def hold(self, reason: str) -> None:
        if not self._holds:
            self._held_at = self._source()
        self._holds.add(reason)

    def release(self, reason: str) -> None:
        if reason not in self._holds:
            return
        self._holds.discard(reason)
        if not self._holds and self._held_at is not None:
            self._held_for += self._source() - self._held_at
            self._held_at = None

    def toggle(self, reason: str) -> bool:
        """Hold or release for `reason`; True when now held by it."""
        if reason in self._holds:
            self.release(reason)
            return False
        self.hold(reason)
        return True

    # --- reading -----------------------------------------------------------------

    def now(self) -> float:
        """Monotonic seconds with every held stretch taken out."""
        now = self._held_at if self._held_at is not None else self._source()
        return now - self._held_for

    def played(self) -> float:
        """Seconds of play in this session, earlier runs of a resumed session included."""
        return self.played_before + self.now() - self._started_at

    # --- the decision's countdown ---------------------------------------------------

    def ask(self, limit_s: int | None) -> None:
        """A decision is on screen from now; `limit_s` None means no countdown."""
        self._asked_at = self.now()
        self.limit_s = limit_s

    def elapsed(self) -> float:
        return self.now() - self._asked_at

    def remaining(self) -> float | None:
        return None if self.limit_s is None else self.limit_s - self.elapsed()
