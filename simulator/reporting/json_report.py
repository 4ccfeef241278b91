"""report.json: the scored session as a stable, versioned document for other tools.

`build_document` arranges the session once into a `ReportDocument`
(simulator.reporting.report_document); report.json is that model serialised,
nothing more. Keys come out in a fixed order, lists in a fixed order, and
nothing depends on the time the report is built, so the same journal gives
byte-identical JSON. The shape is documented in docs/report-json.md; bump
REPORT_FORMAT on any change a consumer would notice (a removed or renamed key,
a changed meaning).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.catalogue import CATALOGUE
from simulator.model import AuthorityMap, Scenario
from simulator.records import JOURNAL_FORMAT, Header
from simulator.reporting.figures import clarity_value
from simulator.reporting.report_document import (
    AssignmentRecord,
    BallotAnswer,
    BallotChoice,
    ClarityFigures,
    ConsensusDecision,
    ConsensusFigures,
    DecisionBallotsRecord,
    DecisionRecord,
    DriftKinds,
    DriftMatrixFigures,
    DriftPairRecord,
    Exercise,
    ImprovementRecord,
    JournalChain,
    LatencyFigures,
    LateRecord,
    LoadFigures,
    MapGapRecord,
    MapSnapshot,
    NeededRecord,
    NoteRecord,
    ParticipantBallotsRecord,
    PersonBallotRecord,
    PersonLoadRecord,
    PrivateBallotsRecord,
    ReflectionAnswer,
    ReflectionRecord,
    ReportDocument,
    RoleRecord,
    RosterEntry,
    SettingsRecord,
    SourceRef,
    StageFigures,
    StageLatency,
    StrengthsRecord,
    plain,
)
from simulator.safetext import strip_controls
from simulator.scoring import (
    MAP_GAPS_ONLY,
    NOT_PLAYED,
    RATING_WORDS,
    Clarity,
    Consensus,
    DriftMatrix,
    Latency,
    Load,
    ScoredAnswer,
    SessionScore,
)
from simulator.scoring.private_ballots import PrivateBallots, private_ballots
from simulator.sessions import roster_from_json
from simulator.templating import fill_variables, render

REPORT_FORMAT = "ttx-report/1"

Json = dict[str, Any]


def rating_label(score: Clarity) -> str:
    if score.rating is not None:
        return RATING_WORDS[score.rating]
    return MAP_GAPS_ONLY if score.answers else NOT_PLAYED


def _clarity(score: Clarity) -> ClarityFigures:
    return ClarityFigures(
        clarity=clarity_value(score.clarity),
        rating=score.rating,
        rating_label=rating_label(score),
        decisions=score.answers,
        scored=score.scored,
        weight=score.weight,
        earned=score.earned,
        critical_gaps=tuple(score.critical_gaps),
    )


def _stages(score: SessionScore) -> tuple[StageFigures, ...]:
    return tuple(
        StageFigures(stage=s.stage, **vars(_clarity(s.score)), outcomes=dict(s.outcomes)) for s in score.stages
    )


def _exercise(header: Header, scenario: Scenario, authority_map: AuthorityMap, values: Mapping[str, str]) -> Exercise:
    return Exercise(
        scenario=SourceRef(scenario.id, render(scenario.title, values), header.scenario.sha256),
        map=SourceRef(authority_map.id, authority_map.title, header.map.sha256),
        seed=header.seed,
        mode=header.mode,
        started_at=header.started_at,
        journal_format=header.format,
        roster=tuple(RosterEntry(str(p.get("name", "")), tuple(p.get("roles", []))) for p in header.roster),
    )


def _decision(answer: ScoredAnswer, asks: Mapping[str, str]) -> DecisionRecord:
    record = answer.record
    return DecisionRecord(
        id=answer.decision,
        step=answer.step,
        stage=answer.stage,
        ask=asks.get(answer.decision, ""),
        responsibility=answer.responsibility,
        expect=answer.expect,
        weight=answer.weight,
        critical=answer.critical,
        owner=answer.owner,
        expected=tuple(answer.expected),
        answer=tuple(sorted(set(answer.roles))),
        answered_by=record.answered_by,
        outcome=answer.outcome,
        credit=answer.credit,
        drift_kind=answer.drift_kind,
        overreach=answer.overreach,
        via_deputy=answer.via_deputy,
        map_gap=answer.map_gap,
        latency_ms=record.latency_ms,
        time_limit_s=answer.time_limit_s,
        timed_out=record.timed_out,
        late=answer.late,
        attempt=record.attempt,
        clock=record.clock,
        ballots={name: tuple(sorted(set(roles))) for name, roles in sorted(record.ballots.items())},
    )


def _matrix(matrix: DriftMatrix) -> DriftMatrixFigures:
    return DriftMatrixFigures(
        owners=tuple(matrix.owners),
        actors=tuple(matrix.actors),
        counts=tuple(tuple(matrix.count(owner, actor) for actor in matrix.actors) for owner in matrix.owners),
        total=matrix.total,
    )


def _latency(latency: Latency) -> LatencyFigures:
    return LatencyFigures(
        median_ms=latency.median_ms,
        worst_ms=latency.worst_ms,
        stages=tuple(StageLatency(s.stage, s.answers, s.median_ms, s.worst_ms) for s in latency.stages),
        late=tuple(
            LateRecord(
                late.decision, late.step, late.stage, late.attempt, late.latency_ms, late.limit_s, late.timed_out
            )
            for late in latency.late
        ),
    )


def _load(load: Load, many_roles: int) -> LoadFigures:
    return LoadFigures(
        many_roles_threshold=many_roles,
        people=tuple(
            PersonLoadRecord(p.name, tuple(p.roles), p.decisions, p.answered, p.many_roles) for p in load.people
        ),
        overloaded=tuple(load.overloaded),
        unstaffed_needed=tuple(
            NeededRecord(n.role, n.party, n.deputy, n.deputy_staffed, tuple(n.decisions), n.answers)
            for n in load.unstaffed_needed
        ),
    )


def _consensus(consensus: Consensus | None, threshold: float) -> ConsensusFigures | None:
    if consensus is None:
        return None
    return ConsensusFigures(
        threshold=threshold,
        mean_share=round(consensus.mean_share, 4),
        ambiguous=tuple(consensus.ambiguous),
        decisions=tuple(
            ConsensusDecision(
                decision=d.decision,
                step=d.step,
                attempt=d.attempt,
                final=tuple(d.final),
                ballots=d.ballots,
                agreeing=d.agreeing,
                share=round(d.share, 4),
                ambiguous=d.ambiguous,
                answers=tuple(BallotAnswer(tuple(b.roles), b.count) for b in d.answers),
            )
            for d in consensus.decisions
        ),
    )


def _map_snapshot(authority_map: AuthorityMap) -> MapSnapshot:
    """The map as played, so the report stands alone when the map file changes later."""
    return MapSnapshot(
        parties=dict(authority_map.parties),
        roles=tuple(RoleRecord(r.id, r.name, r.party, r.deputy, r.summary) for r in authority_map.roles),
        assignments={
            rid: AssignmentRecord(a.A, tuple(a.R), tuple(a.C), tuple(a.I), a.why)
            for rid, a in authority_map.assignments.items()
        },
    )


def _reflection(score: SessionScore) -> tuple[ReflectionRecord, ...]:
    return tuple(
        ReflectionRecord(
            responsibility=r.responsibility,
            question=r.question,
            owner=r.owner,
            responsible=tuple(r.responsible),
            why=r.why,
            verdict=r.verdict,
            answers=tuple(
                ReflectionAnswer(a.decision, a.step, a.attempt, tuple(sorted(set(a.roles))), a.outcome, a.map_gap)
                for a in r.answers
            ),
        )
        for r in score.reflection
    )


def _top_drifts(score: SessionScore) -> tuple[DriftPairRecord, ...]:
    return tuple(
        DriftPairRecord(p.owner, p.actor, p.count, p.weight, p.boundary, p.overreach, tuple(p.responsibilities))
        for p in score.top_drifts
    )


def _improvements(score: SessionScore) -> tuple[ImprovementRecord, ...]:
    return tuple(
        ImprovementRecord(
            responsibility=i.responsibility,
            title=CATALOGUE[i.responsibility].title if i.responsibility in CATALOGUE else i.responsibility,
            stage=i.stage,
            owner=i.owner,
            priority=i.priority,
            expected=tuple(i.expected),
            acted=tuple(i.acted),
            boundary=i.boundary,
            critical=i.critical,
            outcomes=dict(i.outcomes),
            observation=i.observation,
            why=i.why,
            recommendation=i.recommendation,
        )
        for i in score.improvements
    )


def _map_gaps(score: SessionScore) -> tuple[MapGapRecord, ...]:
    return tuple(
        MapGapRecord(g.responsibility, g.decision, g.step, g.stage, g.critical, g.answers) for g in score.map_gaps
    )


def _settings(score: SessionScore) -> SettingsRecord:
    settings = score.settings
    return SettingsRecord(
        settings.performed,
        settings.some_challenges,
        settings.major_challenges,
        settings.many_roles,
        settings.consensus_threshold,
    )


def journal_chain(header: Header, tampered: Sequence[int] = ()) -> JournalChain:
    """report.json's `journal_chain`: was the journal's hash chain verified (docs/journal.md)?"""
    if tampered:
        return JournalChain("broken", True, tuple(tampered))
    return JournalChain("verified" if header.format == JOURNAL_FORMAT else "none", False, ())


def ballots_record(result: PrivateBallots | None) -> PrivateBallotsRecord | None:
    """report.json's `private_ballots` (revision 1.1): None when no ballot was cast."""
    if result is None:
        return None
    decisions = tuple(
        DecisionBallotsRecord(
            id=d.decision,
            stage=d.stage,
            expected=tuple(d.expected),
            team=BallotChoice(tuple(d.team), d.team_outcome),
            first_aligned=d.first_aligned,
            ballots=len(d.people),
            people=tuple(
                PersonBallotRecord(
                    p.name,
                    BallotChoice(tuple(p.first), p.first_outcome),
                    BallotChoice(p.final, p.final_outcome),
                    p.moved,
                )
                for p in d.people
            ),
        )
        for d in result.decisions
    )
    participants = tuple(
        ParticipantBallotsRecord(
            p.name, p.ballots, p.first_aligned, p.not_aligned, round(p.drift_share, 4), p.moved_towards, p.moved_away
        )
        for p in result.people
    )
    return PrivateBallotsRecord(decisions, participants)


