"""Trends across exercises: many sessions read cheaply, grouped over time (see docs/reports.md).

Reading. Every folder below the given ones that holds a `journal.jsonl` or a
`report.json` is a session. A session's `report.json` is used when it is a
complete `ttx-report/1` document at least as new as its journal: it is read as
a regular file of bounded size and decoded by the JSON parser, whatever its
layout; the role names of its map are kept once per map. Otherwise the session
is scored again from its journal and the scenario and map copies kept with it,
exactly as `ttx report` does. A session that cannot be read either way (a
foreign or torn file, a journal of another format, a session that has not
ended) is skipped with the reason; nothing raises.

Aggregating. Sessions are ordered by start time. Up to `MAX_ROWS` sessions are
shown one by one; beyond that they are grouped by the finest of week, month,
quarter or year that gives at most `MAX_ROWS` groups. Clarity of a group is the
mean of its sessions' clarity; its rating is the most common letter (the worse
one on a tie).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from simulator.catalogue import CATALOGUE, STAGES
from simulator.corrections import standing_answers
from simulator.frozen import frozen
from simulator.journal import Event, JournalError, read_journal
from simulator.loading import LoadError, load_map, load_scenario
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.reporting.aar import STAGE_LABELS, parse_time
from simulator.reporting.figures import rating_bounds
from simulator.reporting.json_report import REPORT_FORMAT, build_report
from simulator.reporting.trend_ballots import SessionBallots, TrendBallots, ballots_from_report, trend_ballots
from simulator.safefiles import MAX_REPORT_BYTES, InputFileError, read_regular
from simulator.safetext import strip_controls
from simulator.scoring import DEFAULT_SETTINGS
from simulator.scoring.settings import ScoringSettings
from simulator.sessions import JOURNAL_NAME, REPORT_JSON, SEATS_JSON, roster_from_json

MAX_ROWS = 24
TOP_DRIFTING = 12
TOP_PEOPLE = 20
STEADY = 5.0  # a change of clarity smaller than this many points is "steady"
RATING_ORDER = {"P": 0, "S": 1, "M": 2, "U": 3}
# A report.json holds one session's figures and copies; even thousands of decisions stay well below this.

Json = dict[str, Any]
Bounds = tuple[tuple[float, str], ...]  # (lowest clarity, letter) for P, S and M, from the scoring settings
DEFAULT_BOUNDS: Bounds = rating_bounds(DEFAULT_SETTINGS)


# --- one session ------------------------------------------------------------------


@frozen
class Trouble:
    """A responsibility the team did not place cleanly in one session."""

    responsibility: str
    owner: str  # the map's A
    acted: tuple[str, ...]  # roles that acted outside the expected set
    overlap: int
    drift: int
    gap: int
    critical: bool


@frozen
class PersonLoad:
    name: str
    roles: int
    decisions: int
    many_roles: bool


@frozen
class SessionPoint:
    folder: str
    started: datetime
    scenario_id: str
    scenario_title: str
    map_id: str
    map_title: str
    mode: str
    clarity: float | None
    rating: str | None
    stages: tuple[tuple[float | None, str | None], ...]  # (clarity, rating) in stage order
    asked: frozenset[str]  # responsibilities scored in the session
    troubles: tuple[Trouble, ...]
    people: tuple[PersonLoad, ...]
    names: Mapping[str, str]  # role id -> name, for the session's map
    source: str  # "report.json" or "journal"
    bounds: Bounds = DEFAULT_BOUNDS  # the rating thresholds the session was scored with
    ballots: SessionBallots | None = None  # None: no private ballot was cast


@frozen
class Skipped:
    folder: str
    reason: str


class Unreadable(Exception):
    """A session that cannot be used; the message says why."""


def _report_text(path: str) -> str:
    """The text of a report.json: a regular file of at most `MAX_REPORT_BYTES`, in UTF-8."""
    try:
        data = read_regular(path, MAX_REPORT_BYTES)
    except InputFileError as error:
        raise Unreadable(f"report.json: {error}") from None
    try:
        return data.decode("utf-8")  # decoded first: a parser would guess UTF-16 from a BOM
    except UnicodeDecodeError:
        raise Unreadable("report.json is not UTF-8 text") from None


def _decoded_whole(text: str) -> Json:
    """A whole report.json decoded by Python's JSON parser, or Unreadable saying where it is damaged."""
    try:
        report = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(
            f"report.json is not valid JSON ({error.msg}, line {error.lineno}); cut short by an interrupted write?"
        ) from None
    if not isinstance(report, dict):
        raise Unreadable(f"report.json is a JSON {type(report).__name__}, not an object")
    return report


