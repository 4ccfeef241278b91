"""What the command line asks the TUI to open."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from simulator.frozen import frozen

# simulator.sessions.DEFAULT_WORKSPACE (a test keeps them equal): importing sessions here would
# load the journal, the loaders and pydantic before the briefing is painted.
DEFAULT_WORKSPACE = Path("reports")

PlayMode = Literal["facilitated", "solo", "assessment"]
MODE_LABELS: dict[str, str] = {
    "facilitated": "Facilitated (team)",
    "solo": "Solo practice",
    "assessment": "Solo assessment",
}


@frozen
class MapEditRequest:
    """`ttx map edit`: open the map workshop instead of an exercise."""

    source: Path | None  # a map file to open; None for a new map
    new_name: str | None  # NAME of `ttx map edit new NAME`
    target: Path | None  # where saving writes; None: ask
    force: bool = False  # replace an existing target without asking


@dataclass
class LaunchOptions:
    scenario: str | None = None  # a path or a bundled scenario id
    map: str | None = None  # a path or a bundled map id; None: from the scenario's audience
    mode: PlayMode | None = None
    roster: Path | None = None
    player: str | None = None
    seed: int | None = None
    workspace: Path = DEFAULT_WORKSPACE
    resume: Path | None = None  # a session folder to reopen
    offer_resume: bool = True  # on the home screen, offer an unfinished session
    now: datetime | None = None  # fixed start time, for reproducible screens in tests
    clock: Callable[[], float] = time.monotonic  # for countdowns and latency; tests pass a fake one
    map_edit: MapEditRequest | None = None  # open the map workshop (`ttx map edit`)

    @property
    def ready_to_play(self) -> bool:
        """Everything given on the command line: skip home and setup, go straight to the briefing."""
        if self.scenario is None or self.mode is None:
            return False
        return self.roster is not None if self.mode == "facilitated" else self.player is not None
