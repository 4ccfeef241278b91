"""Typed models of the two file formats (authority map, scenario) and the roster.

These only check shape and types; cross-references (known roles, known
responsibilities, template variables, stage moves) are checked by
`simulator.loading.checks`, which can point at the offending line.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from simulator.catalogue import CATALOGUE, Stage

Outcome = Literal["aligned", "overlap", "drift", "gap"]
OUTCOMES: tuple[Outcome, ...] = ("aligned", "overlap", "drift", "gap")
Audience = Literal["msp", "saas", "any"]
Expect = Literal["responsible", "accountable"]

# Limits that keep what validates playable: a session folder is named "<time>-<scenario id>-<map id>",
# which must fit the 255-byte name limit of common file systems; clocks stay within 999 days.
MAX_ID_LENGTH = 64
MAX_CLOCK_DAY = 999
MAX_DURATION_HOURS = 999

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=MAX_ID_LENGTH,
        description="lower-case id: letters, digits, '-' and '_'",
    ),
]
ResponsibilityId = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9_-]+\.[a-z0-9_-]+$",
        max_length=2 * MAX_ID_LENGTH,
        description="dotted responsibility id, e.g. containment.authorize",
    ),
]

# Any clock play can reach (consequences may push it past Day 999), never a number of thousands of digits.
CLOCK_RE = re.compile(r"^(?:Day (?P<day>[1-9]\d{0,6}) )?(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)$")
# What a step of a scenario file may say.
STEP_CLOCK_PATTERN = r"^(?:Day [1-9]\d{0,2} )?(?:[01]?\d|2[0-3]):[0-5]\d$"
DURATION_RE = re.compile(r"^(?P<h>\d{1,3}):(?P<m>[0-5]\d)$")


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- authority map -----------------------------------------------------------


class Role(_Strict):
    id: Identifier
    name: str = Field(min_length=1)
    party: Identifier
    summary: str = ""
    deputy: Identifier | None = Field(default=None, description="role that acts when this one is unstaffed")


class Assignment(_Strict):
    A: Identifier = Field(description="the one accountable role")
    R: list[Identifier] = Field(default_factory=list, description="roles that do it")
    C: list[Identifier] = Field(default_factory=list, description="roles consulted")
    I: list[Identifier] = Field(default_factory=list, description="roles informed")  # noqa: E741
    why: str = Field(min_length=1, description="one line: why this role owns it")

    @field_validator("A", mode="before")
    @classmethod
    def _exactly_one_accountable(cls, value: object) -> object:
        if isinstance(value, list):
            if len(value) == 1:
                return value[0]
            names = ", ".join(map(str, value)) or "none"
            raise ValueError(
                f"expected exactly one accountable role (A); got {len(value)} ({names})"
                " — keep one and list the others under R"
            )
        return value

    @field_validator("R", "C", "I", mode="before")
    @classmethod
    def _one_role_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @property
    def responsible(self) -> frozenset[str]:
        """R ∪ {A}: everyone whose acting is right when the decision expects `responsible`."""
        return frozenset(self.R) | {self.A}


class ExtraResponsibility(_Strict):
    id: ResponsibilityId
    stage: Stage
    title: str
    description: str = ""


class AuthorityMap(_Strict):
    id: Identifier
    title: str = Field(min_length=1)
    description: str = ""
    parties: dict[Identifier, str] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    assignments: dict[ResponsibilityId, Assignment] = Field(default_factory=dict)
    extra_responsibilities: list[ExtraResponsibility] = Field(default_factory=list)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    @property
    def role_ids(self) -> list[str]:
        return [role.id for role in self.roles]


# --- roster --------------------------------------------------------------------


class Participant(_Strict):
    name: str = Field(min_length=1)
    roles: list[Identifier] = Field(default_factory=list)


class Roster(_Strict):
    participants: list[Participant] = Field(min_length=1)

    def holders(self, role_id: str) -> list[str]:
        return [p.name for p in self.participants if role_id in p.roles]

    @property
    def staffed(self) -> frozenset[str]:
        return frozenset(r for p in self.participants for r in p.roles)


# --- scenario ------------------------------------------------------------------

ArtifactKind = Literal["log", "alert", "email", "chat", "phone", "document", "ticket", "screenshot", "news"]


class Artifact(_Strict):
    kind: ArtifactKind
    title: str
    body: str


class Decision(_Strict):
    id: Identifier
    ask: str = Field(min_length=1)
    responsibility: ResponsibilityId = Field(json_schema_extra={"enum": list(CATALOGUE)})
    expect: Expect = "responsible"
    weight: int = Field(default=1, ge=1, le=10)
    critical: bool = False
    time_limit_s: int | None = Field(default=None, ge=5, le=3600)
    on: dict[Outcome, list[Identifier]] = Field(
        default_factory=dict, description="consequence ids fired per outcome kind"
    )

    @field_validator("on", mode="before")
    @classmethod
    def _one_consequence_is_a_list(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value


class Step(_Strict):
    id: Identifier
    stage: Stage
    title: str = ""
    clock: str | None = Field(default=None, pattern=STEP_CLOCK_PATTERN, description='"HH:MM" or "Day N HH:MM"')
    inject: str = Field(min_length=1)
    artifacts: list[Artifact] = Field(default_factory=list)
    facilitator_notes: str = ""
    discussion: list[str] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


class Consequence(_Strict):
    title: str = ""
    clock_advance: str | None = Field(default=None, pattern=DURATION_RE.pattern, description='"HH:MM" to add')
    inject: str = ""
    goto: Identifier | None = None


class FakerVariable(_Strict):
    faker: str
    prefix: str = ""
    suffix: str = ""


class ChoiceVariable(_Strict):
    choice: list[str] = Field(min_length=1)


def _variable_kind(value: object) -> str:
    if isinstance(value, dict):
        return "choice-spec" if "choice" in value else "faker-spec"
    if isinstance(value, (FakerVariable, ChoiceVariable)):
        return "choice-spec" if isinstance(value, ChoiceVariable) else "faker-spec"
    return "provider-name"


# A bare provider name, {faker: provider, prefix, suffix}, or {choice: [...]}.
VariableSpec = Annotated[
    Annotated[str, Tag("provider-name")]
    | Annotated[FakerVariable, Tag("faker-spec")]
    | Annotated[ChoiceVariable, Tag("choice-spec")],
    Discriminator(_variable_kind),
]


class Scenario(_Strict):
    id: Identifier
    title: str = Field(min_length=1)
    summary: str = ""
    audience: Audience = "any"
    duration_minutes: int = Field(default=60, ge=5, le=600)
    variables: dict[Identifier, VariableSpec] = Field(default_factory=dict)
    steps: list[Step] = Field(min_length=1)
    consequences: dict[Identifier, Consequence] = Field(default_factory=dict)

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
