"""The figures a scored session carries, as frozen dataclasses.

Reports (terminal, JSON, Markdown, HTML) read these; nothing here is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulator.catalogue import Stage
from simulator.frozen import frozen
from simulator.model import Expect, Outcome
from simulator.outcome import DriftKind
from simulator.records import AnswerRecord
from simulator.scoring.settings import Rating, ScoringSettings


@frozen
class ScoredAnswer:
    """One answer record with its classification against the map.

    Stage, responsibility, weight and limits come from the scenario's decision,
    not from the record's copy, so a re-score after an edit uses the new script.
    """

    index: int  # position among the session's answer records
    record: AnswerRecord
    stage: Stage
    responsibility: str
    weight: int
    critical: bool
    expect: Expect
    time_limit_s: int | None
    roles: tuple[str, ...]  # the answer as scored: empty when it timed out
    owner: str | None  # the map's A for the responsibility; None for a map gap
    expected: tuple[str, ...]  # the expected set E, sorted
    outcome: Outcome
    credit: float
    map_gap: bool
    via_deputy: bool
    drift_kind: DriftKind | None
    overreach: bool
    late: bool  # timed out, or answered after the decision's time limit

    @property
    def decision(self) -> str:
        return self.record.decision

    @property
    def step(self) -> str:
        return self.record.step

    @property
    def critical_gap(self) -> bool:
        return self.critical and self.outcome == "gap" and not self.map_gap


@frozen
class Clarity:
    """Ownership clarity over a set of answers: 100 × Σ weight·credit / Σ weight."""

    clarity: float | None  # None when no answer was scored
    rating: Rating | None  # None: not played
    weight: int  # Σ weight over scored answers
    earned: float  # Σ weight·credit over scored answers
    answers: int  # every answer record, map gaps included
    scored: int  # answers that count (map gaps excluded)
    critical_gaps: tuple[str, ...]  # decision ids with a gap on a critical decision


@frozen
class StageScore:
    stage: Stage
    score: Clarity
    outcomes: Mapping[Outcome, int]  # over scored answers


@frozen
class MapGap:
    """A decision whose responsibility the map assigns to nobody."""

    responsibility: str
    decision: str
    step: str
    stage: Stage
    critical: bool
    answers: int  # how many answer records hit it (a replayed step counts again)


@frozen
class DriftMatrix:
    """Expected owner (the map's A) × role that acted outside the expected set, counts."""

    owners: tuple[str, ...]  # rows, sorted
    actors: tuple[str, ...]  # columns, sorted
    counts: Mapping[tuple[str, str], int]  # (owner, actor) -> count; absent means 0

    def count(self, owner: str, actor: str) -> int:
        return self.counts.get((owner, actor), 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@frozen
class DriftPair:
    """One cell of the drift matrix with what a report needs to rank and explain it."""

    owner: str
    actor: str
    count: int
    weight: int  # Σ decision weight over the occurrences: the ranking key
    boundary: int  # occurrences that crossed a party line
    overreach: int  # occurrences by a role only Consulted or Informed
    responsibilities: tuple[str, ...]  # sorted


@frozen
class DriftSummary:
    outcomes: Mapping[Outcome, int]  # over scored answers
    boundary: int  # drift answers crossing a party line
    internal: int  # drift answers inside the expected party
    overreach: int  # drift answers by a role only C or I


@frozen
class StageLatency:
    stage: Stage
    answers: int
    median_ms: int
    worst_ms: int


@frozen
class LateAnswer:
    decision: str
    step: str
    stage: Stage
    attempt: int
    latency_ms: int
    limit_s: int | None  # None: timed out without a limit in the current script
    timed_out: bool


@frozen
class Latency:
    stages: tuple[StageLatency, ...]  # stages with answers, in stage order
    median_ms: int | None  # over every answer; None when there are none
    worst_ms: int | None
    late: tuple[LateAnswer, ...]  # in answer order


@frozen
class PersonLoad:
    name: str
    roles: tuple[str, ...]
    decisions: int  # answers they gave, or that named one of their roles
    answered: int  # answers recorded as given by them
    many_roles: bool  # holds at least `ScoringSettings.many_roles` roles


@frozen
class NeededRole:
    """An unstaffed role that was expected to act on some decision."""

    role: str
    party: str | None
    deputy: str | None
    deputy_staffed: bool
    decisions: tuple[str, ...]  # sorted decision ids where it was in E
    answers: int  # answer records where it was in E


@frozen
class Load:
    people: tuple[PersonLoad, ...]  # roster order
    unstaffed_needed: tuple[NeededRole, ...]  # sorted by role id
    overloaded: tuple[str, ...]  # names of people holding many roles


@frozen
class BallotCount:
    roles: tuple[str, ...]  # sorted; empty: nobody / not sure
    count: int


@frozen
class DecisionConsensus:
    decision: str
    step: str
    attempt: int
    final: tuple[str, ...]  # sorted
    ballots: int
    agreeing: int
    share: float  # agreeing / ballots
    ambiguous: bool  # share below the threshold: the room did not agree who owns it
    answers: tuple[BallotCount, ...]  # most votes first


@frozen
class Consensus:
    decisions: tuple[DecisionConsensus, ...]  # answers that had ballots, in answer order
    mean_share: float
    ambiguous: tuple[str, ...]  # decision ids, in answer order, without repeats


@frozen
class ReflectionAnswer:
    decision: str
    step: str
    attempt: int
    roles: tuple[str, ...]
    outcome: Outcome
    map_gap: bool


@frozen
class Reflection:
    """One of the four reflection questions: the map's owner vs the team's answers."""

    responsibility: str
    question: str
    owner: str | None  # the map's A; None when the map has no assignment
    responsible: tuple[str, ...]  # the map's R
    why: str
    answers: tuple[ReflectionAnswer, ...]  # every answer to a decision with this responsibility
    verdict: str  # "not asked in this scenario", "matches the map", ...


@frozen
class Strengths:
    stages: tuple[Stage, ...]  # rated P
    responsibilities: tuple[str, ...]  # every scored answer aligned, catalogue order


@frozen
class Improvement:
    """An area for improvement: a responsibility the team did not place cleanly."""

    responsibility: str
    stage: Stage
    owner: str  # the map's A: who should own the fix
    expected: tuple[str, ...]  # union of E over the answers
    why: str
    outcomes: Mapping[Outcome, int]
    acted: tuple[str, ...]  # roles that acted outside E, sorted
    boundary: bool  # some drift crossed a party line
    critical: bool  # some of it was on a critical decision
    priority: str  # "high" | "medium" | "low"
    observation: str
    recommendation: str


@frozen
class NoteEntry:
    text: str
    step: str  # "" when written outside a step (briefing, debrief)
    decision: str  # "" when no decision was pending
    clock: str
    by: str


@frozen
class SessionScore:
    answers: tuple[ScoredAnswer, ...]  # answer order
    overall: Clarity
    stages: tuple[StageScore, ...]  # all six stages, in order; unplayed ones have clarity None
    drift: DriftSummary
    map_gaps: tuple[MapGap, ...]
    drift_matrix: DriftMatrix
    top_drifts: tuple[DriftPair, ...]  # highest weight × count first
    latency: Latency
    load: Load
    consensus: Consensus | None  # None when no ballots were cast
    reflection: tuple[Reflection, ...]  # the four questions, in catalogue order
    strengths: Strengths
    improvements: tuple[Improvement, ...]  # highest priority first
    notes: tuple[NoteEntry, ...]
    unknown_answers: tuple[str, ...]  # decision ids answered but absent from the scenario (not scored)
    settings: ScoringSettings

    def stage(self, stage: Stage) -> StageScore:
        for item in self.stages:
            if item.stage == stage:
                return item
        raise KeyError(stage)
