"""Open a playable session: new from files, or reopened from its folder. Shared by the TUI and the CLI."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.engine import Engine
from simulator.journal import Journal
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.records import Header, Mode
from simulator.sessions import Session, create_session


@dataclass
class PlayableSession:
    """An engine writing to its session folder's journal; closing it closes the journal."""

    engine: Engine
    folder: Path
    header: Header
    warnings: list[str] = field(default_factory=list)

    @property
    def mode(self) -> Mode:
        return self.header.mode

    def close(self) -> None:
        if self.engine.journal is not None:
            self.engine.journal.close()

    def __enter__(self) -> PlayableSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def whole_team(authority_map: AuthorityMap, name: str = "Team") -> Roster:
    """One participant holding every role: solo play, or a run without a roster.

    Built without pydantic's validation (whose first use costs more than a whole headless run's
    answers): the role ids come from a validated map, and the name is checked here, which is all
    the Roster model would check.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("a participant needs a name")
    return Roster.model_construct(participants=[Participant.model_construct(name=name, roles=authority_map.role_ids)])


def answering_as(roster: Roster) -> str:
    """Who an answer is recorded as given by: the one player, or the team as a whole."""
    return roster.participants[0].name if len(roster.participants) == 1 else "team"


def random_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def start_session(
    *,
    workspace: Path,
    scenario_path: Path,
    scenario: Scenario,
    map_path: Path,
    authority_map: AuthorityMap,
    roster: Roster,
    seed: int,
    mode: Mode,
    now: datetime | None = None,
) -> PlayableSession:
    """Create the session folder and journal, and an engine writing to it (still in the briefing)."""
    new = create_session(workspace, scenario_path, scenario, map_path, authority_map, roster, seed, mode, now)
    engine = Engine(scenario, authority_map, roster, seed, journal=new.journal)
    return PlayableSession(engine, new.folder, new.header)


def reopen_session(session: Session) -> PlayableSession:
    """Replay a session's journal into a fresh engine that goes on writing to the same journal."""
    folder = session.folder
    journal = Journal.reopen(session.journal_path)
    header = session.header
    engine = Engine.restore(
        session.scenario,
        session.authority_map,
        session.roster,
        header.seed,
        session.contents.events,
        journal=journal,
    )
    return PlayableSession(engine, folder, header, list(session.warnings))
