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
from simulator.safetext import strip_controls
from simulator.sessions import Session, SessionLock, create_session


@dataclass
class PlayableSession:
    """An engine writing to its session folder's journal, holding the folder's one-writer lock.

    Closing it closes the journal and releases the lock.
    """

    engine: Engine
    folder: Path
    header: Header
    warnings: list[str] = field(default_factory=list)
    lock: SessionLock | None = None

    @property
    def mode(self) -> Mode:
        return self.header.mode

    def close(self) -> None:
        if self.engine.journal is not None:
            self.engine.journal.close()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> PlayableSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def whole_team(authority_map: AuthorityMap, name: str = "Team") -> Roster:
    """One participant holding every role: solo play, or a run without a roster.

    The name may have been typed (`--player`, the setup screen): it is kept on one line, without controls.
    Built without the schema's validation (which would load pydantic for nothing): the role ids
    come from a validated map, and the name is checked here, which is all the schema would check.
    """
    name = strip_controls(name, multiline=False).strip() or "Player"
    return Roster(participants=[Participant(name=name, roles=authority_map.role_ids)])


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
    return PlayableSession(engine, new.folder, new.header, lock=new.lock)


def reopen_session(session: Session, accept_tampered: bool = False) -> PlayableSession:
    """Replay a session's journal into a fresh engine that goes on writing to the same journal.

    Takes the session's lock first (SessionBusy when another process plays it), then
    reads the journal again under the lock: what another writer added since
    `session` was loaded is replayed too, never written twice.
    """
    folder = session.folder
    lock = SessionLock.acquire(folder)
    journal: Journal | None = None
    try:
        journal = Journal.reopen(session.journal_path, accept_tampered)
        contents = journal.contents
        assert contents is not None
        engine = Engine.restore(
            session.scenario,
            session.authority_map,
            session.roster,
            contents.header.seed,
            contents.events,
            journal=journal,
        )
    except BaseException:
        if journal is not None:
            journal.close()
        lock.release()
        raise
    return PlayableSession(engine, folder, contents.header, list(session.warnings), lock)
