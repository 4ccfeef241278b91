"""The after-action report and improvement plan (AAR/IP) as plain data (see docs/reports.md).

`build_aar` arranges what the journal and the score already hold into the
sections of an HSEEP-style AAR/IP; the Markdown and HTML renderers both read
it, so they always say the same thing. Nothing is scored here: every figure
comes from `SessionScore`. Strings are raw user and scenario text; escaping is
the renderer's job.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from simulator.catalogue import CATALOGUE, STAGES, Stage
from simulator.corrections import corrections, standing_events, withdrawn_ballots
from simulator.frozen import frozen
from simulator.model import OUTCOMES, AuthorityMap, Outcome, Scenario, Step, clock_minutes, format_clock
from simulator.records import AnswerRecord, Header, attempt_of
from simulator.reporting.ballot_people import BallotPersonItem, ballot_people
from simulator.reporting.figures import clarity_text, rating_bounds, thresholds_text
from simulator.reporting.json_report import rating_label
from simulator.scoring import RATING_WORDS, Clarity, Rating, ScoredAnswer, SessionScore
from simulator.scoring.private_ballots import PrivateBallots, private_ballots
from simulator.sessions import roster_from_json
from simulator.templating import fill_variables, render

STAGE_LABELS: dict[str, str] = {stage: stage.capitalize() for stage in STAGES}
PRIORITY_LABELS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
OUTCOME_WORDS: dict[Outcome, str] = {
    "aligned": "aligned with the map",
    "overlap": "overlap: several roles claimed it",
    "drift": "drift: the wrong role acted",
    "gap": "gap: nobody acted",
}
MAP_MAINTAINER = "Authority map maintainer"
MODES = {
    "facilitated": "Facilitated: the room answers, the facilitator records",
    "solo": "Solo practice",
    "assessment": "Assessment",
    "headless": "Headless run (answers from a file or a strategy)",
}


# --- small formatting helpers shared by the renderers -------------------------


def seconds_text(ms: int | None) -> str:
    if ms is None:
        return "—"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def minutes_text(minutes: int) -> str:
    if minutes < 1:
        return "under 1 min"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d} min"


def responsibility_title(responsibility: str, authority_map: AuthorityMap | None = None) -> str:
    known = CATALOGUE.get(responsibility)
    if known is not None:
        return known.title
    if authority_map is not None:
        for extra in authority_map.extra_responsibilities:
            if extra.id == responsibility:
                return extra.title
    return responsibility


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time from the journal, as an aware datetime; None when it is not one."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


# --- the sections -------------------------------------------------------------


@frozen
class RoleRef:
    id: str
    name: str  # the map's name for it; the id when the map does not know it
    party: str  # the party's display name; "" when unknown


@frozen
class Person:
    name: str
    roles: tuple[RoleRef, ...]
    decisions: int  # decisions they carried (gave, or named one of their roles)
    answered: int
    many_roles: bool


@frozen
class Overview:
    scenario_id: str
    scenario_title: str
    scenario_summary: str
    map_id: str
    map_title: str
    mode: str
    mode_text: str
    seed: int
    started_at: str  # as in the journal header
    date: str  # "2025-03-01"
    start_time: str  # "09:00 UTC"
    duration: str  # wall clock, "47 min"; "" when the session has not ended
    planned: str  # the scenario's planned duration
    clock_start: str  # the scenario clock at the first step
    clock_end: str
    clock_span: str  # "7 h 16 min of scenario time"; "" without a clock
    status: str
    finished: bool
    participants: tuple[Person, ...]
    unstaffed: tuple[RoleRef, ...]  # roles of the map nobody held
    many_roles: int  # the threshold behind Person.many_roles
    journal_format: str
    scenario_sha256: str
    map_sha256: str


@frozen
class StageRow:
    stage: Stage
    label: str
    decisions: int
    clarity: float | None
    clarity_text: str
    rating: Rating | None
    rating_words: str  # the HSEEP wording, or why there is no rating
    outcomes: Mapping[Outcome, int]


@frozen
class Summary:
    clarity: float | None
    clarity_text: str
    rating: Rating | None
    rating_words: str
    critical_gaps: tuple[str, ...]  # the questions asked, variables filled
    outcomes: Mapping[Outcome, int]
    boundary: int
    internal: int
    overreach: int
    stages: tuple[StageRow, ...]
    thresholds: str
    bounds: tuple[tuple[float, str], ...]  # (lowest clarity, letter) for P, S, M
    plan_items: int
    critical_items: int


@frozen
class StrengthItem:
    responsibility: str
    title: str
    stage: Stage
    owner: RoleRef | None


@frozen
class Strengths:
    stages: tuple[str, ...]  # stage labels rated P
    responsibilities: tuple[StrengthItem, ...]


@frozen
class ImprovementItem:
    number: int
    responsibility: str
    title: str
    stage: Stage
    priority: str  # "critical" | "high" | "medium" | "low"
    critical: bool
    boundary: bool
    observation: str
    acted: tuple[RoleRef, ...]
    owner: RoleRef
    responsible: tuple[RoleRef, ...]  # the map's R
    why: str
    recommendation: str
    outcomes: Mapping[Outcome, int]


@frozen
class ReflectionGiven:
    roles: tuple[RoleRef, ...]  # empty: nobody / not sure
    outcome: Outcome
    map_gap: bool
    attempt: int


@frozen
class ReflectionItem:
    question: str
    responsibility: str
    owner: RoleRef | None
    responsible: tuple[RoleRef, ...]
    why: str
    answers: tuple[ReflectionGiven, ...]
    verdict: str
    matches: bool | None  # None: not asked, or no owner in the map


@frozen
class DriftHeat:
    owners: tuple[RoleRef, ...]  # rows: the expected owner
    actors: tuple[RoleRef, ...]  # columns: the role that acted instead
    counts: tuple[tuple[int, ...], ...]  # counts[row][column]
    total: int
    highest: int


@frozen
class TimelineEntry:
    kind: str  # "answer" | "asked" | "consequence" | "note" | "end"
    clock: str
    title: str  # the question, the consequence's title, the note's author, ...
    text: str = ""  # the consequence's inject, the note, ...
    outcome: Outcome | None = None
    roles: tuple[RoleRef, ...] = ()
    by: str = ""
    detail: str = ""  # latency, credit and flags of an answer; the clock move of a consequence
    map_gap: bool = False


@frozen
class TimelineStep:
    clock: str
    minutes: int | None  # scenario minutes since Day 1 00:00
    stage: Stage
    stage_label: str
    new_stage: bool  # play entered this stage here
    step: str
    title: str
    text: str
    artifacts: tuple[str, ...]  # titles
    attempt: int
    entries: tuple[TimelineEntry, ...]


@frozen
class NoteItem:
    clock: str
    where: str  # step title, or "" when written outside a step
    by: str
    text: str


@frozen
class PlanItem:
    number: int
    action: str
    responsibility: str  # id
    title: str
    stage: Stage
    owner: RoleRef | None  # the map's A; None for a fix to the map itself
    owner_text: str  # "Client IT lead (Client-side administrators)" or the map maintainer
    priority: str
    critical: bool
    observation: str
    why: str
    status: str = ""  # for the team to fill in
    resolved_by_map: bool = False  # the team judged the map wrong here and revised it (`ttx map edit`, debrief)


@frozen
class MapGapItem:
    responsibility: str
    title: str
    stage: Stage
    ask: str
    step: str
    critical: bool
    answers: int


@frozen
class StageTiming:
    stage: str
    answers: int
    median: str
    worst: str


@frozen
class LateItem:
    ask: str
    stage: str
    took: str
    limit: str
    timed_out: bool


@frozen
class NeededItem:
    role: RoleRef
    deputy: RoleRef | None
    deputy_staffed: bool
    answers: int


@frozen
class ConsensusItem:
    ask: str
    ballots: int
    agreeing: int
    share: float
    ambiguous: bool
    split: str  # "SOC lead 3 · Client IT lead 1"


@frozen
class Participation:
    people: tuple[Person, ...]
    overloaded: tuple[str, ...]
    needed: tuple[NeededItem, ...]
    median: str
    worst: str
    stages: tuple[StageTiming, ...]
    late: tuple[LateItem, ...]
    consensus: tuple[ConsensusItem, ...]  # empty when no ballots were cast
    consensus_mean: float | None
    ambiguous: tuple[str, ...]  # questions where the room split


@frozen
class Assignment:
    responsibility: str
    title: str
    stage: str
    accountable: RoleRef
    responsible: tuple[RoleRef, ...]
    consulted: tuple[RoleRef, ...]
    informed: tuple[RoleRef, ...]
    why: str


@frozen
class MapRole:
    role: RoleRef
    summary: str
    deputy: RoleRef | None
    held_by: tuple[str, ...]


@frozen
class AnswerRow:
    number: int
    clock: str
    stage: str
    step: str
    decision: str
    ask: str
    responsibility: str
    expected: tuple[RoleRef, ...]
    answer: tuple[RoleRef, ...]
    by: str
    outcome: Outcome
    map_gap: bool
    credit: float
    latency: str
    flags: tuple[str, ...]
    ballots: tuple[tuple[str, tuple[RoleRef, ...]], ...]


@frozen
class CorrectionRow:
    """A withdrawn answer beside the one that replaced it."""

    clock: str
    ask: str
    decision: str
    withdrawn: str  # role names, "nobody" or "time ran out"
    replaced_by: str  # role names, "nobody", "time ran out", or "" while not answered again
    reason: str


@frozen
class WithdrawnBallotRow:
    ask: str
    decision: str
    participant: str
    roles: str
    reason: str


@frozen
class Appendix:
    parties: tuple[tuple[str, str], ...]  # (id, name)
    roles: tuple[MapRole, ...]
    assignments: tuple[Assignment, ...]
    unassigned: tuple[str, ...]  # catalogue ids the map assigns to nobody
    answers: tuple[AnswerRow, ...]
    unknown_answers: tuple[str, ...]
    corrections: tuple[CorrectionRow, ...] = ()
    withdrawn_ballots: tuple[WithdrawnBallotRow, ...] = ()


@frozen
class BallotRoundItem:
    ask: str
    team_outcome: str
    first_aligned: str  # "1 of 2"
    moved: tuple[tuple[str, str], ...]  # (person, "towards" or "away"), casting order; who stayed is left out


@frozen
class PrivateBallotsSection:
    people: tuple[BallotPersonItem, ...]  # whose first answers drift most, first
    rounds: tuple[BallotRoundItem, ...]  # one per standing answer with ballots


@frozen
class Aar:
    overview: Overview
    summary: Summary
    strengths: Strengths
    improvements: tuple[ImprovementItem, ...]
    reflection: tuple[ReflectionItem, ...]
    drift: DriftHeat
    participation: Participation
    timeline: tuple[TimelineStep, ...]
    notes: tuple[NoteItem, ...]
    plan: tuple[PlanItem, ...]
    map_gaps: tuple[MapGapItem, ...]
    appendix: Appendix
    tampered: tuple[int, ...] = ()  # journal lines where the hash chain breaks, when scored with --accept-tampered
    private_ballots: PrivateBallotsSection | None = None  # None: no private ballot was cast


def tampered_notice(lines: Sequence[int]) -> str:
    """The one line every report format shows on its cover when the journal's hash chain is broken."""
    where = f"line {lines[0]}" + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")
    return (
        f"Tampered journal: its hash chain breaks at {where}; scored anyway (--accept-tampered),"
        " so these figures may not be what was played."
    )


