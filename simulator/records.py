"""What a session records: the journal header and the answers scoring reads.

The journal (`simulator.journal`) stores these as JSON objects, one per line;
scoring (`simulator.scoring`) reads them back. Both sides use these types, so
the format is written down once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

JOURNAL_FORMAT = "ttx-journal/1"

Mode = Literal["facilitated", "solo", "assessment", "headless"]

EventKind = Literal[
    "stage_entered",
    "inject_shown",
    "decision_asked",
    "ballot_cast",
    "answer_recorded",
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
        data = {k: v for k, v in data.items() if k != "type"}
        return cls(
            scenario=SourceFile(**data.pop("scenario")),
            map=SourceFile(**data.pop("map")),
            **data,
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
        data = dict(data)
        data.pop("type", None)
        data.pop("at", None)
        data["roles"] = tuple(data["roles"])
        data["ballots"] = {k: tuple(v) for k, v in data.get("ballots", {}).items()}
        return cls(**data)
