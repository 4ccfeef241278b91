"""The trend report in Markdown: lays out a `TrendReport`, escaping every string that came from a session."""

from __future__ import annotations

from simulator.reporting.markdown import table
from simulator.reporting.markdown_text import cell, inline
from simulator.reporting.trend_report import BallotRow, ChangeRow, ScoreCell, TrendReport
from simulator.wording import plural


def _score(score: ScoreCell) -> str:
    return "—" if score.clarity is None else f"{score.clarity} {score.rating or ''}".strip()


def _change(row: ChangeRow) -> str:
    return row.word if row.delta is None else f"{row.delta} ({row.word})"


def _clarity(report: TrendReport) -> list[str]:
    lines = [
        f"Overall ownership clarity: **{report.overall_text}** `{report.overall.spark}`",
        "",
        "## Clarity over time",
        "",
        f"Clarity in %, with the rating ({report.grouping}).",
        "",
    ]
    per_session, several = report.per_session, report.several_scenarios
    headers = [report.first_column, *([] if per_session else ["Sessions"]), *(["Scenario"] if several else [])]
    headers += ["Overall", *report.stage_names]
    rows = [
        [
            inline(p.label),
            *([] if per_session else [str(p.sessions)]),
            *([cell(p.scenario)] if several else []),
            _score(p.overall),
            *(_score(s) for s in p.stages),
        ]
        for p in report.periods
    ]
    lines += table(headers, rows, right=() if per_session else (1,))
    lines += ["", "## Change by stage", ""]
    lines += table(
        ["Stage", "First", "Latest", "Change", "Over time"],
        [(inline(c.name), c.first, c.last, _change(c), f"`{c.spark}`") for c in report.stages],
        right=(1, 2),
    )
    if not per_session:
        lines += ["", "## Ratings over time", "", "Sessions by overall rating in each period.", ""]
        lines += table(
            [report.first_column, "P", "S", "M", "U"],
            [[inline(p.label), *(str(n) for _, n in p.ratings)] for p in report.periods],
            right=(1, 2, 3, 4),
        )
    return lines


def _drifting(report: TrendReport) -> list[str]:
    lines = ["", "## Responsibilities that keep drifting", ""]
    if not report.drifting:
        return [*lines, "None: every responsibility was placed cleanly in every session."]
    lines += [
        "Responsibilities the team did not place cleanly, most sessions first; who acted instead counts"
        " sessions. “Still” means it went wrong in the latest session that asked it.",
        "",
    ]
    return lines + table(
        ["Responsibility", "Went wrong", "Drift · overlap · gap", "Map's owner", "Acted instead", "Last", "Still"],
        [
            (
                f"{cell(d.title)} (`{d.responsibility}`)",
                f"{d.troubled} of {d.asked} ({d.share:.0%})",
                f"{d.drift} · {d.overlap} · {d.gap}",
                cell(d.owners),
                cell(d.actors),
                d.last,
                "yes" if d.recent else "no",
            )
            for d in report.drifting
        ],
    )


def _people(report: TrendReport) -> list[str]:
    lines = ["", "## Participants' load over time", ""]
    if not report.people:
        return [*lines, "No roster was recorded."]
    lines += ["Decisions carried: answers a person gave or that named one of their roles." + report.people_more, ""]
    headers = ["Participant", "Sessions", "First", "Last", "Roles held (mean · latest)"]
    headers += ["Decisions (mean · first → latest)", "Many roles"]
    rows = [
        (
            cell(x.name),
            str(x.sessions),
            x.first,
            x.last,
            x.roles,
            x.decisions,
            plural(x.overloaded, "session") if x.overloaded else "—",
        )
        for x in report.people
    ]
    return lines + table(headers, rows, right=(1,))


def _ballot_cells(row: BallotRow) -> list[str]:
    return [inline(row.label), str(row.ballots), row.first_on_map, row.team_on_map, row.shift, row.agreed, row.moved]


def _ballots(report: TrendReport) -> list[str]:
    section = report.ballots
    lines = ["", "## Private ballots", "", section.counted]
    if not section.present:
        return lines
    lines += ["", section.note, ""]
    rows = [_ballot_cells(r) for r in section.rows] + [[f"**{c}**" for c in _ballot_cells(section.total)]]
    headers = [report.first_column, "Ballots", "First answers on the map", "Team on the map", "Shift"]
    lines += table([*headers, "Already the team's", "Towards · away"], rows, right=(1, 2, 3, 4, 5, 6))
    lines += ["", f"First answers on the map over time: `{section.spark}`"]
    if section.people:
        lines += ["", "### Whose private first answers miss the map most", ""]
        lines += ["Across the sessions with private ballots, most often off the map first." + section.people_more, ""]
        lines += table(
            ["Participant", "Sessions", "First answers off the map", "First → latest session", "Towards · away"],
            [(cell(x.name), str(x.sessions), x.off_map, x.first_latest, x.moved) for x in section.people],
            right=(1, 2, 3, 4),
        )
    return lines


def _read(report: TrendReport) -> list[str]:
    lines = ["", "## Sessions read", ""]
    lines.append(
        f"{report.from_reports} from report.json, {report.from_journals} scored again from their journal"
        + (f"; {report.filtered} left out by the filters" if report.filtered else "")
        + "."
    )
    lines += [f"- not a folder: {inline(root)}" for root in report.missing]
    if report.skipped:
        lines += ["", f"Skipped {report.skipped_total}:", ""]
        lines += [f"- {inline(s.folder)}: {inline(s.reason)}" for s in report.skipped]
        if report.skipped_more:
            lines.append(f"- … and {report.skipped_more} more")
    return lines


# ttx's mark (simulator.safewrite.MARKS): a comment Markdown viewers do not show, so `-o` may replace its own file.
MARKDOWN_TREND_MARK = "<!-- ttx trend: ownership clarity over time -->"


def trend_markdown(report: TrendReport) -> str:
    """The trend across sessions as one Markdown document."""
    lines = [MARKDOWN_TREND_MARK, f"# {report.title}", "", f"*{inline(report.scope)}*", ""]
    if report.sessions:
        lines += _clarity(report) + _drifting(report) + _people(report) + _ballots(report)
    else:
        lines += ["No session could be read.", ""]
    lines += _read(report)
    return "\n".join(lines).rstrip() + "\n"