# --- building -------------------------------------------------------------------

RESOLVED_BY_MAP = "resolved by changing the map"


class _Names:
    """Role ids to RoleRefs, and role ids inside scoring's sentences to role names."""

    def __init__(self, authority_map: AuthorityMap) -> None:
        self.map = authority_map
        self.refs = {
            r.id: RoleRef(r.id, r.name, authority_map.parties.get(r.party, r.party)) for r in authority_map.roles
        }
        # Only ids that cannot be an ordinary word (they hold a '-' or '_') are replaced in prose.
        wordy = sorted((i for i in self.refs if re.search(r"[-_]", i)), key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, wordy)) + r")(?![\w-])") if wordy else None

    def ref(self, role: str) -> RoleRef:
        return self.refs.get(role) or RoleRef(role, role, "")

    def refs_of(self, roles: Sequence[str]) -> tuple[RoleRef, ...]:
        return tuple(self.ref(r) for r in roles)

    def prose(self, text: str) -> str:
        """Scoring's sentences name roles by id; a reader wants their names."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.refs[m.group(1)].name, text)


def owner_text(role: RoleRef | None) -> str:
    if role is None:
        return MAP_MAINTAINER
    return f"{role.name} ({role.party})" if role.party else role.name


def _end_event(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    ended = [event for event in events if event.get("type") == "session_ended"]
    return ended[-1] if ended else None


def _clocks(events: Sequence[Mapping[str, Any]]) -> list[int]:
    minutes = []
    for event in events:
        clock = event.get("clock")
        if isinstance(clock, str) and clock:
            try:
                minutes.append(clock_minutes(clock))
            except ValueError:
                continue
    return minutes


def _overview(
    header: Header,
    scenario: Scenario,
    authority_map: AuthorityMap,
    values: Mapping[str, str],
    events: Sequence[Mapping[str, Any]],
    score: SessionScore,
    names: _Names,
) -> Overview:
    start = parse_time(header.started_at)
    end = _end_event(events)
    finish = parse_time(str(end.get("at", ""))) if end else None
    duration = ""
    if start and finish:
        duration = minutes_text(max(0, round((finish - start).total_seconds() / 60)))
    clocks = _clocks(events)
    clock_start = clock_end = clock_span = ""
    if clocks:
        clock_start, clock_end = format_clock(clocks[0]), format_clock(max(clocks))
        clock_span = f"{minutes_text(max(clocks) - clocks[0])} of scenario time"
    answered = sum(1 for event in events if event.get("type") == "answer_recorded")
    if end is None:
        status = f"Not finished: {answered} of {len(scenario.decisions)} decisions answered so far"
    elif end.get("reason") == "completed":
        status = "Completed: every step was played"
    else:
        status = f"Stopped early by the facilitator after {answered} of {len(scenario.decisions)} decisions"
    loads = {p.name: p for p in score.load.people}
    people = []
    staffed: set[str] = set()
    for entry in header.roster:
        name = str(entry.get("name", ""))
        roles = [str(r) for r in entry.get("roles", [])]
        staffed.update(roles)
        load = loads.get(name)
        people.append(
            Person(
                name=name,
                roles=names.refs_of(roles),
                decisions=load.decisions if load else 0,
                answered=load.answered if load else 0,
                many_roles=load.many_roles if load else len(set(roles)) >= score.settings.many_roles,
            )
        )
    return Overview(
        scenario_id=scenario.id,
        scenario_title=render(scenario.title, values),
        scenario_summary=" ".join(render(scenario.summary, values).split()),
        map_id=authority_map.id,
        map_title=authority_map.title,
        mode=header.mode,
        mode_text=MODES.get(header.mode, header.mode),
        seed=header.seed,
        started_at=header.started_at,
        date=start.astimezone(timezone.utc).strftime("%Y-%m-%d") if start else header.started_at,
        start_time=start.astimezone(timezone.utc).strftime("%H:%M UTC") if start else "",
        duration=duration,
        planned=minutes_text(scenario.duration_minutes),
        clock_start=clock_start,
        clock_end=clock_end,
        clock_span=clock_span,
        status=status,
        finished=end is not None,
        participants=tuple(people),
        unstaffed=tuple(names.ref(r.id) for r in authority_map.roles if r.id not in staffed),
        many_roles=score.settings.many_roles,
        journal_format=header.format,
        scenario_sha256=header.scenario.sha256,
        map_sha256=header.map.sha256,
    )


def _rating_words(score: Clarity) -> str:
    return RATING_WORDS[score.rating] if score.rating else rating_label(score)


def _summary(score: SessionScore, asks: Mapping[str, str], plan: Sequence[PlanItem]) -> Summary:
    settings = score.settings
    return Summary(
        clarity=score.overall.clarity,
        clarity_text=clarity_text(score.overall.clarity),
        rating=score.overall.rating,
        rating_words=_rating_words(score.overall),
        critical_gaps=tuple(asks.get(d, d) for d in score.overall.critical_gaps),
        outcomes=dict(score.drift.outcomes),
        boundary=score.drift.boundary,
        internal=score.drift.internal,
        overreach=score.drift.overreach,
        stages=tuple(
            StageRow(
                stage=s.stage,
                label=STAGE_LABELS[s.stage],
                decisions=s.score.answers,
                clarity=s.score.clarity,
                clarity_text=clarity_text(s.score.clarity),
                rating=s.score.rating,
                rating_words=_rating_words(s.score),
                outcomes=dict(s.outcomes),
            )
            for s in score.stages
        ),
        thresholds=thresholds_text(settings),
        bounds=rating_bounds(settings),
        plan_items=len(plan),
        critical_items=sum(item.critical for item in plan),
    )


def _improvements(score: SessionScore, authority_map: AuthorityMap, names: _Names) -> tuple[ImprovementItem, ...]:
    items = []
    for number, item in enumerate(score.improvements, start=1):
        assignment = authority_map.assignments.get(item.responsibility)
        items.append(
            ImprovementItem(
                number=number,
                responsibility=item.responsibility,
                title=responsibility_title(item.responsibility, authority_map),
                stage=item.stage,
                priority="critical" if item.critical else item.priority,
                critical=item.critical,
                boundary=item.boundary,
                observation=names.prose(item.observation),
                acted=names.refs_of(item.acted),
                owner=names.ref(item.owner),
                responsible=names.refs_of(assignment.R if assignment else ()),
                why=item.why,
                recommendation=names.prose(item.recommendation),
                outcomes=dict(item.outcomes),
            )
        )
    return tuple(items)


def _plan(
    improvements: Sequence[ImprovementItem], gaps: Sequence[MapGapItem], authority_map: AuthorityMap
) -> tuple[PlanItem, ...]:
    """Corrective actions, critical decisions first, then by priority; fixes to the map itself included."""
    drafts: list[tuple[bool, str, Stage, str, str, str, RoleRef | None, str, str]] = [
        (i.critical, i.priority, i.stage, i.recommendation, i.responsibility, i.title, i.owner, i.observation, i.why)
        for i in improvements
    ]
    seen: set[str] = set()
    for gap in gaps:
        if gap.responsibility in seen:
            continue
        seen.add(gap.responsibility)
        critical = any(g.critical for g in gaps if g.responsibility == gap.responsibility)
        drafts.append(
            (
                critical,
                "critical" if critical else "medium",
                gap.stage,
                f"Name an accountable role for {gap.title.lower()} in the authority map '{authority_map.id}'"
                " and write down why it owns it.",
                gap.responsibility,
                gap.title,
                None,
                f"The map assigns {gap.title.lower()} to nobody; the exercise asked about it.",
                "",
            )
        )
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    drafts.sort(key=lambda d: (not d[0], order.get(d[1], 9), STAGES.index(d[2])))
    return tuple(
        PlanItem(
            number=n,
            action=action,
            responsibility=rid,
            title=title,
            stage=stage,
            owner=owner,
            owner_text=owner_text(owner),
            priority=priority,
            critical=critical,
            observation=observation,
            why=why,
        )
        for n, (critical, priority, stage, action, rid, title, owner, observation, why) in enumerate(drafts, start=1)
    )


def _reflection(score: SessionScore, names: _Names) -> tuple[ReflectionItem, ...]:
    items = []
    for r in score.reflection:
        given = tuple(
            ReflectionGiven(names.refs_of(sorted(set(a.roles))), a.outcome, a.map_gap, a.attempt) for a in r.answers
        )
        scored = [a for a in given if not a.map_gap]
        items.append(
            ReflectionItem(
                question=r.question,
                responsibility=r.responsibility,
                owner=names.ref(r.owner) if r.owner else None,
                responsible=names.refs_of(r.responsible),
                why=r.why,
                answers=given,
                verdict=r.verdict,
                matches=all(a.outcome == "aligned" for a in scored) if scored and r.owner else None,
            )
        )
    return tuple(items)


def _drift(score: SessionScore, names: _Names) -> DriftHeat:
    matrix = score.drift_matrix
    counts = tuple(tuple(matrix.count(o, a) for a in matrix.actors) for o in matrix.owners)
    return DriftHeat(
        owners=names.refs_of(matrix.owners),
        actors=names.refs_of(matrix.actors),
        counts=counts,
        total=matrix.total,
        highest=max((c for row in counts for c in row), default=0),
    )


def _flags(answer: ScoredAnswer) -> tuple[str, ...]:
    flags = []
    if answer.critical:
        flags.append("critical")
    if answer.map_gap:
        flags.append("map gap (not scored)")
    if answer.drift_kind:
        flags.append(f"{answer.drift_kind} drift")
    if answer.overreach:
        flags.append("overreach")
    if answer.via_deputy:
        flags.append("via deputy")
    if answer.record.timed_out:
        flags.append("timed out")
    elif answer.late:
        flags.append("late")
    if answer.record.attempt > 1:
        flags.append(f"attempt {answer.record.attempt}")
    return tuple(flags)


def _answer_detail(answer: ScoredAnswer) -> str:
    parts = [f"credit {answer.credit:g}" if not answer.map_gap else "not scored: map gap"]
    parts.append(f"answered in {seconds_text(answer.record.latency_ms)}")
    if answer.time_limit_s:
        parts.append(f"limit {answer.time_limit_s} s")
    parts += [f for f in _flags(answer) if f not in ("map gap (not scored)",)]
    return " · ".join(parts)


def _timeline_step(
    event: Mapping[str, Any], steps: Mapping[str, Step], values: Mapping[str, str], new_stage: bool
) -> TimelineStep:
    """The group an `inject_shown` event opens: the step as shown, its entries still to come."""
    clock = str(event.get("clock") or "")
    step_id = str(event.get("step", ""))
    step = steps.get(step_id)
    stage = str(event.get("stage", step.stage if step else "detection"))
    stage_ok: Stage = stage if stage in STAGE_LABELS else "detection"  # type: ignore[assignment]
    try:
        minutes: int | None = clock_minutes(clock) if clock else None
    except ValueError:
        minutes = None
    return TimelineStep(
        clock=clock,
        minutes=minutes,
        stage=stage_ok,
        stage_label=STAGE_LABELS.get(stage, stage),
        new_stage=new_stage,
        step=step_id,
        title=render(step.title, values) if step and step.title else STAGE_LABELS.get(stage, stage),
        text=render(step.inject, values).strip() if step else "",
        artifacts=tuple(render(a.title, values) for a in step.artifacts) if step else (),
        attempt=attempt_of(event),
        entries=(),
    )


def _answer_entry(
    event: Mapping[str, Any], answer: ScoredAnswer | None, asks: Mapping[str, str], names: _Names
) -> TimelineEntry:
    clock = str(event.get("clock") or "")
    if answer is None:  # a decision the scenario no longer has: shown, not scored
        return TimelineEntry(
            "answer",
            clock,
            str(event.get("decision", "")),
            roles=names.refs_of([str(r) for r in event.get("roles", [])]),
            by=str(event.get("answered_by", "")),
            detail="not scored: the scenario no longer has this decision",
        )
    return TimelineEntry(
        "answer",
        clock,
        asks.get(answer.decision, answer.decision),
        outcome=answer.outcome,
        roles=names.refs_of(sorted(set(answer.roles))),
        by=answer.record.answered_by,
        detail=_answer_detail(answer),
        map_gap=answer.map_gap,
    )


def _consequence_entry(
    event: Mapping[str, Any], scenario: Scenario, steps: Mapping[str, Step], values: Mapping[str, str]
) -> TimelineEntry:
    cid = str(event.get("consequence", ""))
    consequence = scenario.consequences.get(cid)
    moves = []
    if event.get("clock_advance"):
        moves.append(f"clock +{event['clock_advance']}")
    if event.get("goto"):
        target = steps.get(str(event["goto"]))
        moves.append(f"jump to “{render(target.title, values) if target and target.title else event['goto']}”")
    outcome = event.get("outcome")
    return TimelineEntry(
        "consequence",
        str(event.get("clock") or ""),
        render(consequence.title, values) if consequence and consequence.title else cid,
        text=" ".join(render(consequence.inject, values).split()) if consequence else "",
        outcome=outcome if outcome in OUTCOMES else None,
        detail=" · ".join(moves),
    )


def _timeline(
    scenario: Scenario,
    values: Mapping[str, str],
    events: Sequence[Mapping[str, Any]],
    score: SessionScore,
    asks: Mapping[str, str],
    names: _Names,
) -> tuple[TimelineStep, ...]:
    by_index = {a.index: a for a in score.answers}
    steps = {s.id: s for s in scenario.steps}
    groups: list[TimelineStep] = []
    entries: list[TimelineEntry] = []
    new_stage = False
    answer_number = 0

    def close() -> None:
        if groups:
            groups[-1] = replace(groups[-1], entries=tuple(entries))

    for event in events:
        kind = event.get("type")
        clock = str(event.get("clock") or "")
        if kind == "stage_entered":
            new_stage = True
        elif kind == "inject_shown":
            close()
            entries = []
            groups.append(_timeline_step(event, steps, values, new_stage))
            new_stage = False
        elif kind == "decision_asked":
            decision = str(event.get("decision", ""))
            entries.append(TimelineEntry("asked", clock, asks.get(decision, decision)))
        elif kind == "answer_recorded":
            decision = str(event.get("decision", ""))
            asked = [i for i, x in enumerate(entries) if x.kind == "asked" and x.title == asks.get(decision, decision)]
            if asked:  # the question is shown once, with its answer (notes may come in between)
                del entries[asked[-1]]
            entries.append(_answer_entry(event, by_index.get(answer_number), asks, names))
            answer_number += 1
        elif kind == "consequence_fired":
            entries.append(_consequence_entry(event, scenario, steps, values))
        elif kind == "note_added":
            entries.append(
                TimelineEntry("note", clock, f"Note by {event.get('author') or 'facilitator'}", str(event.get("text")))
            )
        elif kind == "session_ended":
            reason = str(event.get("reason", ""))
            words = "Exercise completed" if reason == "completed" else "Exercise stopped by the facilitator"
            entries.append(TimelineEntry("end", clock, words))
    close()
    return tuple(groups)


def _participation(score: SessionScore, overview: Overview, asks: Mapping[str, str], names: _Names) -> Participation:
    latency = score.latency
    consensus = score.consensus
    return Participation(
        people=overview.participants,
        overloaded=score.load.overloaded,
        needed=tuple(
            NeededItem(names.ref(n.role), names.ref(n.deputy) if n.deputy else None, n.deputy_staffed, n.answers)
            for n in score.load.unstaffed_needed
        ),
        median=seconds_text(latency.median_ms),
        worst=seconds_text(latency.worst_ms),
        stages=tuple(
            StageTiming(STAGE_LABELS[s.stage], s.answers, seconds_text(s.median_ms), seconds_text(s.worst_ms))
            for s in latency.stages
        ),
        late=tuple(
            LateItem(
                asks.get(late.decision, late.decision),
                STAGE_LABELS[late.stage],
                seconds_text(late.latency_ms),
                f"{late.limit_s} s" if late.limit_s else "none set",
                late.timed_out,
            )
            for late in latency.late
        ),
        consensus=tuple(
            ConsensusItem(
                asks.get(d.decision, d.decision),
                d.ballots,
                d.agreeing,
                d.share,
                d.ambiguous,
                " · ".join(f"{', '.join(names.ref(r).name for r in b.roles) or 'nobody'} {b.count}" for b in d.answers),
            )
            for d in consensus.decisions
        )
        if consensus
        else (),
        consensus_mean=consensus.mean_share if consensus else None,
        ambiguous=tuple(asks.get(d, d) for d in consensus.ambiguous) if consensus else (),
    )


def _appendix(
    header: Header, authority_map: AuthorityMap, score: SessionScore, asks: Mapping[str, str], names: _Names
) -> Appendix:
    holders: dict[str, list[str]] = {}
    for entry in header.roster:
        for role in entry.get("roles", []):
            holders.setdefault(str(role), []).append(str(entry.get("name", "")))
    order = {rid: i for i, rid in enumerate(CATALOGUE)}
    assignments = sorted(authority_map.assignments.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    stage_of = {e.id: e.stage for e in authority_map.extra_responsibilities}
    return Appendix(
        parties=tuple(authority_map.parties.items()),
        roles=tuple(
            MapRole(
                names.ref(r.id),
                " ".join(r.summary.split()),
                names.ref(r.deputy) if r.deputy else None,
                tuple(holders.get(r.id, [])),
            )
            for r in authority_map.roles
        ),
        assignments=tuple(
            Assignment(
                responsibility=rid,
                title=responsibility_title(rid, authority_map),
                stage=STAGE_LABELS.get(CATALOGUE[rid].stage if rid in CATALOGUE else stage_of.get(rid, ""), ""),
                accountable=names.ref(a.A),
                responsible=names.refs_of(a.R),
                consulted=names.refs_of(a.C),
                informed=names.refs_of(a.I),
                why=" ".join(a.why.split()),
            )
            for rid, a in assignments
        ),
        unassigned=tuple(rid for rid in CATALOGUE if rid not in authority_map.assignments),
        answers=tuple(
            AnswerRow(
                number=n,
                clock=a.record.clock,
                stage=STAGE_LABELS[a.stage],
                step=a.step,
                decision=a.decision,
                ask=asks.get(a.decision, a.decision),
                responsibility=a.responsibility,
                expected=names.refs_of(a.expected),
                answer=names.refs_of(sorted(set(a.roles))),
                by=a.record.answered_by,
                outcome=a.outcome,
                map_gap=a.map_gap,
                credit=a.credit,
                latency=seconds_text(a.record.latency_ms),
                flags=_flags(a),
                ballots=tuple(
                    (who, names.refs_of(sorted(set(roles)))) for who, roles in sorted(a.record.ballots.items())
                ),
            )
            for n, a in enumerate(score.answers, start=1)
        ),
        unknown_answers=score.unknown_answers,
    )


def build_aar(
    header: Header,
    scenario: Scenario,
    authority_map: AuthorityMap,
    events: Sequence[Mapping[str, Any]],
    score: SessionScore,
    values: Mapping[str, str] | None = None,
    resolved_by_map: Collection[str] = (),
    ballots: PrivateBallots | None = None,
) -> Aar:
    """Every section of the AAR/IP from the journal (header and events), the copies played, and the score.

    `values` are the scenario's variables for the header's seed; pass them when already filled.
    `resolved_by_map`: responsibilities the team resolved by revising the map rather than by training.
    `ballots`: the session's private ballots when already counted; else they are counted from `events`.
    """
    if values is None:
        values = fill_variables(scenario.variables, header.seed) if scenario.variables else {}
    names = _Names(authority_map)
    asks = {d.id: " ".join(render(d.ask, values).split()) for d in scenario.decisions}
    journal_events, events = events, standing_events(events)  # withdrawn answers are in the appendix only
    overview = _overview(header, scenario, authority_map, values, events, score, names)
    improvements = _improvements(score, authority_map, names)
    steps = {s.id: s for s in scenario.steps}
    gaps = tuple(
        MapGapItem(
            g.responsibility,
            responsibility_title(g.responsibility, authority_map),
            g.stage,
            asks.get(g.decision, g.decision),
            render(steps[g.step].title, values) if g.step in steps and steps[g.step].title else g.step,
            g.critical,
            g.answers,
        )
        for g in score.map_gaps
    )
    plan = tuple(
        replace(item, resolved_by_map=True, status=RESOLVED_BY_MAP) if item.responsibility in resolved_by_map else item
        for item in _plan(improvements, gaps, authority_map)
    )
    strengths = Strengths(
        stages=tuple(STAGE_LABELS[s] for s in score.strengths.stages),
        responsibilities=tuple(
            StrengthItem(
                rid,
                responsibility_title(rid, authority_map),
                CATALOGUE[rid].stage if rid in CATALOGUE else "detection",
                names.ref(authority_map.assignments[rid].A) if rid in authority_map.assignments else None,
            )
            for rid in score.strengths.responsibilities
        ),
    )
    return Aar(
        overview=overview,
        summary=_summary(score, asks, plan),
        strengths=strengths,
        improvements=improvements,
        reflection=_reflection(score, names),
        drift=_drift(score, names),
        participation=_participation(score, overview, asks, names),
        timeline=_timeline(scenario, values, events, score, asks, names),
        notes=_note_items(score, steps, values),
        plan=plan,
        map_gaps=gaps,
        appendix=replace(
            _appendix(header, authority_map, score, asks, names),
            corrections=_corrections(journal_events, asks, names),
            withdrawn_ballots=_withdrawn_ballot_rows(journal_events, asks, names),
        ),
        private_ballots=private_ballots_section(
            ballots or private_ballots(scenario, authority_map, roster_from_json(header.roster), journal_events), asks
        ),
    )


def private_ballots_section(result: PrivateBallots | None, asks: Mapping[str, str]) -> PrivateBallotsSection | None:
    """Each person's first answers against the map, and who the team moved towards or away from, per question."""
    if result is None:
        return None
    people = ballot_people(result)
    rounds = tuple(
        BallotRoundItem(
            asks.get(d.decision, d.decision),
            d.team_outcome,
            f"{d.first_aligned} of {len(d.people)}",
            tuple((p.name, p.moved) for p in d.people if p.moved != "stayed"),
        )
        for d in result.decisions
    )
    return PrivateBallotsSection(people, rounds)


