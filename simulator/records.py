"""What a session records: the journal header and the answers scoring reads.

The journal (`simulator.journal`) stores these as JSON objects, one per line;
scoring (`simulator.scoring`) reads them back. Both sides use these types, so
the format is written down once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar, get_args

JOURNAL_FORMAT = "ttx-journal/1"

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
    "session_ended",
]


@dataclass(frozen=True)
class SourceFile:
    """A scenario or map as it was when the session started."""

    id: str
    path: str  # where it was loaded from
    sha256: str  # of the file's bytes
    copy: str  # file name of the copy kept in the session folder


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
            latency_ms=_typed(data, "latency_ms", int),
            timed_out=_typed(data, "timed_out", bool, False),
            clock=_typed(data, "clock", str, ""),
            ballots={str(name): tuple(_strings(ballots, name)) for name in ballots},
            attempt=_typed(data, "attempt", int, 1),
        )


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


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = _typed(data, key, list)
    if not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key}: expected a list of strings")
    return value


def _source(data: dict[str, Any]) -> SourceFile:
    return SourceFile(*(_typed(data, key, str) for key in ("id", "path", "sha256", "copy")))
