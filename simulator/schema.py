"""The validation schema of the file formats: pydantic models of the authority map, scenario and roster.

They check shape and types only; cross-references (known roles, known responsibilities,
template variables, stage moves) are checked by `simulator.loading.checks`, which can point
at the offending line. A validated file is played as the plain records of `simulator.model`:
pydantic is loaded only to validate a file (or to write the JSON Schemas), never to play one.
The class and field names are those of `simulator.model`, one for one.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from simulator.catalogue import CATALOGUE, Stage
from simulator.limits import (
    DURATION_RE,
    ID_PATTERN,
    MAX_ID_LENGTH,
    RESPONSIBILITY_ID_PATTERN,
    STEP_CLOCK_PATTERN,
    ArtifactKind,
    Audience,
    Expect,
    Outcome,
)

Identifier = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=MAX_ID_LENGTH,
        description="lower-case id: letters, digits, '-' and '_'",
    ),
]
ResponsibilityId = Annotated[
    str,
    Field(
        pattern=RESPONSIBILITY_ID_PATTERN,
        max_length=2 * MAX_ID_LENGTH,
        description="dotted responsibility id, e.g. containment.authorize",
    ),
]


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


# --- roster --------------------------------------------------------------------


class Participant(_Strict):
    name: str = Field(min_length=1)
    roles: list[Identifier] = Field(default_factory=list)


class Roster(_Strict):
    participants: list[Participant] = Field(min_length=1)


# --- scenario ------------------------------------------------------------------


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
