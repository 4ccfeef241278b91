"""The end-of-session summary on the terminal (Rich): clarity, stage ratings, drifts, gaps.

Text from a session (ids, names) goes to Rich as `Text`, never as a string, so
a bracket in it is shown as typed and never read as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.reporting.figures import clarity_text, thresholds_text
from simulator.scoring import MAP_GAPS_ONLY, NOT_PLAYED, RATING_WORDS, Clarity, Rating, SessionScore

RATING_STYLES: dict[Rating, str] = {"P": "bold green", "S": "bold yellow", "M": "bold dark_orange", "U": "bold red"}
TOP_DRIFTS = 5  # the summary is a glance; report.json and the full reports list them all


# The name the debrief screen uses; one implementation for every report.
format_clarity = clarity_text


def rating_text(score: Clarity) -> Text:
    """The coloured letter and its HSEEP wording; why there is none when unrated."""
    if score.rating is None:
        return Text(MAP_GAPS_ONLY if score.answers else NOT_PLAYED, style="dim")
    return Text.assemble((score.rating, RATING_STYLES[score.rating]), f"  {RATING_WORDS[score.rating]}")


def _headline(score: SessionScore) -> Text:
    overall = score.overall
    if overall.clarity is None:
        return Text("No decision was scored: nothing to rate.", style="bold")
    text = Text.assemble(("Ownership clarity ", "bold"), (f"{clarity_text(overall.clarity)}%", "bold"), "  ")
    text.append_text(rating_text(overall))
    if overall.critical_gaps:
        text.append(f"\nGap on a critical decision: {', '.join(overall.critical_gaps)}", style="red")
    return text


def _stage_table(score: SessionScore) -> Table:
    table = Table(title="Stages", title_justify="left", caption=thresholds_text(score.settings), caption_justify="left")
    table.add_column("Stage")
    table.add_column("Decisions", justify="right")
    table.add_column("Clarity", justify="right")
    table.add_column("Rating")
    for stage in score.stages:
        result = stage.score
        table.add_row(
            Text(stage.stage),
            str(result.answers),
            clarity_text(result.clarity),
            rating_text(result),
            style=None if result.answers else "dim",
        )
    return table


def _drift_table(score: SessionScore) -> Table:
    table = Table(title="Top drifts", title_justify="left")
    table.add_column("Expected owner")
    table.add_column("")
    table.add_column("Who acted")
    table.add_column("Count", justify="right")
    table.add_column("Kind")
    for pair in score.top_drifts[:TOP_DRIFTS]:
        kinds = []
        if pair.boundary:
            kinds.append("boundary")
        if pair.count - pair.boundary:
            kinds.append("internal")
        if pair.overreach:
            kinds.append("overreach")
        table.add_row(Text(pair.owner), "→", Text(pair.actor), str(pair.count), ", ".join(kinds))
    return table


def print_summary(score: SessionScore, console: Console) -> None:
    """Overall clarity, the stage table (P/S/M/U), the top drifts and the map gaps."""
    console.print(_headline(score))
    drift = score.drift
    console.print(
        Text(
            f"aligned {drift.outcomes['aligned']} · overlap {drift.outcomes['overlap']}"
            f" · drift {drift.outcomes['drift']}"
            f" (boundary {drift.boundary}, internal {drift.internal}, overreach {drift.overreach})"
            f" · gap {drift.outcomes['gap']}"
        )
    )
    console.print()
    console.print(_stage_table(score))
    if score.top_drifts:
        console.print()
        console.print(_drift_table(score))
    if score.map_gaps:
        console.print()
        console.print(Text("Map gaps (not held against the team)", style="bold"))
        for gap in score.map_gaps:
            where = f"decision {gap.decision}, step {gap.step}"
            console.print(Text(f"  • {gap.responsibility}: nobody is assigned ({where})"))
    if score.load.unstaffed_needed:
        console.print()
        console.print(Text("Unstaffed roles that were needed", style="bold"))
        for needed in score.load.unstaffed_needed:
            cover = f"deputy {needed.deputy}" + ("" if needed.deputy_staffed else " (also unstaffed)")
            cover = cover if needed.deputy else "no deputy"
            console.print(Text(f"  • {needed.role}: {needed.answers} decision(s); {cover}"))
    if score.consensus is not None and score.consensus.ambiguous:
        console.print()
        console.print(
            Text(f"Ambiguous ownership (the room split): {', '.join(score.consensus.ambiguous)}", style="yellow")
        )
