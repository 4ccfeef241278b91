"""What the briefing shows, and how much of it is known before the session exists.

The briefing paints first from the validated-content cache (or, on a miss, the raw YAML):
title, summary, map, length. Validation, the session folder and the generated names follow
in a worker; until they arrive a `{{ name }}` in the text shows as an ellipsis. Nothing here
imports pydantic, Faker or Textual, so the first screen does not wait for them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE, NotFound, resolve_map, resolve_scenario
from simulator.frozen import frozen
from simulator.loading.cache import CachedKind, cached_data, read_source
from simulator.safetext import strip_controls

if TYPE_CHECKING:
    from simulator.play import PlayableSession
    from simulator.tui.options import LaunchOptions

PENDING_NAME = "…"
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


@frozen
class BriefingFacts:
    title: str
    summary: str
    map_title: str
    mode: str
    seed: int
    duration_minutes: int | None = None
    decisions: int | None = None
    participants: tuple[tuple[str, str], ...] = ()  # facilitated: (name, role names)
    ready: bool = False  # names generated, files validated, session folder created


def facts_of_session(session: PlayableSession) -> BriefingFacts:
    engine = session.engine
    scenario = engine.scenario
    names = {r.id: r.name for r in engine.authority_map.roles}
    participants: tuple[tuple[str, str], ...] = ()
    if session.mode == "facilitated":
        participants = tuple(
            (person.name, ", ".join(names.get(r, r) for r in person.roles) or "no role")
            for person in engine.roster.participants
        )
    return BriefingFacts(
        title=engine.title,
        summary=engine.summary.strip(),
        map_title=engine.authority_map.title,
        mode=session.mode,
        seed=engine.seed,
        duration_minutes=scenario.duration_minutes,
        decisions=len(scenario.decisions),
        participants=participants,
        ready=True,
    )


def new_seed() -> int:
    """A random seed for a session that was given none (what `simulator.play.random_seed` returns)."""
    return random.SystemRandom().randrange(1, 1_000_000)


def preview_facts(options: LaunchOptions, seed: int) -> BriefingFacts | None:
    """The briefing before validation, or None when the files cannot even be found (report that at once)."""
    if options.scenario is None or options.mode is None:
        return None
    try:
        scenario_path = resolve_scenario(options.scenario)
        scenario = _unchecked("scenario", scenario_path)
        audience = scenario.get("audience")
        if options.map is None and audience == "any":
            return None  # written for any organisation: the app asks which map first
        map_path = resolve_map(options.map or DEFAULT_MAP_FOR_AUDIENCE.get(str(audience), "msp"))
    except (NotFound, OSError):
        return None
    authority_map = _unchecked("map", map_path)
    participants: tuple[tuple[str, str], ...] = ()
    if options.mode == "facilitated" and options.roster is not None:
        participants = _participants(_unchecked("roster", options.roster), authority_map)
    steps = scenario.get("steps")
    decisions = None
    if isinstance(steps, list):
        decisions = sum(
            len(step["decisions"])
            for step in steps
            if isinstance(step, dict) and isinstance(step.get("decisions"), list)
        )
    duration = scenario.get("duration_minutes", 60)
    return BriefingFacts(
        title=_text(scenario.get("title")) or scenario_path.stem,
        summary=_text(scenario.get("summary")).strip(),
        map_title=_text(authority_map.get("title")) or map_path.stem,
        mode=options.mode,
        seed=seed,
        duration_minutes=duration if type(duration) is int else None,
        decisions=decisions,
        participants=participants,
    )


def _unchecked(kind: CachedKind, path: Path) -> dict[str, Any]:
    """A file's data, validated earlier (cache) or not at all (raw YAML); {} when unreadable.

    Only shown, never played: the worker validates before the session starts.
    """
    source = read_source(path)
    if source is None:
        return {}
    data = cached_data(kind, source)
    if data is not None:
        return data
    from simulator.loading.findings import LoadError
    from simulator.loading.yamlsource import parse

    try:
        document = parse(str(path), source.raw.decode("utf-8-sig"))
    except (LoadError, UnicodeDecodeError):
        return {}
    return document.data if isinstance(document.data, dict) else {}


def _participants(roster: dict[str, Any], authority_map: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    roles = authority_map.get("roles")
    names = {
        str(role.get("id")): _text(role.get("name"))
        for role in (roles if isinstance(roles, list) else [])
        if isinstance(role, dict)
    }
    people = roster.get("participants")
    rows = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        held = person.get("roles")
        role_ids = [strip_controls(str(r), multiline=False) for r in held] if isinstance(held, list) else []
        rows.append((_text(person.get("name")), ", ".join(names.get(r, r) for r in role_ids) or "no role"))
    return tuple(rows)


def _text(value: object) -> str:
    """A string from an unvalidated file, made safe to show; placeholders wait for their names."""
    if not isinstance(value, str):
        return ""
    return _PLACEHOLDER.sub(PENDING_NAME, strip_controls(value))
