"""Turning the home and setup choices into a session: no Textual here, so it is tested directly."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, replace
from pathlib import Path

from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE, NotFound, resolve_map, resolve_scenario
from simulator.loading import LoadError
from simulator.loading.cache import load_map_cached, load_roster_cached, load_scenario_cached
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.play import PlayableSession, random_seed, start_session, whole_team
from simulator.tui.options import LaunchOptions, PlayMode


class SetupError(Exception):
    """A choice that cannot be played: a missing or invalid file, an empty roster."""


@dataclass(frozen=True)
class SetupPlan:
    scenario_path: Path
    scenario: Scenario
    map_path: Path
    authority_map: AuthorityMap
    mode: PlayMode = "solo"
    seed: int = 1
    roster: Roster | None = None  # facilitated: the people in the room
    player: str = ""  # solo and assessment: the one player

    def with_changes(self, **changes: object) -> SetupPlan:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def effective_roster(self) -> Roster:
        if self.mode == "facilitated":
            if self.roster is None or not self.roster.participants:
                raise SetupError("add at least one participant")
            return self.roster
        return whole_team(self.authority_map, self.player or default_player())


def default_player() -> str:
    try:
        return getpass.getuser().capitalize() or "Player"
    except (KeyError, OSError):
        return "Player"


def _findings(error: LoadError) -> str:
    shown = "\n".join(str(f) for f in error.findings[:5])
    more = len(error.findings) - 5
    return shown + (f"\n… and {more} more (ttx validate)" if more > 0 else "")


def load_plan(scenario_ref: str, map_ref: str | None, mode: PlayMode, seed: int | None) -> SetupPlan:
    try:
        scenario_path = resolve_scenario(scenario_ref)
        scenario = load_scenario_cached(scenario_path)
        map_path = resolve_map(map_ref or DEFAULT_MAP_FOR_AUDIENCE[scenario.audience])
        authority_map = load_map_cached(map_path)
    except NotFound as error:
        raise SetupError(str(error)) from None
    except LoadError as error:
        raise SetupError(_findings(error)) from None
    return SetupPlan(
        scenario_path, scenario, map_path, authority_map, mode, seed if seed is not None else random_seed()
    )


def read_roster(path: Path, authority_map: AuthorityMap) -> Roster:
    try:
        return load_roster_cached(path, authority_map)
    except LoadError as error:
        raise SetupError(_findings(error)) from None


def plan_from_options(options: LaunchOptions) -> SetupPlan:
    assert options.scenario is not None
    plan = load_plan(options.scenario, options.map, options.mode or "solo", options.seed)
    roster = read_roster(options.roster, plan.authority_map) if options.roster else None
    return plan.with_changes(roster=roster, player=options.player or "")


def add_participant(roster: Roster | None, name: str, roles: list[str]) -> Roster:
    name = name.strip()
    if not name:
        raise SetupError("type the participant's name first")
    people = [p for p in (roster.participants if roster else []) if p.name != name]
    return Roster(participants=[*people, Participant(name=name, roles=roles)])


def remove_participant(roster: Roster | None, name: str) -> Roster | None:
    people = [p for p in (roster.participants if roster else []) if p.name != name]
    return Roster(participants=people) if people else None


def unstaffed_roles(authority_map: AuthorityMap, roster: Roster | None) -> list[str]:
    staffed = roster.staffed if roster else frozenset()
    return [role.id for role in authority_map.roles if role.id not in staffed]


def start_from_plan(plan: SetupPlan, options: LaunchOptions) -> PlayableSession:
    return start_session(
        workspace=options.workspace,
        scenario_path=plan.scenario_path,
        scenario=plan.scenario,
        map_path=plan.map_path,
        authority_map=plan.authority_map,
        roster=plan.effective_roster,
        seed=plan.seed,
        mode=plan.mode,
        now=options.now,
    )
