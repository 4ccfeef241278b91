"""`ttx trend` on the terminal (Rich): clarity per period and stage, what keeps drifting, who carries the load.

The trend itself is read and aggregated in `simulator.reporting.trend`; this module only prints it.
Text from sessions (names, titles, labels) goes to Rich as `Text`, never as a
string, so a bracket in a name is shown as typed and never read as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.catalogue import STAGES
from simulator.reporting.aar import STAGE_LABELS
from simulator.reporting.figures import clarity_text
from simulator.reporting.terminal import RATING_STYLES
from simulator.reporting.trend import (
    UNIT_WORDS,
    Trend,
    actors_text,
    chart_label,
    delta_text,
    grouping_text,
    scope_text,
    sparkline,
)


def print_trend(trend: Trend, console: Console) -> None:
    """The trend on a Rich console: clarity per period and stage, what keeps drifting, who carries the load."""

    def score(clarity: float | None, rating: str | None) -> Text:
        if clarity is None:
            return Text("—", style="dim")
        return Text.assemble(f"{clarity_text(clarity)} ", (rating or "", RATING_STYLES.get(rating or "P", "")))  # type: ignore[call-overload]

    console.print(Text("Ownership clarity over time", style="bold"))
    console.print(Text(scope_text(trend)))
    if not trend.points:
        console.print("No session could be read.")
    else:
        console.print(
            Text.assemble(
                ("Overall ", "bold"),
                delta_text(trend.overall),
                "  ",
                (sparkline([p.clarity for p in trend.periods]), "cyan"),
            )
        )
        console.print()
        per_session = trend.unit == "session"
        periods = Table(title=f"Clarity % and rating, {grouping_text(trend)}", title_justify="left")
        periods.add_column("Session" if per_session else UNIT_WORDS[trend.unit].capitalize())
        if not per_session:
            periods.add_column("Sessions", justify="right")
        periods.add_column("Overall", justify="right")
        for stage in STAGES:
            periods.add_column(STAGE_LABELS[stage][:5], justify="right")
        for p in trend.periods:
            counts = [] if per_session else [str(p.sessions)]
            periods.add_row(
                Text(chart_label(trend, p)), *counts, score(p.clarity, p.rating), *(score(c, r) for c, r in p.stages)
            )
        console.print(periods)
        stages = Table(title="Change, first to latest", title_justify="left")
        stages.add_column("Stage")
        stages.add_column("First", justify="right")
        stages.add_column("Latest", justify="right")
        stages.add_column("Change")
        stages.add_column("Over time")
        for i, change in enumerate(trend.stages):
            values = [p.stages[i][0] for p in trend.periods]
            delta = f"{change.delta:+.1f} {change.word}" if change.delta is not None else change.word
            stages.add_row(
                Text(change.name), clarity_text(change.first), clarity_text(change.last), delta, sparkline(values)
            )
        console.print(stages)
        if trend.drifting:
            drifting = Table(title="Responsibilities that keep drifting", title_justify="left")
            drifting.add_column("Responsibility")
            drifting.add_column("Went wrong", justify="right")
            drifting.add_column("Map's owner")
            drifting.add_column("Acted instead (sessions)")
            drifting.add_column("Still")
            for d in trend.drifting:
                drifting.add_row(
                    Text(d.title),
                    f"{d.troubled}/{d.asked}",
                    Text(", ".join(d.owners)),
                    Text(actors_text(d.actors, 3)),
                    Text("yes", style="red") if d.recent else Text("no", style="dim"),
                )
            console.print(drifting)
        if trend.people:
            people = Table(title="Participants' load", title_justify="left")
            people.add_column("Participant")
            people.add_column("Sessions", justify="right")
            people.add_column("Roles (mean · latest)")
            people.add_column("Decisions (mean · first → latest)")
            people.add_column("Many roles", justify="right")
            for x in trend.people:
                people.add_row(
                    Text(x.name),
                    str(x.sessions),
                    f"{x.roles_mean:.1f} · {x.roles_latest}",
                    f"{x.decisions_mean:.1f} · {x.decisions_first} → {x.decisions_latest}",
                    str(x.overloaded) if x.overloaded else "—",
                )
            console.print(people)
    read = f"{trend.from_reports} read from report.json, {trend.from_journals} scored again from their journal"
    if trend.filtered:
        read += f"; {trend.filtered} left out by the filters"
    if trend.skipped:
        read += f"; {len(trend.skipped)} skipped"
    console.print(Text(read + ".", style="dim"))
