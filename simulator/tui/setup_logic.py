"""Turning the home and setup choices into a session: no Textual here, so it is tested directly."""

from __future__ import annotations

import getpass
from dataclasses import replace
from pathlib import Path

import yaml

from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE, NotFound, resolve_map, resolve_scenario
from simulator.frozen import frozen
from simulator.loading import LoadError
from simulator.loading.cache import load_map_cached, load_roster_cached, load_scenario_cached
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.play import PlayableSession, random_seed, start_session, whole_team
from simulator.safetext import strip_controls
from simulator.sessions import write_atomically
from simulator.tui.options import LaunchOptions, PlayMode


class SetupError(Exception):
    """A choice that cannot be played: a missing or invalid file, an empty roster."""


@frozen
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
    more = error.total - 5
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


def clean_name(name: str) -> str:
    """A name as it will be kept: on one line, without control characters or surrounding spaces."""
    return strip_controls(name, multiline=False).strip()


def find_participant(roster: Roster | None, name: str) -> Participant | None:
    """The person called `name` (case and surrounding spaces ignored), or None."""
    wanted = clean_name(name).casefold()
    if not wanted:
        return None
    return next((p for p in (roster.participants if roster else []) if p.name.casefold() == wanted), None)


def add_participant(roster: Roster | None, name: str, roles: list[str]) -> Roster:
    """`roster` with `name` holding `roles`: a new person goes last, a known one keeps their place."""
    name = clean_name(name)
    if not name:
        raise SetupError("type the participant's name first")
    if not roles:
        raise SetupError(f"{name} holds no role: tick at least one role (space) before adding them")
    people = list(roster.participants) if roster else []
    known = find_participant(roster, name)
    person = Participant(name=name, roles=roles)
    if known is None:
        return Roster(participants=[*people, person])
    return Roster(participants=[person if p is known else p for p in people])


def remove_participant(roster: Roster | None, name: str) -> Roster | None:
    """`roster` without `name`; raises SetupError naming who is in the room when nobody is called that."""
    known = find_participant(roster, name)
    if known is None:
        present = ", ".join(p.name for p in roster.participants) if roster else ""
        shown = clean_name(name) or "(no name)"
        raise SetupError(
            f"nobody called '{shown}' is in the room" + (f" (in the room: {present})" if present else " (it is empty)")
        )
    assert roster is not None
    people = [p for p in roster.participants if p is not known]
    return Roster(participants=people) if people else None


def people_without_roles(roster: Roster | None) -> list[str]:
    """Names of people who hold no role (possible in a roster file): they could never be asked anything."""
    return [p.name for p in roster.participants if not p.roles] if roster else []


def roster_yaml(roster: Roster, authority_map: AuthorityMap) -> str:
    """A roster file in the format `--roster` reads (DESIGN §3.3), names kept on one clean line each."""
    header = (
        f"# Roster for the map '{strip_controls(authority_map.id, multiline=False)}', written by ttx.\n"
        "# Play with it: ttx play SCENARIO --mode facilitated --roster THIS_FILE\n"
    )
    document = {
        "participants": [
            {"name": clean_name(p.name), "roles": [strip_controls(r, multiline=False) for r in p.roles]}
            for p in roster.participants
        ]
    }
    body: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    return header + body


def save_roster(path: Path, roster: Roster | None, authority_map: AuthorityMap, *, replace: bool = False) -> Path:
    """Write `roster` to `path`; an existing file is replaced only when `replace` says the user agreed.

    Raises FileExistsError when `path` exists and `replace` is false, SetupError when there is nothing to
    save or the file cannot be written (with the reason).
    """
    if roster is None or not roster.participants:
        raise SetupError("nobody is in the room yet: add a participant before saving the roster")
    path = path.expanduser()
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    if path.is_dir():
        raise SetupError(f"{path} is a folder: give a file name, e.g. {path / 'roster.yaml'}")
    if (path.exists() or path.is_symlink()) and not replace:
        raise FileExistsError(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, roster_yaml(roster, authority_map))
    except OSError as error:
        raise SetupError(f"cannot write {path}: {error.strerror or error}") from None
    return path


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
