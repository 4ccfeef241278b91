"""The trend report as one model: every figure and phrase the terminal, Markdown and HTML trends show.

`trend_report` turns the aggregated `Trend` (simulator.reporting.trend) into
rows of plain text, computed once; the renderers (trend_terminal,
trend_markdown, trend_html) only lay them out and escape them for where they
go. A new column or sentence is added here, once, and then placed by each
renderer.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.catalogue import STAGES
from simulator.frozen import frozen
from simulator.reporting.aar import STAGE_LABELS
from simulator.reporting.figures import clarity_text
from simulator.reporting.trend import Bounds, Change, Drifting, Period, PersonTrend, Trend
from simulator.reporting.trend_ballots import BallotPerson, Tally, TrendBallots
from simulator.wording import plural

SKIPPED_SHOWN = 50  # skipped sessions listed by name in a trend report
UNIT_WORDS = {"session": "session", "week": "ISO week", "month": "month", "quarter": "quarter", "year": "year"}
SPARKS = "▁▂▃▄▅▆▇█"
TITLE = "Ownership clarity over time"


@frozen
class ScoreCell:
    clarity: str | None  # "82.5"; None when nothing was scored
    rating: str | None


@frozen
class PeriodRow:
    label: str  # "2025-01-06 09:00", "2025-03", "2025-Q1"
    short_label: str  # the chart's label: the date alone for one session
    sessions: int
    scenario: str  # the scenario's title, or "n scenarios"
    overall: ScoreCell
    stages: tuple[ScoreCell, ...]  # in stage order
    ratings: tuple[tuple[str, int], ...]  # sessions per overall letter, P S M U
    clarity: float | None  # for charts
    stage_clarity: tuple[float | None, ...]
    letters: tuple[str | None, ...]  # overall, then each stage: the period's rating


@frozen
class ChangeRow:
    name: str
    first: str  # clarity text, "—" when missing
    last: str
    delta: str | None  # "+3.2"; None without two values
    word: str  # improving, steady, declining, not enough data
    spark: str  # the clarity per period as block characters


@frozen
class DriftingRow:
    title: str
    responsibility: str
    troubled: int
    asked: int
    share: float  # troubled / asked
    drift: int
    overlap: int
    gap: int
    owners: str  # the map's owners by name, most frequent first
    actors: str  # "Role (sessions), ..." for the five most frequent
    actors_short: str  # the same for the three most frequent
    last: str  # date of the latest session it went wrong in
    recent: bool  # it went wrong in the latest session that asked it


@frozen
class PersonRow:
    name: str
    sessions: int
    first: str  # dates
    last: str
    roles: str  # "mean · latest"
    decisions: str  # "mean · first → latest"
    overloaded: int  # sessions holding many roles
    spark: str  # decisions carried per period


@frozen
class BallotRow:
    label: str  # the period's, or "All sessions"
    sessions: int  # sessions with private ballots in it
    ballots: int  # private first answers
    first_on_map: str  # "4 of 6 (67%)": first answers that matched the map
    team_on_map: str  # "2 of 3 (67%)": decisions where the team's answer after the reveal did
    shift: str  # "+17 points": team on the map minus first answers on the map
    agreed: str  # "5 of 6 (83%)": first answers that were already the team's answer
    moved: str  # "towards · away", counts of people the team moved towards or away from the map
    first_share: float  # first answers on the map, 0-1, for the sparkline


@frozen
class BallotPersonRow:
    name: str
    sessions: int
    ballots: int
    off_map: str  # "3 of 5 (60%)": first answers that missed the map
    first_latest: str  # "50% → 0%": the share missed in their first and latest session with ballots
    moved: str  # "towards · away"


BALLOTS_NOTE = (
    "First answers: each person's private answer before the reveal, against the map."
    " Team: the room's answer after the reveal. Shift: team on the map minus first answers on the map,"
    " in points. Already the team's: first answers the room went on to give; the others converged after"
    " the reveal. Towards · away: people whose first answer missed the map's owner and the team found it,"
    " or who named it and the team did not."
)


@frozen
class BallotsSection:
    counted: str  # "2 of 5 sessions had private ballots; ..."
    note: str  # what the columns mean
    present: bool  # any session had them
    total: BallotRow
    rows: tuple[BallotRow, ...]
    spark: str  # first answers on the map, per row
    people: tuple[BallotPersonRow, ...]
    people_more: str  # " The 20 who drift most of 31." or ""


@frozen
class SkippedRow:
    folder: str
    reason: str


@frozen
class TrendReport:
    title: str
    scope: str  # "3 sessions · Ransomware · 2025-01-06 to 2025-02-03"
    grouping: str  # "one row per session" or "grouped by month (...)"
    unit_word: str  # "session", "ISO week", "month", ...
    first_column: str  # "Session", "Month", ...
    per_session: bool
    several_scenarios: bool
    sessions: int  # sessions read
    overall: ChangeRow
    overall_text: str  # "45.0 → 88.0 (+43.0, improving)"
    latest: PeriodRow | None
    periods: tuple[PeriodRow, ...]
    stage_names: tuple[str, ...]
    stages: tuple[ChangeRow, ...]
    bounds: Bounds  # the rating thresholds to draw: the latest session's
    bounds_vary: bool
    drifting: tuple[DriftingRow, ...]
    people: tuple[PersonRow, ...]
    people_more: str  # " The 20 most frequent of 31." or ""
    from_reports: int
    from_journals: int
    filtered: int
    missing: tuple[str, ...]
    skipped: tuple[SkippedRow, ...]  # the first SKIPPED_SHOWN
    skipped_total: int
    ballots: BallotsSection

    @property
    def skipped_more(self) -> int:
        return self.skipped_total - len(self.skipped)


# --- wording ----------------------------------------------------------------------


def sparkline(values: Sequence[float | None]) -> str:
    """Clarity 0-100 as block characters; a space where there is no value."""
    return "".join(" " if v is None else SPARKS[min(7, int(max(0.0, v) / 100 * 8))] for v in values)


def sparkline_counts(values: Sequence[int | None]) -> str:
    """Small counts as block characters scaled to the largest; a space where the person was not there."""
    top = max((v for v in values if v is not None), default=0)
    if top <= 0:
        return "".join(" " if v is None else "▁" for v in values)
    return "".join(" " if v is None else SPARKS[min(7, int(v / top * 7.999))] for v in values)


def actors_text(actors: Sequence[tuple[str, int]], limit: int = 5) -> str:
    """ "Role (sessions), ..." for the most frequent `limit`, and how many more."""
    shown = ", ".join(f"{name} ({n})" for name, n in actors[:limit]) or "nobody (gaps)"
    return shown + (f", +{len(actors) - limit} more" if len(actors) > limit else "")


def delta_text(change: Change) -> str:
    delta = change.delta
    if delta is None:
        return change.word
    return f"{clarity_text(change.first)} → {clarity_text(change.last)} ({delta:+.1f}, {change.word})"


def one_scenario(trend: Trend) -> str | None:
    """The scenario's title when every session played the same one."""
    titles = {p.scenario_title for p in trend.points}
    return next(iter(titles)) if len(titles) == 1 else None


