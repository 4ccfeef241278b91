"""`score_session`: every scoring figure from scenario + map + roster + answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simulator.model import AuthorityMap, Roster, Scenario
from simulator.records import AnswerRecord
from simulator.scoring.answers import index_decisions, score_answers
from simulator.scoring.clarity import clarity_of, stage_scores
from simulator.scoring.consensus import consensus_of
from simulator.scoring.drift import drift_cells, drift_summary
from simulator.scoring.improvements import improvements_of, strengths_of
from simulator.scoring.latency import latency_of
from simulator.scoring.load import load_of
from simulator.scoring.notes import NoteLike, notes_of
from simulator.scoring.reflection import reflection_of
from simulator.scoring.result import MapGap, ScoredAnswer, SessionScore
from simulator.scoring.settings import DEFAULT_SETTINGS, ScoringSettings


def _map_gaps(answers: Sequence[ScoredAnswer]) -> tuple[MapGap, ...]:
    """One entry per decision, in the order first met; a replayed step adds to `answers`."""
    gaps: dict[str, MapGap] = {}
    for a in answers:
        if not a.map_gap:
            continue
        seen = gaps.get(a.decision)
        if seen is None:
            gaps[a.decision] = MapGap(a.responsibility, a.decision, a.step, a.stage, a.critical, 1)
        else:
            gaps[a.decision] = MapGap(
                seen.responsibility, seen.decision, seen.step, seen.stage, seen.critical, seen.answers + 1
            )
    return tuple(gaps.values())


def score_session(
    scenario: Scenario,
    authority_map: AuthorityMap,
    roster: Roster | None,
    answers: Sequence[AnswerRecord],
    notes: Sequence[NoteLike | Mapping[str, object]] = (),
    settings: ScoringSettings = DEFAULT_SETTINGS,
) -> SessionScore:
    """Score one session. Pure: the same inputs give the same result, nothing is read or written.

    `roster` None means every role is staffed (no deputies apply) and there is no load to weigh.
    Answers to decisions the scenario does not have are left out and listed in `unknown_answers`.
    """
    staffed = roster.staffed if roster is not None else None
    asked = index_decisions(scenario)  # once: every later lookup is by id
    scored, unknown = score_answers(asked, authority_map, staffed, answers)
    decisions = {did: item.decision for did, item in asked.items()}
    stages = stage_scores(scored, settings)
    matrix, pairs = drift_cells(scored, decisions, authority_map, staffed)
    return SessionScore(
        answers=scored,
        overall=clarity_of(scored, settings),
        stages=stages,
        drift=drift_summary(scored),
        map_gaps=_map_gaps(scored),
        drift_matrix=matrix,
        top_drifts=pairs,
        latency=latency_of(scored),
        load=load_of(roster, authority_map, scored, settings),
        consensus=consensus_of(scored, settings),
        reflection=reflection_of(authority_map, scored),
        strengths=strengths_of(stages, scored),
        improvements=improvements_of(authority_map, scored),
        notes=notes_of(notes),
        unknown_answers=unknown,
        settings=settings,
    )