class _TrendBlocks(msgspec.Struct):
    """The blocks of a report.json a trend point is made of. The others (every decision, the reflection...)
    are skipped by the parser without being built, which makes reading 10,000 sessions several times faster;
    the map snapshot is kept raw and decoded only for a map not met before."""

    format: Any = msgspec.UNSET
    exercise: Any = msgspec.UNSET
    overall: Any = msgspec.UNSET
    stages: Any = msgspec.UNSET
    improvements: Any = msgspec.UNSET
    strengths: Any = msgspec.UNSET
    load: Any = msgspec.UNSET
    settings: Any = msgspec.UNSET
    private_ballots: Any = msgspec.UNSET
    map_snapshot: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET


_BLOCKS_DECODER = msgspec.json.Decoder(_TrendBlocks)


def read_trend_blocks(path: str) -> tuple[Json, Callable[[], Any]]:
    """The blocks of a report.json that `point_from_report` reads, and a function decoding its map snapshot.

    A file the fast parser refuses is parsed again by Python's JSON parser, so that what is wrong with it
    is said in that parser's words (where the file is cut short, say).
    """
    text = _report_text(path)
    try:
        blocks = _BLOCKS_DECODER.decode(text)
    except msgspec.DecodeError as error:
        _decoded_whole(text)  # raises Unreadable in the JSON parser's words, for what it refuses too
        raise Unreadable(f"report.json is not valid JSON ({error})") from None  # NaN, say: Python's JSON allows it
    report = {
        name: value
        for name in _TrendBlocks.__struct_fields__
        if name != "map_snapshot" and (value := getattr(blocks, name)) is not msgspec.UNSET
    }
    raw = blocks.map_snapshot

    def map_snapshot() -> Any:
        if isinstance(raw, msgspec.UnsetType):
            raise KeyError("map_snapshot")
        return json.loads(bytes(raw))

    return report, map_snapshot


def _stage_pair(block: Mapping[str, Any]) -> tuple[float | None, str | None]:
    clarity = block.get("clarity")
    rating = block.get("rating")
    return (float(clarity) if clarity is not None else None, str(rating) if rating is not None else None)


def _bounds(settings: Mapping[str, Any]) -> Bounds:
    """The rating thresholds from a report's `settings` block, checked as the scoring checks them."""
    return rating_bounds(
        ScoringSettings(
            performed=float(settings["performed"]),
            some_challenges=float(settings["some_challenges"]),
            major_challenges=float(settings["major_challenges"]),
        )
    )


