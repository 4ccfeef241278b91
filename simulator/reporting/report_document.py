"""report.json as a model: one frozen dataclass per JSON object, its fields named and ordered as the keys.

`simulator.reporting.json_report` builds a `ReportDocument` once from the
scored session; `plain` turns it into JSON values field by field, so the
document's key order is the order of the fields below (docs/report-json.md).
A mapping stays a mapping (its keys are data: names, ids, outcomes); a tuple
becomes a list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from simulator.frozen import frozen
from simulator.model import Outcome

# --- exercise ---------------------------------------------------------------------


@frozen
class SourceRef:
    id: str
    title: str
    sha256: str


@frozen
class RosterEntry:
    name: str
    roles: tuple[Any, ...]  # as the journal header holds them


@frozen
class Exercise:
    scenario: SourceRef
    map: SourceRef
    seed: int
    mode: str
    started_at: str
    journal_format: str
    roster: tuple[RosterEntry, ...]


# --- scores -----------------------------------------------------------------------


@frozen
class ClarityFigures:
    clarity: float | None
    rating: str | None
    rating_label: str
    decisions: int
    scored: int
    weight: float
    earned: float
    critical_gaps: tuple[str, ...]


@frozen
class StageFigures:
    stage: str
    clarity: float | None
    rating: str | None
    rating_label: str
    decisions: int
    scored: int
    weight: float
    earned: float
    critical_gaps: tuple[str, ...]
    outcomes: Mapping[Outcome, int]


@frozen
class DriftKinds:
    boundary: int
    internal: int
    overreach: int


@frozen
class DecisionRecord:
    id: str
    step: str
    stage: str
    ask: str
    responsibility: str
    expect: str
    weight: float
    critical: bool
    owner: str | None
    expected: tuple[str, ...]
    answer: tuple[str, ...]
    answered_by: str
    outcome: str
    credit: float
    drift_kind: str | None
    overreach: bool
    via_deputy: bool
    map_gap: bool
    latency_ms: int | None
    time_limit_s: int | None
    timed_out: bool
    late: bool
    attempt: int
    clock: str | None
    ballots: Mapping[str, tuple[str, ...]]


@frozen
class MapGapRecord:
    responsibility: str
    decision: str
    step: str
    stage: str
    critical: bool
    answers: int


@frozen
class ReflectionAnswer:
    decision: str
    step: str
    attempt: int
    roles: tuple[str, ...]
    outcome: str
    map_gap: bool


@frozen
class ReflectionRecord:
    responsibility: str
    question: str
    owner: str | None
    responsible: tuple[str, ...]
    why: str
    verdict: str
    answers: tuple[ReflectionAnswer, ...]


@frozen
class DriftMatrixFigures:
    owners: tuple[str, ...]
    actors: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[owner][actor]
    total: int


@frozen
class DriftPairRecord:
    owner: str
    actor: str
    count: int
    weight: float
    boundary: int
    overreach: int
    responsibilities: tuple[str, ...]


# --- latency, load, consensus -----------------------------------------------------


@frozen
class StageLatency:
    stage: str
    answers: int
    median_ms: int | None
    worst_ms: int | None


@frozen
class LateRecord:
    decision: str
    step: str
    stage: str
    attempt: int
    latency_ms: int | None
    time_limit_s: int | None
    timed_out: bool


@frozen
class LatencyFigures:
    median_ms: int | None
    worst_ms: int | None
    stages: tuple[StageLatency, ...]
    late: tuple[LateRecord, ...]


@frozen
class PersonLoadRecord:
    name: str
    roles: tuple[str, ...]
    decisions: int
    answered: int
    many_roles: bool


@frozen
class NeededRecord:
    role: str
    party: str | None
    deputy: str | None
    deputy_staffed: bool
    decisions: tuple[str, ...]
    answers: int


@frozen
class LoadFigures:
    many_roles_threshold: int
    people: tuple[PersonLoadRecord, ...]
    overloaded: tuple[str, ...]
    unstaffed_needed: tuple[NeededRecord, ...]


@frozen
class BallotAnswer:
    roles: tuple[str, ...]
    count: int


@frozen
class ConsensusDecision:
    decision: str
    step: str
    attempt: int
    final: tuple[str, ...]
    ballots: int
    agreeing: int
    share: float
    ambiguous: bool
    answers: tuple[BallotAnswer, ...]


@frozen
class ConsensusFigures:
    threshold: float
    mean_share: float
    ambiguous: tuple[str, ...]
    decisions: tuple[ConsensusDecision, ...]


# --- what to keep and what to improve ---------------------------------------------


@frozen
class StrengthsRecord:
    stages: tuple[str, ...]
    responsibilities: tuple[str, ...]


@frozen
class ImprovementRecord:
    responsibility: str
    title: str
    stage: str
    owner: str
    priority: str
    expected: tuple[str, ...]
    acted: tuple[str, ...]
    boundary: bool
    critical: bool
    outcomes: Mapping[Outcome, int]
    observation: str
    why: str
    recommendation: str


@frozen
class NoteRecord:
    text: str
    step: str | None
    decision: str | None
    clock: str | None
    by: str


@frozen
class SettingsRecord:
    performed: float
    some_challenges: float
    major_challenges: float
    many_roles: int
    consensus_threshold: float


# --- the map as played, the journal, private ballots ------------------------------


@frozen
class RoleRecord:
    id: str
    name: str
    party: str
    deputy: str | None
    summary: str


@frozen
class AssignmentRecord:
    A: str  # the RACI letters are the document's keys
    R: tuple[str, ...]
    C: tuple[str, ...]
    I: tuple[str, ...]  # noqa: E741
    why: str


@frozen
class MapSnapshot:
    parties: Mapping[str, str]
    roles: tuple[RoleRecord, ...]
    assignments: Mapping[str, AssignmentRecord]


@frozen
class JournalChain:
    status: str  # "verified", "none" or "broken"
    accepted_tampered: bool
    broken_lines: tuple[int, ...]


@frozen
class BallotChoice:
    roles: tuple[str, ...]
    outcome: str


@frozen
class PersonBallotRecord:
    name: str
    first: BallotChoice
    final: BallotChoice
    moved: str


@frozen
class DecisionBallotsRecord:
    id: str
    stage: str
    expected: tuple[str, ...]
    team: BallotChoice
    first_aligned: int
    ballots: int
    people: tuple[PersonBallotRecord, ...]


@frozen
class ParticipantBallotsRecord:
    name: str
    ballots: int
    first_aligned: int
    first_not_aligned: int
    drift_share: float
    moved_towards: int
    moved_away: int


@frozen
class PrivateBallotsRecord:
    decisions: tuple[DecisionBallotsRecord, ...]
    participants: tuple[ParticipantBallotsRecord, ...]


# --- the document -----------------------------------------------------------------


@frozen
class ReportDocument:
    format: str
    exercise: Exercise
    overall: ClarityFigures
    outcomes: Mapping[Outcome, int]
    drift_kinds: DriftKinds
    stages: tuple[StageFigures, ...]
    decisions: tuple[DecisionRecord, ...]
    map_gaps: tuple[MapGapRecord, ...]
    reflection: tuple[ReflectionRecord, ...]
    drift_matrix: DriftMatrixFigures
    top_drifts: tuple[DriftPairRecord, ...]
    latency: LatencyFigures
    load: LoadFigures
    consensus: ConsensusFigures | None
    strengths: StrengthsRecord
    improvements: tuple[ImprovementRecord, ...]
    notes: tuple[NoteRecord, ...]
    unknown_answers: tuple[str, ...]
    settings: SettingsRecord
    map_snapshot: MapSnapshot
    journal_chain: JournalChain
    private_ballots: PrivateBallotsRecord | None  # revision 1.1; None when no ballot was cast


def plain(value: Any) -> Any:
    """The model as JSON values: a dataclass becomes an object with its fields in order, a tuple a list."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    return value