def scope_text(trend: Trend) -> str:
    parts = [plural(len(trend.points), "session")]
    title = one_scenario(trend)
    if title:
        parts.append(title)
    if trend.first and trend.last:
        parts.append(f"{trend.first:%Y-%m-%d} to {trend.last:%Y-%m-%d}")
    if trend.scenario:
        parts.append(f"scenario {trend.scenario}")
    if trend.map_id:
        parts.append(f"map {trend.map_id}")
    return " · ".join(parts)


def grouping_text(trend: Trend) -> str:
    if trend.unit == "session":
        return "one row per session"
    return f"grouped by {UNIT_WORDS[trend.unit]} (mean clarity; the most common rating, the worse on a tie)"


# --- rows -------------------------------------------------------------------------


def _score(clarity: float | None, rating: str | None) -> ScoreCell:
    return ScoreCell(None if clarity is None else clarity_text(clarity), rating)


def _period_row(trend: Trend, period: Period) -> PeriodRow:
    return PeriodRow(
        label=period.label,
        short_label=f"{period.first:%Y-%m-%d}" if trend.unit == "session" else period.label,
        sessions=period.sessions,
        scenario=period.scenario,
        overall=_score(period.clarity, period.rating),
        stages=tuple(_score(c, r) for c, r in period.stages),
        ratings=tuple((letter, period.ratings.get(letter, 0)) for letter in "PSMU"),
        clarity=period.clarity,
        stage_clarity=tuple(c for c, _ in period.stages),
        letters=(period.rating, *(r for _, r in period.stages)),
    )


def _change_row(change: Change, values: Sequence[float | None]) -> ChangeRow:
    return ChangeRow(
        name=change.name,
        first=clarity_text(change.first),
        last=clarity_text(change.last),
        delta=None if change.delta is None else f"{change.delta:+.1f}",
        word=change.word,
        spark=sparkline(values),
    )


