"""Open a playable session: new from files, or reopened from its folder. Shared by the TUI and the CLI."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.engine import Engine
from simulator.journal import Journal
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.records import Mode
from simulator.sessions import JOURNAL_NAME, create_session, load_session


@dataclass
class PlayableSession:
    engine: Engine
    folder: Path
    mode: Mode
    warnings: list[str] = field(default_factory=list)


def whole_team(authority_map: AuthorityMap, name: str = "Team") -> Roster:
    """One participant holding every role: solo play, or a run without a roster."""
    return Roster(participants=[Participant(name=name, roles=authority_map.role_ids)])


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
    return PlayableSession(engine, new.folder, mode)


def reopen_session(folder: Path) -> PlayableSession:
    """Replay a session's journal into a fresh engine that goes on writing to the same journal."""
    session = load_session(folder)
    journal = Journal.reopen(folder / JOURNAL_NAME)
    header = session.header
    engine = Engine.restore(
        session.scenario,
        session.authority_map,
        session.roster,
        header.seed,
        session.contents.events,
        journal=journal,
    )
    return PlayableSession(engine, folder, header.mode, list(session.warnings))
