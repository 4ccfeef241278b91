"""The end-of-session summary on the terminal (Rich): lays out a `TerminalSummary` (simulator.reporting.summary).

Text from a session (ids, names) goes to Rich as `Text`, never as a string, so
a bracket in it is shown as typed and never read as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.reporting.figures import clarity_text
from simulator.reporting.json_report import rating_label
from simulator.reporting.summary import RatingCell, TerminalSummary
from simulator.scoring import RATING_WORDS, Clarity, Rating

RATING_STYLES: dict[Rating, str] = {"P": "bold green", "S": "bold yellow", "M": "bold dark_orange", "U": "bold red"}


# The name the debrief screen uses; one implementation for every report.
format_clarity = clarity_text


def _rating(cell: RatingCell) -> Text:
    """The coloured letter and its HSEEP wording; why there is none when unrated."""
    if cell.rating is None:
        return Text(cell.words, style="dim")
    return Text.assemble((cell.rating, RATING_STYLES[cell.rating]), f"  {RATING_WORDS[cell.rating]}")


def rating_text(score: Clarity) -> Text:
    """The coloured letter of one score and its wording (the debrief screen's)."""
    return _rating(RatingCell(score.rating, rating_label(score)))


def _headline(summary: TerminalSummary) -> Text:
    if summary.clarity is None:
        return Text("No decision was scored: nothing to rate.", style="bold")
    text = Text.assemble(("Ownership clarity ", "bold"), (f"{summary.clarity}%", "bold"), "  ")
    text.append_text(_rating(summary.rating))
    if summary.critical_gaps:
        text.append(f"\nGap on a critical decision: {', '.join(summary.critical_gaps)}", style="red")
    return text


def _stage_table(summary: TerminalSummary) -> Table:
    table = Table(title="Stages", title_justify="left", caption=summary.thresholds, caption_justify="left")
    table.add_column("Stage")
    table.add_column("Decisions", justify="right")
    table.add_column("Clarity", justify="right")
    table.add_column("Rating")
    for stage in summary.stages:
        style = None if stage.decisions else "dim"
        table.add_row(Text(stage.stage), str(stage.decisions), stage.clarity, _rating(stage.rating), style=style)
    return table


def _drift_table(summary: TerminalSummary) -> Table:
    table = Table(title="Top drifts", title_justify="left")
    table.add_column("Expected owner")
    table.add_column("")
    table.add_column("Who acted")
    table.add_column("Count", justify="right")
    table.add_column("Kind")
    for pair in summary.drifts:
        table.add_row(Text(pair.owner), "→", Text(pair.actor), str(pair.count), pair.kinds)
    return table


def _ballot_table(summary: TerminalSummary) -> Table:
    table = Table(title="Private ballots: first answers against the map", title_justify="left")
    for header in ("person", "ballots", "first aligned", "not aligned", "moved towards", "moved away"):
        table.add_column(header, justify="left" if header == "person" else "right", no_wrap=header == "person")
    for p in summary.ballots or ():
        table.add_row(
            Text(p.name), str(p.ballots), str(p.first_aligned), p.not_aligned, str(p.moved_towards), str(p.moved_away)
        )
    return table


def _bullets(console: Console, title: str, lines: tuple[str, ...]) -> None:
    console.print()
    console.print(Text(title, style="bold"))
    for line in lines:
        console.print(Text(f"  • {line}"))


def print_summary(summary: TerminalSummary, console: Console) -> None:
    """Overall clarity, the stage table (P/S/M/U), the top drifts, the gaps and the private ballots."""
    console.print(_headline(summary))
    console.print(Text(summary.outcomes))
    console.print()
    console.print(_stage_table(summary))
    if summary.drifts:
        console.print()
        console.print(_drift_table(summary))
    if summary.map_gaps:
        _bullets(console, "Map gaps (not held against the team)", summary.map_gaps)
    if summary.unstaffed:
        _bullets(console, "Unstaffed roles that were needed", summary.unstaffed)
    if summary.ambiguous:
        console.print()
        ambiguous = ", ".join(summary.ambiguous)
        console.print(Text(f"Ambiguous ownership (the room split): {ambiguous}", style="yellow"))
    if summary.ballots is not None:
        console.print(_ballot_table(summary))
