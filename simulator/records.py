"""What a session records: the journal header and the answers scoring reads.

The journal (`simulator.journal`) stores these as JSON objects, one per line;
scoring (`simulator.scoring`) reads them back. Both sides use these types, so
the format is written down once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, field, replace
from typing import Any, Literal, TypeVar, get_args

from simulator.frozen import frozen

JOURNAL_FORMAT = "ttx-journal/2"  # every line after the header carries the hash of the line before it
UNCHAINED_FORMATS = ("ttx-journal/1",)  # older journals: still read, with a notice that nothing is chained
SCENARIO_COPY = "scenario.yaml"  # the only names a header's `copy` may hold: files inside the session folder
MAP_COPY = "map.yaml"
MAX_LATENCY_MS = 10**12  # ~31 years: anything longer is a damaged or edited line, not a slow answer
MAX_ATTEMPT = 10**6
MAX_PARTICIPANT_NAME_CHARS = 80  # a name is shown on one line of every screen and report
# More roles than this is not one person's seat but the whole team's; solo play is for that.
MAX_ROLES_HELD = 6

Mode = Literal["facilitated", "solo", "assessment", "headless"]

EventKind = Literal[
    "stage_entered",
    "inject_shown",
    "decision_asked",
    "ballot_cast",
    "answer_recorded",
    "answer_withdrawn",
    "time_extended",
    "consequence_fired",
    "note_added",
    "participant_joined",
    "session_ended",
]


@frozen
class SourceFile:
    """A scenario or map as it was when the session started."""

    id: str
    path: str  # where it was loaded from
    sha256: str  # of the file's bytes
    copy: str  # file name of the copy kept in the session folder


@frozen
class Header:
    scenario: SourceFile
    map: SourceFile
    seed: int
    roster: list[dict[str, Any]]  # [{"name": ..., "roles": [...]}]
    mode: Mode
    started_at: str  # ISO 8601, UTC
    format: str = JOURNAL_FORMAT

    def to_json(self) -> dict[str, Any]:
        return {"type": "header", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Header:
        """Raises ValueError when a field is missing or of the wrong type (a damaged or edited journal)."""
        roster = _typed(data, "roster", list)
        for person in roster:
            if not isinstance(person, dict) or not isinstance(person.get("name"), str):
                raise ValueError("roster: expected participants with a name")
            _strings(person, "roles")
        mode = _typed(data, "mode", str)
        if mode not in get_args(Mode):
            raise ValueError(f"mode: unknown mode {mode!r}")
        return cls(
            scenario=_source(_typed(data, "scenario", dict)),
            map=_source(_typed(data, "map", dict)),
            seed=_typed(data, "seed", int),
            roster=roster,
            mode=mode,  # type: ignore[arg-type]
            started_at=_typed(data, "started_at", str),
            format=_typed(data, "format", str),
        )

    def with_joined(self, events: Iterable[Mapping[str, Any]]) -> Header:
        """This header with everyone who joined during play added to its roster (see `joined_roster`)."""
        roster = joined_roster(self.roster, events)
        return self if len(roster) == len(self.roster) else replace(self, roster=roster)


@frozen
class AnswerRecord:
    """The team's final answer to one decision (the `answer_recorded` event)."""

    decision: str  # decision id
    step: str  # step id
    stage: str
    responsibility: str
    roles: tuple[str, ...]  # empty: nobody / not sure
    answered_by: str  # participant name, or "team"
    latency_ms: int
    timed_out: bool = False
    clock: str = ""  # in-scenario clock when answered
    ballots: dict[str, tuple[str, ...]] = field(default_factory=dict)  # participant -> roles
    attempt: int = 1  # >1 when a step is played again after a jump back

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["roles"] = list(self.roles)
        data["ballots"] = {k: list(v) for k, v in self.ballots.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerRecord:
        """Raises ValueError when a field is missing or of the wrong type (a damaged or edited journal)."""
        ballots = data.get("ballots", {})
        if not isinstance(ballots, dict):
            raise ValueError("ballots: expected a mapping of participant to roles")
        return cls(
            decision=_typed(data, "decision", str),
            step=_typed(data, "step", str),
            stage=_typed(data, "stage", str),
            responsibility=_typed(data, "responsibility", str),
            roles=tuple(_strings(data, "roles")),
            answered_by=_typed(data, "answered_by", str),
            latency_ms=_bounded(_typed(data, "latency_ms", int), "latency_ms", 0, MAX_LATENCY_MS),
            timed_out=_typed(data, "timed_out", bool, False),
            clock=_typed(data, "clock", str, ""),
            ballots={str(name): tuple(_strings(ballots, name)) for name in ballots},
            attempt=_bounded(_typed(data, "attempt", int, 1), "attempt", 1, MAX_ATTEMPT),
        )


@frozen
class BallotRecord:
    """One participant's pick for a decision (the `ballot_cast` event), as replay reads it."""

    step: str
    decision: str
    participant: str
    roles: tuple[str, ...]
    attempt: int = 1

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BallotRecord:
        """Raises ValueError when a field is missing or of the wrong type (a damaged or edited journal)."""
        return cls(
            step=_typed(data, "step", str),
            decision=_typed(data, "decision", str),
            participant=_typed(data, "participant", str),
            roles=tuple(_strings(data, "roles")),
            attempt=_bounded(_typed(data, "attempt", int, 1), "attempt", 1, MAX_ATTEMPT),
        )


@frozen
class JoinedParticipant:
    """Someone who took a seat during play with roles picked from the map (the `participant_joined` event)."""

    name: str
    roles: tuple[str, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JoinedParticipant:
        """Raises ValueError when a field is missing or of the wrong type (a damaged or edited journal)."""
        name = _typed(data, "name", str)
        if not name.strip() or len(name) > MAX_PARTICIPANT_NAME_CHARS:
            raise ValueError(f"name: expected 1 to {MAX_PARTICIPANT_NAME_CHARS} characters")
        roles = _strings(data, "roles")
        if not 1 <= len(roles) <= MAX_ROLES_HELD:
            raise ValueError(f"roles: expected 1 to {MAX_ROLES_HELD} role ids")
        return cls(name, tuple(roles))


def joined_roster(roster: list[dict[str, Any]], events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """`roster` (as the header holds it) and everyone who joined during play, in the order they joined.

    The header is written before anyone plays, so the people who took a seat later are only
    in the `participant_joined` events; reports and scoring read everyone who took part from here.
    A name already in the roster is not added twice.
    """
    known = {str(person.get("name", "")) for person in roster}
    joined = []
    for event in events:
        if event.get("type") != "participant_joined":
            continue
        person = JoinedParticipant.from_json(dict(event))
        if person.name not in known:
            known.add(person.name)
            joined.append({"name": person.name, "roles": list(person.roles)})
    return [*roster, *joined]


def attempt_of(event: Mapping[str, Any]) -> int:
    """An event's attempt; 1 when it has none, or holds anything but a number from 1 to MAX_ATTEMPT (a
    hand-edited journal read with --accept-tampered still gives a report, never a crash)."""
    value = event.get("attempt", 1)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ATTEMPT:
        return value
    return 1


T = TypeVar("T")
_MISSING: Any = object()


def _typed(data: dict[str, Any], key: str, kind: type[T], default: T = _MISSING) -> T:
    value = data.get(key, default)
    if value is _MISSING:
        raise ValueError(f"{key}: missing")
    # bool is an int in Python; a seed or a latency of `true` is still a damaged line
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{key}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _bounded(value: int, key: str, low: int, high: int) -> int:
    if not low <= value <= high:
        shown = str(value) if len(str(value)) <= 20 else f"a number of {len(str(value))} digits"
        raise ValueError(f"{key}: expected {low} to {high}, got {shown}")
    return value


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = _typed(data, key, list)
    if not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key}: expected a list of strings")
    return value


def _source(data: dict[str, Any]) -> SourceFile:
    return SourceFile(*(_typed(data, key, str) for key in ("id", "path", "sha256", "copy")))
