"""`ttx trend` on the terminal (Rich): clarity per period and stage, what keeps drifting, who carries the load.

The trend is read and aggregated in `simulator.reporting.trend` and worded in
`simulator.reporting.trend_report`; this module only lays the model out.
Text from sessions (names, titles, labels) goes to Rich as `Text`, never as a
string, so a bracket in a name is shown as typed and never read as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.reporting.terminal import RATING_STYLES
from simulator.reporting.trend_report import ScoreCell, TrendReport


def _score(score: ScoreCell) -> Text:
    if score.clarity is None:
        return Text("—", style="dim")
    return Text.assemble(f"{score.clarity} ", (score.rating or "", RATING_STYLES.get(score.rating or "P", "")))  # type: ignore[call-overload]


def _periods(report: TrendReport) -> Table:
    table = Table(title=f"Clarity % and rating, {report.grouping}", title_justify="left")
    table.add_column(report.first_column)
    if not report.per_session:
        table.add_column("Sessions", justify="right")
    table.add_column("Overall", justify="right")
    for name in report.stage_names:
        table.add_column(name[:5], justify="right")
    for p in report.periods:
        counts = [] if report.per_session else [str(p.sessions)]
        table.add_row(Text(p.short_label), *counts, _score(p.overall), *(_score(s) for s in p.stages))
    return table


def _stages(report: TrendReport) -> Table:
    table = Table(title="Change, first to latest", title_justify="left")
    table.add_column("Stage")
    table.add_column("First", justify="right")
    table.add_column("Latest", justify="right")
    table.add_column("Change")
    table.add_column("Over time")
    for change in report.stages:
        delta = change.word if change.delta is None else f"{change.delta} {change.word}"
        table.add_row(Text(change.name), change.first, change.last, delta, change.spark)
    return table


def _drifting(report: TrendReport) -> Table:
    table = Table(title="Responsibilities that keep drifting", title_justify="left")
    table.add_column("Responsibility")
    table.add_column("Went wrong", justify="right")
    table.add_column("Map's owner")
    table.add_column("Acted instead (sessions)")
    table.add_column("Still")
    for d in report.drifting:
        table.add_row(
            Text(d.title),
            f"{d.troubled}/{d.asked}",
            Text(d.owners),
            Text(d.actors_short),
            Text("yes", style="red") if d.recent else Text("no", style="dim"),
        )
    return table


def _people(report: TrendReport) -> Table:
    table = Table(title="Participants' load", title_justify="left")
    table.add_column("Participant")
    table.add_column("Sessions", justify="right")
    table.add_column("Roles (mean · latest)")
    table.add_column("Decisions (mean · first → latest)")
    table.add_column("Many roles", justify="right")
    for x in report.people:
        table.add_row(Text(x.name), str(x.sessions), x.roles, x.decisions, str(x.overloaded) if x.overloaded else "—")
    return table


def _ballot_rows(report: TrendReport) -> Table:
    section = report.ballots
    table = Table(title="Private ballots: first answers and the team's, after the reveal", title_justify="left")
    table.add_column(report.first_column)
    table.add_column("Ballots", justify="right")
    table.add_column("First answers on the map", justify="right")
    table.add_column("Team on the map", justify="right")
    table.add_column("Shift", justify="right")
    table.add_column("Already the team's", justify="right")
    table.add_column("Towards · away", justify="right")
    for row in (*section.rows, section.total):
        style = "bold" if row is section.total else None
        cells = (str(row.ballots), row.first_on_map, row.team_on_map, row.shift, row.agreed, row.moved)
        table.add_row(Text(row.label), *cells, style=style)
    return table


def _ballot_people(report: TrendReport) -> Table:
    table = Table(title="Whose private first answers miss the map most", title_justify="left")
    table.add_column("Participant")
    table.add_column("Sessions", justify="right")
    table.add_column("First answers off the map", justify="right")
    table.add_column("First → latest session", justify="right")
    table.add_column("Towards · away", justify="right")
    for x in report.ballots.people:
        table.add_row(Text(x.name), str(x.sessions), x.off_map, x.first_latest, x.moved)
    return table


def _ballots(report: TrendReport, console: Console) -> None:
    section = report.ballots
    console.print(Text.assemble(("Private ballots: ", "bold"), section.counted))
    if section.present:
        console.print(_ballot_rows(report))
        if section.people:
            console.print(_ballot_people(report))


def print_trend(report: TrendReport, console: Console) -> None:
    """The trend on a Rich console: clarity per period and stage, what keeps drifting, who carries the load."""
    console.print(Text(report.title, style="bold"))
    console.print(Text(report.scope))
    if not report.sessions:
        console.print("No session could be read.")
    else:
        console.print(Text.assemble(("Overall ", "bold"), report.overall_text, "  ", (report.overall.spark, "cyan")))
        console.print()
        console.print(_periods(report))
        console.print(_stages(report))
        if report.drifting:
            console.print(_drifting(report))
        if report.people:
            console.print(_people(report))
        _ballots(report, console)
    read = f"{report.from_reports} read from report.json, {report.from_journals} scored again from their journal"
    if report.filtered:
        read += f"; {report.filtered} left out by the filters"
    if report.skipped_total:
        read += f"; {report.skipped_total} skipped"
    console.print(Text(read + ".", style="dim"))
