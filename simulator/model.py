"""The runtime model of the two file formats (authority map, scenario) and the roster.

Plain frozen records: a session plays these, whether they were just validated or rebuilt
from the validated-content cache, and building them never loads pydantic. What a file may
say is checked by the pydantic schema in `simulator.schema` (shape and types, field for
field the same names) and by `simulator.loading.checks` (cross-references); `model_validate`
runs the schema on plain data and returns these records.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, TypeVar

from simulator.catalogue import Stage
from simulator.datarecord import DataRecord
from simulator.frozen import frozen
from simulator.limits import (
    CLOCK_RE,
    DURATION_RE,
    MAX_CLOCK_DAY,
    MAX_DURATION_HOURS,
    MAX_ID_LENGTH,
    OUTCOMES,
    STEP_CLOCK_PATTERN,
    ArtifactKind,
    Audience,
    Expect,
    Outcome,
)

__all__ = [
    "CLOCK_RE",
    "DURATION_RE",
    "MAX_CLOCK_DAY",
    "MAX_DURATION_HOURS",
    "MAX_ID_LENGTH",
    "OUTCOMES",
    "STEP_CLOCK_PATTERN",
    "Artifact",
    "ArtifactKind",
    "Assignment",
    "Audience",
    "AuthorityMap",
    "ChoiceVariable",
    "Consequence",
    "Decision",
    "Expect",
    "ExtraResponsibility",
    "FakerVariable",
    "Outcome",
    "Participant",
    "Role",
    "Roster",
    "Scenario",
    "Step",
    "VariableSpec",
    "clock_minutes",
    "duration_minutes",
    "format_clock",
]

ModelT = TypeVar("ModelT", bound="_Model")


def clock_minutes(text: str) -> int:
    """Minutes since Day 1 00:00 for a clock "HH:MM" or "Day N HH:MM"."""
    match = CLOCK_RE.match(text)
    if match is None:
        raise ValueError(f"not a clock: {text!r}")
    day = int(match["day"] or 1)
    return (day - 1) * 1440 + int(match["h"]) * 60 + int(match["m"])


def format_clock(minutes: int) -> str:
    """Inverse of `clock_minutes`; the day is shown from Day 2 on."""
    day, rest = divmod(minutes, 1440)
    hhmm = f"{rest // 60:02d}:{rest % 60:02d}"
    return hhmm if day == 0 else f"Day {day + 1} {hhmm}"


def duration_minutes(text: str) -> int:
    match = DURATION_RE.match(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    return int(match["h"]) * 60 + int(match["m"])


@frozen(kw_only=True)
class _Model(DataRecord):
    """Base of the model's records: plain data, validated through the schema of the same name."""

    @classmethod
    def model_validate(cls: type[ModelT], data: Any) -> ModelT:
        """The record for `data` after the schema's full shape and type validation.

        Raises pydantic's ValidationError, whose locations `simulator.loading.shape` turns into findings.
        """
        from simulator import schema  # pydantic: loaded only when something is validated

        validated = getattr(schema, cls.__name__).model_validate(data)
        return cls.from_data(validated.model_dump())


# --- authority map -----------------------------------------------------------


@frozen(kw_only=True)
class Role(_Model):
    """A role of the map, held by one party."""

    id: str
    name: str
    party: str
    summary: str = ""
    deputy: str | None = None  # the role that acts when this one is unstaffed


@frozen(kw_only=True)
class Assignment(_Model):
    """Who is accountable for one responsibility (A), who does it (R), is consulted (C) and informed (I)."""

    A: str  # the one accountable role
    R: list[str] = field(default_factory=list)  # roles that do it
    C: list[str] = field(default_factory=list)  # roles consulted
    I: list[str] = field(default_factory=list)  # roles informed  # noqa: E741
    why: str  # one line: why this role owns it

    @property
    def responsible(self) -> frozenset[str]:
        """R ∪ {A}: everyone whose acting is right when the decision expects `responsible`."""
        return frozenset(self.R) | {self.A}


@frozen(kw_only=True)
class ExtraResponsibility(_Model):
    """A responsibility the map adds to the catalogue's 24."""

    id: str
    stage: Stage
    title: str
    description: str = ""


@frozen(kw_only=True)
class AuthorityMap(_Model):
    """An authority map: parties, roles, and who owns each responsibility."""

    id: str
    title: str
    description: str = ""
    parties: dict[str, str]
    roles: list[Role]
    assignments: dict[str, Assignment] = field(default_factory=dict)
    extra_responsibilities: list[ExtraResponsibility] = field(default_factory=list)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    @property
    def role_ids(self) -> list[str]:
        return [role.id for role in self.roles]


# --- roster --------------------------------------------------------------------


@frozen(kw_only=True)
class Participant(_Model):
    """A person at the table and the roles they hold."""

    name: str
    roles: list[str] = field(default_factory=list)


@frozen(kw_only=True)
class Roster(_Model):
    """Everyone at the table."""

    participants: list[Participant]

    def holders(self, role_id: str) -> list[str]:
        return [p.name for p in self.participants if role_id in p.roles]

    @property
    def staffed(self) -> frozenset[str]:
        return frozenset(r for p in self.participants for r in p.roles)


# --- scenario ------------------------------------------------------------------


@frozen(kw_only=True)
class Artifact(_Model):
    """A piece of evidence shown with an inject: a log, an alert, an email..."""

    kind: ArtifactKind
    title: str
    body: str


@frozen(kw_only=True)
class Decision(_Model):
    """A question the team answers by naming the role that acts."""

    id: str
    ask: str
    responsibility: str
    expect: Expect = "responsible"
    weight: int = 1
    critical: bool = False
    time_limit_s: int | None = None
    on: dict[Outcome, list[str]] = field(default_factory=dict)  # consequence ids fired per outcome kind


@frozen(kw_only=True)
class Step(_Model):
    """One moment of the scenario: an inject, its artifacts and the decisions it asks for."""

    id: str
    stage: Stage
    title: str = ""
    clock: str | None = None  # "HH:MM" or "Day N HH:MM"
    inject: str
    artifacts: list[Artifact] = field(default_factory=list)
    facilitator_notes: str = ""
    discussion: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@frozen(kw_only=True)
class Consequence(_Model):
    """What an outcome sets off: time passing, a new inject, a jump to another step."""

    title: str = ""
    clock_advance: str | None = None  # "HH:MM" to add
    inject: str = ""
    goto: str | None = None


@frozen(kw_only=True)
class FakerVariable(_Model):
    """A generated value: a Faker provider's output between a prefix and a suffix."""

    faker: str
    prefix: str = ""
    suffix: str = ""


@frozen(kw_only=True)
class ChoiceVariable(_Model):
    """A value picked from a list."""

    choice: list[str]


# A bare provider name, {faker: provider, prefix, suffix}, or {choice: [...]}.
VariableSpec = str | FakerVariable | ChoiceVariable


@frozen(kw_only=True)
class Scenario(_Model):
    """A scenario: its steps in order, their decisions, and the consequences of the answers."""

    id: str
    title: str
    summary: str = ""
    audience: Audience = "any"
    duration_minutes: int = 60
    variables: dict[str, VariableSpec] = field(default_factory=dict)
    steps: list[Step]
    consequences: dict[str, Consequence] = field(default_factory=dict)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def decisions(self) -> list[Decision]:
        return [d for step in self.steps for d in step.decisions]

    @property
    def stages(self) -> list[Stage]:
        seen: list[Stage] = []
        for step in self.steps:
            if step.stage not in seen:
                seen.append(step.stage)
        return seen