def _drifting_row(item: Drifting) -> DriftingRow:
    return DriftingRow(
        title=item.title,
        responsibility=item.responsibility,
        troubled=item.troubled,
        asked=item.asked,
        share=item.share,
        drift=item.drift,
        overlap=item.overlap,
        gap=item.gap,
        owners=", ".join(item.owners),
        actors=actors_text(item.actors),
        actors_short=actors_text(item.actors, 3),
        last=f"{item.last:%Y-%m-%d}",
        recent=item.recent,
    )


def _person_row(person: PersonTrend) -> PersonRow:
    return PersonRow(
        name=person.name,
        sessions=person.sessions,
        first=f"{person.first:%Y-%m-%d}",
        last=f"{person.last:%Y-%m-%d}",
        roles=f"{person.roles_mean:.1f} · {person.roles_latest}",
        decisions=f"{person.decisions_mean:.1f} · {person.decisions_first} → {person.decisions_latest}",
        overloaded=person.overloaded,
        spark=sparkline_counts(person.series),
    )


def share_text(part: int, whole: int) -> str:
    """'4 of 6 (67%)'; the percentage rounded as the AAR rounds it."""
    return f"{part} of {whole} ({part / whole:.0%})" if whole else "—"


def _ballot_row(label: str, tally: Tally) -> BallotRow:
    shift = (tally.team_share - tally.first_share) * 100
    return BallotRow(
        label=label,
        sessions=tally.sessions,
        ballots=tally.ballots,
        first_on_map=share_text(tally.first_aligned, tally.ballots),
        team_on_map=share_text(tally.team_aligned, tally.decisions),
        shift=f"{shift:+.0f} points" if tally.ballots else "—",
        agreed=share_text(tally.first_agreed, tally.ballots),
        moved=f"{tally.towards} · {tally.away}",
        first_share=tally.first_share,
    )


def _ballot_person(person: BallotPerson) -> BallotPersonRow:
    return BallotPersonRow(
        name=person.name,
        sessions=person.sessions,
        ballots=person.ballots,
        off_map=share_text(person.not_aligned, person.ballots),
        first_latest=f"{person.first_drift:.0%} → {person.latest_drift:.0%}",
        moved=f"{person.towards} · {person.away}",
    )


def ballots_section(ballots: TrendBallots) -> BallotsSection:
    """The private-ballot section: only sessions that had private ballots count, and it says how many did."""
    with_ballots = ballots.total.sessions
    counted = f"{with_ballots} of {plural(ballots.sessions, 'session')} had private ballots"
    if with_ballots and with_ballots < ballots.sessions:
        counted += "; the others are not counted in this section"
    rows = tuple(_ballot_row(p.label, p.tally) for p in ballots.periods)
    more = len(ballots.people) < ballots.people_total
    return BallotsSection(
        counted=counted + ".",
        note=BALLOTS_NOTE,
        present=bool(with_ballots),
        total=_ballot_row("All sessions", ballots.total),
        rows=rows,
        spark=sparkline([r.first_share * 100 for r in rows]),
        people=tuple(_ballot_person(p) for p in ballots.people),
        people_more=f" The {len(ballots.people)} who drift most of {ballots.people_total}." if more else "",
    )


def trend_report(trend: Trend) -> TrendReport:
    """Everything a trend report shows, computed once from the aggregated trend."""
    periods = tuple(_period_row(trend, p) for p in trend.periods)
    per_session = trend.unit == "session"
    more = len(trend.people) < trend.people_total
    return TrendReport(
        title=TITLE,
        scope=scope_text(trend),
        grouping=grouping_text(trend),
        unit_word=UNIT_WORDS[trend.unit],
        first_column="Session" if per_session else UNIT_WORDS[trend.unit].capitalize(),
        per_session=per_session,
        several_scenarios=one_scenario(trend) is None,
        sessions=len(trend.points),
        overall=_change_row(trend.overall, [p.clarity for p in periods]),
        overall_text=delta_text(trend.overall),
        latest=periods[-1] if periods else None,
        periods=periods,
        stage_names=tuple(STAGE_LABELS[stage] for stage in STAGES),
        stages=tuple(
            _change_row(change, [p.stage_clarity[i] for p in periods]) for i, change in enumerate(trend.stages)
        ),
        bounds=trend.bounds,
        bounds_vary=trend.bounds_vary,
        drifting=tuple(_drifting_row(d) for d in trend.drifting),
        people=tuple(_person_row(x) for x in trend.people),
        people_more=f" The {len(trend.people)} most frequent of {trend.people_total}." if more else "",
        from_reports=trend.from_reports,
        from_journals=trend.from_journals,
        filtered=trend.filtered,
        missing=trend.missing,
        skipped=tuple(SkippedRow(s.folder, s.reason) for s in trend.skipped[:SKIPPED_SHOWN]),
        skipped_total=len(trend.skipped),
        ballots=ballots_section(trend.ballots),
    )
