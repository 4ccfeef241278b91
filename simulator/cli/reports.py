"""`ttx trend`: clarity, ratings, drifting responsibilities and load across many sessions."""

from __future__ import annotations

import io
from pathlib import Path

import click

from simulator.cli.output import echo_safe, force_option, safe_console, write_file

SHOWN_WARNINGS = 20  # skipped sessions named on stderr; every one is listed in the md and html reports


@click.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--scenario", "scenario", metavar="ID", help="Only sessions of this scenario id.")
@click.option("--map", "map_id", metavar="ID", help="Only sessions played against this map id.")
@click.option("--format", "format_", type=click.Choice(["term", "md", "html"]), default="term", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead.")
@force_option
def trend(
    folders: tuple[Path, ...],
    scenario: str | None,
    map_id: str | None,
    format_: str,
    output: Path | None,
    force: bool,
) -> None:
    """Trends across every session below FOLDERS: clarity and ratings over time, what keeps drifting, load.

    A session's report.json is read when it is current; otherwise the session is
    scored again from its journal. Sessions that cannot be read are skipped with
    a warning.
    """
    from simulator.reporting.trend import trend_of
    from simulator.reporting.trend_report import trend_report

    result = trend_of(list(folders), scenario, map_id)
    report = trend_report(result)
    for root in result.missing:
        echo_safe(f"warning: {root} is not a folder", err=True)
    for skipped in result.skipped[:SHOWN_WARNINGS]:
        echo_safe(f"warning: skipped {skipped.folder}: {skipped.reason}", err=True)
    if len(result.skipped) > SHOWN_WARNINGS:
        click.echo(f"warning: ... and {len(result.skipped) - SHOWN_WARNINGS} more skipped", err=True)
    if not result.points:  # nothing to show: no empty report written over a good one, no page that says nothing
        filters = " matching the filters" if scenario or map_id else ""
        echo_safe(f"no session{filters} could be read under {', '.join(map(str, folders))}", err=True)
        raise SystemExit(1)
    if format_ == "term":
        from simulator.reporting.trend_terminal import print_trend

        if output is None:
            print_trend(report, safe_console())
        else:
            buffer = io.StringIO()
            print_trend(report, safe_console(file=buffer, width=120, color_system=None))
            write_file(output, buffer.getvalue(), force=force)
    else:
        if format_ == "md":
            from simulator.reporting.trend_markdown import trend_markdown

            text = trend_markdown(report)
        else:
            from simulator.reporting.trend_html import trend_html

            text = trend_html(report)
        if output is None:
            echo_safe(text, nl=False)
        else:
            write_file(output, text, force=force)
