"""The end-of-session summary as one model: every line `ttx run` and `ttx report --format term` print.

`summary_of` words the score once (clarity cut to one place, the rating's
wording, the drift kinds, the gaps); `simulator.reporting.terminal` only lays
it out with Rich. Strings are raw session text; the renderer hands them to
Rich as `Text`, never as markup.
"""

from __future__ import annotations

from simulator.frozen import frozen
from simulator.reporting.ballot_people import BallotPersonItem, ballot_people
from simulator.reporting.figures import clarity_text, thresholds_text
from simulator.reporting.json_report import rating_label
from simulator.scoring import DriftPair, Rating, SessionScore
from simulator.scoring.private_ballots import PrivateBallots
from simulator.wording import plural

TOP_DRIFTS = 5  # the summary is a glance; report.json and the full reports list them all


@frozen
class RatingCell:
    rating: Rating | None
    words: str  # the HSEEP wording beside the letter, or why there is no letter


@frozen
class StageLine:
    stage: str
    decisions: int
    clarity: str  # "83.3", "—" when unscored
    rating: RatingCell


@frozen
class DriftLine:
    owner: str
    actor: str
    count: int
    kinds: str  # "boundary, internal, overreach", those that apply


@frozen
class TerminalSummary:
    clarity: str | None  # None when no decision was scored
    rating: RatingCell
    critical_gaps: tuple[str, ...]  # the questions of critical decisions nobody took
    outcomes: str  # "aligned 3 · overlap 1 · drift 1 (boundary 1, ...) · gap 1"
    thresholds: str
    stages: tuple[StageLine, ...]
    drifts: tuple[DriftLine, ...]  # the first TOP_DRIFTS
    map_gaps: tuple[str, ...]  # one line each
    unstaffed: tuple[str, ...]  # one line each
    ambiguous: tuple[str, ...]  # the decisions where the room split
    ballots: tuple[BallotPersonItem, ...] | None  # None: no private ballot was cast


def _kinds(pair: DriftPair) -> str:
    kinds = []
    if pair.boundary:
        kinds.append("boundary")
    if pair.count - pair.boundary:
        kinds.append("internal")
    if pair.overreach:
        kinds.append("overreach")
    return ", ".join(kinds)


def _outcomes(score: SessionScore) -> str:
    drift = score.drift
    return (
        f"aligned {drift.outcomes['aligned']} · overlap {drift.outcomes['overlap']}"
        f" · drift {drift.outcomes['drift']}"
        f" (boundary {drift.boundary}, internal {drift.internal}, overreach {drift.overreach})"
        f" · gap {drift.outcomes['gap']}"
    )


def _unstaffed(score: SessionScore) -> tuple[str, ...]:
    lines = []
    for needed in score.load.unstaffed_needed:
        cover = f"deputy {needed.deputy}" + ("" if needed.deputy_staffed else " (also unstaffed)")
        cover = cover if needed.deputy else "no deputy"
        lines.append(f"{needed.role}: {plural(needed.answers, 'decision')}; {cover}")
    return tuple(lines)


def _ballots(result: PrivateBallots | None) -> tuple[BallotPersonItem, ...] | None:
    return None if result is None else ballot_people(result)


def summary_of(score: SessionScore, ballots: PrivateBallots | None = None) -> TerminalSummary:
    """The summary of a scored session, worded once; `ballots` adds the private-ballot table."""
    overall = score.overall
    consensus = score.consensus
    return TerminalSummary(
        clarity=None if overall.clarity is None else clarity_text(overall.clarity),
        rating=RatingCell(overall.rating, rating_label(overall)),
        critical_gaps=tuple(overall.critical_gaps),
        outcomes=_outcomes(score),
        thresholds=thresholds_text(score.settings),
        stages=tuple(
            StageLine(
                s.stage,
                s.score.answers,
                clarity_text(s.score.clarity),
                RatingCell(s.score.rating, rating_label(s.score)),
            )
            for s in score.stages
        ),
        drifts=tuple(DriftLine(p.owner, p.actor, p.count, _kinds(p)) for p in score.top_drifts[:TOP_DRIFTS]),
        map_gaps=tuple(
            f"{gap.responsibility}: nobody is assigned (decision {gap.decision}, step {gap.step})"
            for gap in score.map_gaps
        ),
        unstaffed=_unstaffed(score),
        ambiguous=tuple(consensus.ambiguous) if consensus is not None else (),
        ballots=_ballots(ballots),
    )