def build_document(
    header: Header,
    scenario: Scenario,
    authority_map: AuthorityMap,
    score: SessionScore,
    ballots: PrivateBallots | None = None,
    tampered: Sequence[int] = (),
) -> ReportDocument:
    """The session as report.json's model, built once; `ballots` from the journal's private ballots."""
    values = fill_variables(scenario.variables, header.seed) if scenario.variables else {}
    asks = {d.id: render(d.ask, values) for d in scenario.decisions}
    drift = score.drift
    return ReportDocument(
        format=REPORT_FORMAT,
        exercise=_exercise(header, scenario, authority_map, values),
        overall=_clarity(score.overall),
        outcomes=dict(drift.outcomes),
        drift_kinds=DriftKinds(drift.boundary, drift.internal, drift.overreach),
        stages=_stages(score),
        decisions=tuple(_decision(a, asks) for a in score.answers),
        map_gaps=_map_gaps(score),
        reflection=_reflection(score),
        drift_matrix=_matrix(score.drift_matrix),
        top_drifts=_top_drifts(score),
        latency=_latency(score.latency),
        load=_load(score.load, score.settings.many_roles),
        consensus=_consensus(score.consensus, score.settings.consensus_threshold),
        strengths=StrengthsRecord(tuple(score.strengths.stages), tuple(score.strengths.responsibilities)),
        improvements=_improvements(score),
        notes=tuple(NoteRecord(n.text, n.step, n.decision, n.clock, n.by) for n in score.notes),
        unknown_answers=tuple(score.unknown_answers),
        settings=_settings(score),
        map_snapshot=_map_snapshot(authority_map),
        journal_chain=journal_chain(header, tampered),
        private_ballots=ballots_record(ballots),
    )


def build_report(
    header: Header,
    scenario: Scenario,
    authority_map: AuthorityMap,
    score: SessionScore,
    events: Sequence[Mapping[str, Any]] = (),
) -> Json:
    """The versioned report document (see docs/report-json.md) as JSON values; private ballots from `events`."""
    ballots = private_ballots(scenario, authority_map, roster_from_json(header.roster), events) if events else None
    return plain(build_document(header, scenario, authority_map, score, ballots))  # type: ignore[no-any-return]


def dumps_report(report: Json) -> str:
    """The report as text: indented, UTF-8 kept readable, ending in a newline.

    JSON escapes C0 controls itself; C1 controls (which some terminals obey) would stay raw, so they go.
    """
    return strip_controls(json.dumps(report, indent=2, ensure_ascii=False)) + "\n"


def private_ballots_json(result: PrivateBallots | None) -> Json | None:
    """report.json's `private_ballots` (revision 1.1) alone, as JSON values; None without ballots."""
    return plain(ballots_record(result))  # type: ignore[no-any-return]
