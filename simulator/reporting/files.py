"""Every report format of one session, and writing them into its folder (see docs/reports.md).

    report.json            ttx-report/1, for other tools (docs/report-json.md)
    report.md              the AAR/IP in Markdown
    report.html            the AAR/IP as one self-contained page with charts
    improvement-plan.csv   the improvement plan, one row per item

All of them come from one `SessionReport`: the journal header and events, the
scenario and map copies, and one `SessionScore`. Nothing is scored twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.corrections import standing_answers
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.records import Header
from simulator.reporting.json_report import build_document, dumps_report
from simulator.reporting.report_document import ReportDocument, plain
from simulator.safewrite import write_output
from simulator.scoring import SessionScore, score_session
from simulator.scoring.private_ballots import PrivateBallots, private_ballots
from simulator.sessions import REPORT_JSON, Session, roster_from_json, with_joined
from simulator.templating import fill_variables

if TYPE_CHECKING:
    from simulator.reporting.aar import Aar
    from simulator.reporting.summary import TerminalSummary

REPORT_MD = "report.md"
REPORT_HTML = "report.html"
PLAN_CSV = "improvement-plan.csv"
FILE_NAMES: dict[str, str] = {"json": REPORT_JSON, "md": REPORT_MD, "html": REPORT_HTML, "csv": PLAN_CSV}
FORMATS = tuple(FILE_NAMES)


@dataclass
class SessionReport:
    """One scored session and every rendering of it, each computed once when first asked for."""

    header: Header
    scenario: Scenario
    authority_map: AuthorityMap
    events: Sequence[Mapping[str, Any]]
    score: SessionScore
    resolved_by_map: frozenset[str] = frozenset()  # responsibilities fixed in the map, not by training
    tampered: tuple[int, ...] = ()  # journal lines where the hash chain breaks (scored with --accept-tampered)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.header = self.header.with_joined(self.events)  # everyone who took part, joined during play or not

    @cached_property
    def values(self) -> dict[str, str]:
        return fill_variables(self.scenario.variables, self.header.seed) if self.scenario.variables else {}

    @cached_property
    def private_ballots(self) -> PrivateBallots | None:
        roster = roster_from_json(self.header.roster)
        return private_ballots(self.scenario, self.authority_map, roster, self.events)

    @cached_property
    def document(self) -> ReportDocument:
        """report.json's model; every figure of it, the journal chain and the private ballots, built once."""
        return build_document(
            self.header, self.scenario, self.authority_map, self.score, self.private_ballots, self.tampered
        )

    @cached_property
    def json(self) -> dict[str, Any]:
        return plain(self.document)  # type: ignore[no-any-return]

    @cached_property
    def summary(self) -> TerminalSummary:
        """The terminal summary's model, private ballots included."""
        from simulator.reporting.summary import summary_of

        return summary_of(self.score, self.private_ballots)

    @cached_property
    def aar(self) -> Aar:
        # Imported here: `ttx run` writes only report.json and should not pay for the AAR's machinery.
        from simulator.reporting.aar import build_aar

        aar = build_aar(
            self.header,
            self.scenario,
            self.authority_map,
            self.events,
            self.score,
            self.values,
            self.resolved_by_map,
            self.private_ballots,
        )
        return replace(aar, tampered=self.tampered) if self.tampered else aar

    def text(self, format_: str) -> str:
        """The report as text in `format_` (json, md, html or csv)."""
        if format_ not in self._texts:
            self._texts[format_] = self._render(format_)
        return self._texts[format_]

    def _render(self, format_: str) -> str:
        if format_ == "json":
            return dumps_report(self.json)
        if format_ == "md":
            from simulator.reporting.markdown import aar_markdown

            return aar_markdown(self.aar)
        if format_ == "html":
            from simulator.reporting.html import aar_html

            return aar_html(self.aar)
        if format_ == "csv":
            from simulator.reporting.csv_plan import plan_csv

            return plan_csv(self.aar)
        raise ValueError(f"unknown report format '{format_}'; expected one of: {', '.join(FORMATS)}")


def score_events(
    scenario: Scenario, authority_map: AuthorityMap, roster: Roster, events: Sequence[Mapping[str, Any]]
) -> SessionScore:
    """Score a session from its journal events, as `ttx report` and `ttx run` do.

    Everyone who joined during play (`participant_joined`) is added to `roster`, if not in it yet.
    """
    roster = with_joined(roster, events)
    answers = standing_answers(events)  # a withdrawn answer is not scored
    notes = [e for e in events if e.get("type") == "note_added"]
    return score_session(scenario, authority_map, roster, answers, notes=notes)


def session_report(session: Session, score: SessionScore | None = None) -> SessionReport:
    """The reports of a session read back from its folder; scored from its journal unless `score` is given."""
    events = session.contents.events
    if score is None:
        score = score_events(session.scenario, session.authority_map, session.roster, events)
    from simulator.map_revisions import resolved_by_map

    resolved = resolved_by_map(session.folder)
    tampered = tuple(session.contents.broken_lines)
    return SessionReport(session.header, session.scenario, session.authority_map, events, score, resolved, tampered)


def write_report_file(path: Path, format_: str, text: str, *, force: bool = False) -> None:
    """Write one report in one step by ttx's output rules (simulator.safewrite); an OSError when it cannot.

    The CSV starts with a byte-order mark, so a spreadsheet reads its names as UTF-8.
    """
    write_output(path, "\ufeff" + text if format_ == "csv" else text, force=force)


def write_session_reports(report: SessionReport, folder: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write every format into `folder` under its usual name; returns the paths written, in `formats` order."""
    written = []
    for format_ in formats:
        path = folder / FILE_NAMES[format_]
        write_report_file(path, format_, report.text(format_))
        written.append(path)
    return written
