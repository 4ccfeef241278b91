"""Open a hosted session: a new one from files, or one resumed from its folder, with its seat registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.model import AuthorityMap, Roster, Scenario
from simulator.play import PlayableSession, reopen_session, start_session
from simulator.seats.registry import SeatRegistry
from simulator.seats.room import Room
from simulator.sessions import Session


@dataclass
class HostedSession:
    playable: PlayableSession
    room: Room

    @property
    def folder(self) -> Path:
        return self.playable.folder

    def close(self) -> None:
        self.playable.close()


def host_new(
    *,
    workspace: Path,
    scenario_path: Path,
    scenario: Scenario,
    map_path: Path,
    authority_map: AuthorityMap,
    roster: Roster,
    seed: int,
    roster_only: bool = False,
) -> HostedSession:
    playable = start_session(
        workspace=workspace,
        scenario_path=scenario_path,
        scenario=scenario,
        map_path=map_path,
        authority_map=authority_map,
        roster=roster,
        seed=seed,
        mode="facilitated",
    )
    registry = SeatRegistry.for_roster(roster, playable.folder, roster_only=roster_only)
    return HostedSession(playable, Room(playable.engine, registry))


def host_resumed(session: Session) -> HostedSession:
    """Replay the journal (every acknowledged ballot is in it) and keep the room code and seat secrets."""
    playable = reopen_session(session)
    registry = SeatRegistry.load_or_create(playable.engine.roster, playable.folder)
    return HostedSession(playable, Room(playable.engine, registry))