def point_from_report(report: Mapping[str, Any], folder: str, names: Mapping[str, str], source: str) -> SessionPoint:
    """A trend point from a ttx-report/1 document (whole, or the blocks `_parts` decodes)."""
    if report.get("format") != REPORT_FORMAT:
        raise Unreadable(f"report.json is format {report.get('format')!r}, not '{REPORT_FORMAT}'")
    try:
        exercise = report["exercise"]
        started = parse_time(str(exercise["started_at"]))
        if started is None:
            raise Unreadable(f"report.json has no valid start time ({exercise['started_at']!r})")
        by_stage = {s["stage"]: _stage_pair(s) for s in report["stages"]}
        troubles = tuple(
            Trouble(
                responsibility=str(i["responsibility"]),
                owner=str(i["owner"]),
                acted=tuple(str(a) for a in i["acted"]),
                overlap=int(i["outcomes"].get("overlap", 0)),
                drift=int(i["outcomes"].get("drift", 0)),
                gap=int(i["outcomes"].get("gap", 0)),
                critical=bool(i["critical"]),
            )
            for i in report["improvements"]
        )
        asked = frozenset(str(r) for r in report["strengths"]["responsibilities"]) | {
            t.responsibility for t in troubles
        }
        people = tuple(
            PersonLoad(str(p["name"]), len(p["roles"]), int(p["decisions"]), bool(p["many_roles"]))
            for p in report["load"]["people"]
        )
        overall = _stage_pair(report["overall"])
        return SessionPoint(
            folder=folder,
            started=started,
            scenario_id=str(exercise["scenario"]["id"]),
            scenario_title=str(exercise["scenario"]["title"]),
            map_id=str(exercise["map"]["id"]),
            map_title=str(exercise["map"]["title"]),
            mode=str(exercise["mode"]),
            clarity=overall[0],
            rating=overall[1],
            stages=tuple(by_stage.get(stage, (None, None)) for stage in STAGES),
            asked=asked,
            troubles=troubles,
            people=people,
            names=names,
            source=source,
            bounds=_bounds(report["settings"]),
            ballots=ballots_from_report(report.get("private_ballots")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise Unreadable(
            f"report.json does not have the {REPORT_FORMAT} shape ({type(error).__name__}: {error})"
        ) from None


def _modified(path: str) -> float | None:
    """The file's modification time; None when it is not a regular file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime if stat.S_ISREG(status.st_mode) else None


@dataclass
class Reader:
    """Reads sessions for a trend, sharing what many sessions have in common (maps, scenarios)."""

    scenario: str | None = None
    map_id: str | None = None
    _names: dict[str, dict[str, str]] = field(default_factory=dict)
    _models: dict[str, Any] = field(default_factory=dict)

    def read(self, folder: Path) -> SessionPoint | None:
        """The session's point; None when a filter leaves it out. Raises Unreadable."""
        report_path = os.path.join(folder, REPORT_JSON)
        journal_time, report_time = _modified(os.path.join(folder, JOURNAL_NAME)), _modified(report_path)
        has_journal = journal_time is not None
        problem = ""
        if report_time is not None and (journal_time is None or report_time >= journal_time):
            try:
                return self._from_report(report_path, folder)
            except Unreadable as error:
                problem = str(error)
        if not has_journal:
            raise Unreadable(f"{problem or 'report.json cannot be used'}, and there is no journal to score it from")
        return self._from_journal(folder)

    def _keep(self, scenario_id: str, map_id: str) -> bool:
        return (self.scenario is None or scenario_id == self.scenario) and (
            self.map_id is None or map_id == self.map_id
        )

    def _from_report(self, path: str, folder: Path) -> SessionPoint | None:
        report, map_snapshot = read_trend_blocks(path)
        if report.get("format") != REPORT_FORMAT:
            raise Unreadable(f"report.json is format {report.get('format')!r}, not '{REPORT_FORMAT}'")
        try:
            exercise = report["exercise"]
            if not self._keep(str(exercise["scenario"]["id"]), str(exercise["map"]["id"])):
                return None
            sha = str(exercise["map"].get("sha256", ""))
        except (KeyError, TypeError, AttributeError):
            raise Unreadable(f"report.json does not have the {REPORT_FORMAT} shape (no exercise block)") from None
        names = self._names.get(sha) if sha else None
        if names is None:
            try:
                names = {str(r["id"]): str(r["name"]) for r in map_snapshot()["roles"]}
            except (KeyError, TypeError):
                names = {}
            if sha:
                self._names[sha] = names
        return point_from_report(report, str(folder), names, "report.json")

    def _model(self, path: Path, loader: str) -> Any:
        try:
            data = read_regular(path)  # a copy linked to /dev/zero must not be read without end
        except InputFileError as error:
            raise Unreadable(f"the {loader} copy kept with the session cannot be read: {error}") from None
        key = f"{loader}:{hashlib.sha256(data).hexdigest()}"
        if key not in self._models:
            self._models[key] = load_scenario(path) if loader == "scenario" else load_map(path)
        return self._models[key]

    def _from_journal(self, folder: Path) -> SessionPoint | None:
        from simulator.reporting.files import score_events

        try:
            contents = read_journal(folder / JOURNAL_NAME)
        except JournalError as error:
            raise Unreadable(str(error)) from None
        header = contents.header
        if not self._keep(header.scenario.id, header.map.id):
            return None
        if not contents.ended:
            answers = len(standing_answers(contents.events))
            how = "ttx host --resume" if (folder / SEATS_JSON).is_file() else "ttx resume"
            so_far = f"{answers} answer{'' if answers == 1 else 's'} so far"
            raise Unreadable(f"the session has not ended ({so_far}); finish it with '{how}'")
        try:
            scenario: Scenario = self._model(folder / header.scenario.copy, "scenario")
            authority_map: AuthorityMap = self._model(folder / header.map.copy, "map")
            roster = roster_from_json(header.roster)
        except OSError as error:
            raise Unreadable(f"a copy kept with the session cannot be read ({error})") from None
        except LoadError as error:
            first = error.findings[0] if error.findings else "invalid"
            raise Unreadable(f"a copy kept with the session does not load: {first}") from None
        except ValueError as error:
            raise Unreadable(f"malformed roster in the journal header ({error})") from None
        _check_replay(folder, scenario, authority_map, roster, header.seed, contents.events)
        score = score_events(scenario, authority_map, roster, contents.events)
        report = build_report(header, scenario, authority_map, score, contents.events)
        names = {r.id: r.name for r in authority_map.roles}
        return point_from_report(report, str(folder), names, "journal")


def _check_replay(
    folder: Path, scenario: Scenario, authority_map: AuthorityMap, roster: Roster, seed: int, events: Sequence[Event]
) -> None:
    """Refuse a journal that does not replay (a duplicated answer, two endings...), as `ttx report` does."""
    from simulator.engine import Engine, ResumeError

    try:
        Engine.restore(scenario, authority_map, roster, seed, events)
    except ResumeError as error:
        raise Unreadable(strip_controls(f"{folder / JOURNAL_NAME}: {error}", multiline=False)) from None


def session_folders(roots: Iterable[Path]) -> Iterator[Path]:
    """Session folders at or below `roots`, each once, in path order; hidden folders are not entered."""
    seen: set[str] = set()
    for root in roots:
        shown = os.fspath(root)
        real = os.path.realpath(shown)  # once per root: the walk below does not follow links
        found: list[tuple[str, str]] = []  # (the folder as the user named it, its real path)
        if os.path.isfile(os.path.join(real, JOURNAL_NAME)) or os.path.isfile(os.path.join(real, REPORT_JSON)):
            found.append((shown, real))
        else:
            for here, dirs, files in os.walk(real):
                if JOURNAL_NAME in files or REPORT_JSON in files:
                    found.append((shown + here[len(real) :], here))
                    dirs.clear()  # sessions do not nest
                else:
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for folder, key in sorted(found, key=lambda pair: pair[0].split(os.sep)):  # as paths sort
            if key not in seen:
                seen.add(key)
                yield Path(folder)


@dataclass
class Collected:
    points: list[SessionPoint]
    skipped: list[Skipped]
    missing: list[str]  # roots that are not folders
    filtered: int  # sessions left out by --scenario / --map


def collect(roots: Sequence[Path], scenario: str | None = None, map_id: str | None = None) -> Collected:
    """Every readable session below `roots`, oldest first; the unreadable ones with their reason."""
    reader = Reader(scenario, map_id)
    points: list[SessionPoint] = []
    skipped: list[Skipped] = []
    filtered = 0
    for folder in session_folders(r for r in roots if r.is_dir()):
        try:
            point = reader.read(folder)
        except Unreadable as error:
            skipped.append(Skipped(str(folder), str(error)))
            continue
        except (OSError, ValueError, UnicodeDecodeError) as error:
            skipped.append(Skipped(str(folder), f"cannot be read ({error})"))
            continue
        if point is None:
            filtered += 1
        else:
            points.append(point)
    points.sort(key=lambda p: (p.started, p.folder))
    return Collected(points, skipped, [str(r) for r in roots if not r.is_dir()], filtered)


# --- over time --------------------------------------------------------------------


def _period_key(moment: datetime, unit: str) -> str:
    if unit == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{moment.year}-{moment.month:02d}"
    if unit == "quarter":
        return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"
    return str(moment.year)


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _modal(letters: Iterable[str | None]) -> str | None:
    counts = Counter(x for x in letters if x is not None)
    if not counts:
        return None
    return max(counts, key=lambda x: (counts[x], RATING_ORDER.get(x, 9)))


@frozen
class Period:
    label: str
    sessions: int
    first: datetime
    clarity: float | None
    rating: str | None
    ratings: Mapping[str, int]  # overall letters in the period
    stages: tuple[tuple[float | None, str | None], ...]  # mean clarity and modal rating per stage
    scenario: str  # the scenario title when one session, else "n scenarios"


@frozen
class Change:
    name: str
    first: float | None
    last: float | None

    @property
    def delta(self) -> float | None:
        return None if self.first is None or self.last is None else self.last - self.first

    @property
    def word(self) -> str:
        delta = self.delta
        if delta is None:
            return "not enough data"
        if delta >= STEADY:
            return "improving"
        return "declining" if delta <= -STEADY else "steady"


@frozen
class Drifting:
    responsibility: str
    title: str
    asked: int  # sessions that scored it
    troubled: int  # sessions where it was not placed cleanly
    overlap: int
    drift: int
    gap: int
    critical: int  # sessions where it went wrong on a critical decision
    owners: tuple[str, ...]  # the map's A, by name, most frequent first
    actors: tuple[tuple[str, int], ...]  # (role name, sessions), most frequent first
    last: datetime
    recent: bool  # troubled in the latest session that asked it

    @property
    def share(self) -> float:
        return self.troubled / self.asked if self.asked else 0.0


@frozen
class PersonTrend:
    name: str
    sessions: int
    first: datetime
    last: datetime
    roles_mean: float
    roles_latest: int
    decisions_mean: float
    decisions_first: int
    decisions_latest: int
    overloaded: int  # sessions holding many roles
    series: tuple[int | None, ...]  # decisions carried per period (None: not there)


@frozen
class Trend:
    points: tuple[SessionPoint, ...]
    skipped: tuple[Skipped, ...]
    missing: tuple[str, ...]
    filtered: int
    scenario: str | None
    map_id: str | None
    unit: str  # "session", "week", "month", "quarter" or "year"
    periods: tuple[Period, ...]
    overall: Change
    stages: tuple[Change, ...]
    drifting: tuple[Drifting, ...]
    people: tuple[PersonTrend, ...]
    people_total: int
    from_reports: int
    from_journals: int
    bounds: Bounds  # the rating thresholds to draw: the latest session's
    bounds_vary: bool  # sessions were scored with different thresholds
    ballots: TrendBallots  # private ballots, over the sessions that had them

    @property
    def first(self) -> datetime | None:
        return self.points[0].started if self.points else None

    @property
    def last(self) -> datetime | None:
        return self.points[-1].started if self.points else None


def _grouping(points: Sequence[SessionPoint]) -> tuple[str, list[tuple[str, list[SessionPoint]]]]:
    if len(points) <= MAX_ROWS:
        return "session", [(p.started.strftime("%Y-%m-%d %H:%M"), [p]) for p in points]
    for unit in ("week", "month", "quarter", "year"):
        groups: dict[str, list[SessionPoint]] = {}
        for p in points:
            groups.setdefault(_period_key(p.started, unit), []).append(p)
        if len(groups) <= MAX_ROWS or unit == "year":
            return unit, list(groups.items())
    raise AssertionError("unreachable")


def _period(label: str, group: Sequence[SessionPoint]) -> Period:
    scenarios = {p.scenario_title for p in group}
    return Period(
        label=label,
        sessions=len(group),
        first=group[0].started,
        clarity=_mean(p.clarity for p in group),
        rating=_modal(p.rating for p in group),
        ratings=dict(Counter(p.rating for p in group if p.rating)),
        stages=tuple(
            (_mean(p.stages[i][0] for p in group), _modal(p.stages[i][1] for p in group)) for i in range(len(STAGES))
        ),
        scenario=next(iter(scenarios)) if len(scenarios) == 1 else f"{len(scenarios)} scenarios",
    )


def _change(name: str, values: Sequence[float | None]) -> Change:
    kept = [v for v in values if v is not None]
    if len(kept) < 2:
        return Change(name, kept[0] if kept else None, None)
    return Change(name, kept[0], kept[-1])


def _drifting(points: Sequence[SessionPoint]) -> list[Drifting]:
    asked: Counter[str] = Counter()
    latest_asked: dict[str, SessionPoint] = {}
    for p in points:
        for rid in p.asked:
            asked[rid] += 1
            latest_asked[rid] = p
    troubled: dict[str, list[tuple[SessionPoint, Trouble]]] = {}
    for p in points:
        for t in p.troubles:
            troubled.setdefault(t.responsibility, []).append((p, t))
    items = []
    for rid, hits in troubled.items():
        owners: Counter[str] = Counter()
        actors: Counter[str] = Counter()
        for p, t in hits:
            owners[p.names.get(t.owner, t.owner)] += 1
            for name in {p.names.get(role, role) for role in t.acted}:
                actors[name] += 1
        latest = latest_asked.get(rid)
        known = CATALOGUE.get(rid)
        items.append(
            Drifting(
                responsibility=rid,
                title=known.title if known else rid,
                asked=max(asked[rid], len(hits)),
                troubled=len(hits),
                overlap=sum(t.overlap for _, t in hits),
                drift=sum(t.drift for _, t in hits),
                gap=sum(t.gap for _, t in hits),
                critical=sum(t.critical for _, t in hits),
                owners=tuple(name for name, _ in owners.most_common()),
                actors=tuple(sorted(actors.items(), key=lambda item: (-item[1], item[0]))),  # ties by name
                last=hits[-1][0].started,
                recent=latest is not None and any(p is latest for p, _ in hits),
            )
        )
    items.sort(key=lambda d: (-d.troubled, -d.share, -d.critical, d.responsibility))
    return items


def _people(points: Sequence[SessionPoint], periods: Sequence[tuple[str, Sequence[SessionPoint]]]) -> list[PersonTrend]:
    seen: dict[str, list[tuple[SessionPoint, PersonLoad]]] = {}
    for p in points:
        for person in p.people:
            seen.setdefault(person.name, []).append((p, person))
    index = {id(p): i for i, (_, group) in enumerate(periods) for p in group}
    items = []
    for name, hits in seen.items():
        per_period: dict[int, list[int]] = {}
        for p, person in hits:
            per_period.setdefault(index[id(p)], []).append(person.decisions)
        series = tuple(
            round(sum(per_period[i]) / len(per_period[i])) if i in per_period else None for i in range(len(periods))
        )
        items.append(
            PersonTrend(
                name=name,
                sessions=len(hits),
                first=hits[0][0].started,
                last=hits[-1][0].started,
                roles_mean=sum(x.roles for _, x in hits) / len(hits),
                roles_latest=hits[-1][1].roles,
                decisions_mean=sum(x.decisions for _, x in hits) / len(hits),
                decisions_first=hits[0][1].decisions,
                decisions_latest=hits[-1][1].decisions,
                overloaded=sum(x.many_roles for _, x in hits),
                series=series,
            )
        )
    items.sort(key=lambda x: (-x.sessions, -x.decisions_mean, x.name))
    return items


def build_trend(collected: Collected, scenario: str | None = None, map_id: str | None = None) -> Trend:
    points = collected.points
    unit, groups = _grouping(points)
    periods = tuple(_period(label, group) for label, group in groups)
    people = _people(points, groups)
    return Trend(
        points=tuple(points),
        skipped=tuple(collected.skipped),
        missing=tuple(collected.missing),
        filtered=collected.filtered,
        scenario=scenario,
        map_id=map_id,
        unit=unit,
        periods=periods,
        overall=_change("Overall", [p.clarity for p in periods]),
        stages=tuple(_change(STAGE_LABELS[stage], [p.stages[i][0] for p in periods]) for i, stage in enumerate(STAGES)),
        drifting=tuple(_drifting(points)[:TOP_DRIFTING]),
        people=tuple(people[:TOP_PEOPLE]),
        people_total=len(people),
        from_reports=sum(p.source == "report.json" for p in points),
        from_journals=sum(p.source == "journal" for p in points),
        bounds=points[-1].bounds if points else DEFAULT_BOUNDS,
        bounds_vary=len({p.bounds for p in points}) > 1,
        ballots=trend_ballots([(label, [p.ballots for p in group]) for label, group in groups]),
    )


def trend_of(roots: Sequence[Path], scenario: str | None = None, map_id: str | None = None) -> Trend:
    """Read every session below `roots` and put them in order over time."""
    return build_trend(collect(roots, scenario, map_id), scenario, map_id)