def _note_items(score: SessionScore, steps: Mapping[str, Step], values: Mapping[str, str]) -> tuple[NoteItem, ...]:
    return tuple(
        NoteItem(
            n.clock,
            render(steps[n.step].title, values) if n.step in steps and steps[n.step].title else n.step,
            n.by or "facilitator",
            n.text,
        )
        for n in score.notes
    )


def _withdrawn_ballot_rows(
    events: Sequence[Mapping[str, Any]], asks: Mapping[str, str], names: _Names
) -> tuple[WithdrawnBallotRow, ...]:
    return tuple(
        WithdrawnBallotRow(
            asks.get(b.decision, b.decision),
            b.decision,
            b.participant,
            ", ".join(names.ref(r).name for r in b.roles) or "nobody",
            b.reason,
        )
        for b in withdrawn_ballots(events)
    )


def _corrections(
    events: Sequence[Mapping[str, Any]], asks: Mapping[str, str], names: _Names
) -> tuple[CorrectionRow, ...]:
    def said(record: AnswerRecord | None) -> str:
        if record is None:
            return ""
        if record.timed_out:
            return "time ran out"
        return ", ".join(names.ref(r).name for r in record.roles) or "nobody"

    return tuple(
        CorrectionRow(
            c.withdrawn.clock,
            asks.get(c.withdrawn.decision, c.withdrawn.decision),
            c.withdrawn.decision,
            said(c.withdrawn),
            said(c.replaced_by),
            c.reason,
        )
        for c in corrections(events)
    )
