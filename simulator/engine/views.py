"""What the engine shows: plain, rendered values a UI can display without the models."""

from __future__ import annotations

from dataclasses import field
from typing import Literal

from simulator.frozen import frozen
from simulator.model import Decision
from simulator.outcome import Classification
from simulator.records import AnswerRecord

ItemKind = Literal["step", "consequence"]


@frozen
class ShownArtifact:
    kind: str
    title: str
    body: str


@frozen
class ShownItem:
    """One piece of story on screen: a step's inject, or a consequence's inject (a distinct kind)."""

    kind: ItemKind
    id: str  # step id or consequence id
    stage: str
    clock: str
    title: str
    text: str
    artifacts: tuple[ShownArtifact, ...] = ()
    attempt: int = 1  # for a step shown again after a jump back


@frozen
class PendingDecision:
    """The question the room is asked right now."""

    decision: Decision
    ask: str  # rendered
    step: str  # "Decision N of M" is Engine.progress, counted over the exercise
    attempt: int
    extra_time_s: int = 0  # added by the facilitator to a running countdown

    @property
    def time_limit_s(self) -> int | None:
        """The decision's time limit with any time the facilitator added; None when it has none."""
        limit = self.decision.time_limit_s
        return None if limit is None else limit + self.extra_time_s


@frozen
class Choice:
    """A role the team may name, with its party and who in the roster holds it."""

    role: str
    name: str
    party: str
    party_name: str
    holders: tuple[str, ...]
    deputy: str | None = None

    @property
    def staffed(self) -> bool:
        return bool(self.holders)


@frozen
class FiredConsequence:
    id: str
    outcome: str
    item: ShownItem | None  # None when the consequence has no text to show
    clock_advance: int  # minutes
    goto: str | None


@frozen
class AnswerResult:
    record: AnswerRecord
    classification: Classification
    fired: tuple[FiredConsequence, ...] = ()


@frozen
class Note:
    author: str
    text: str
    step: str | None
    decision: str | None
    clock: str
    at: str = field(default="", compare=False)
