"""The trend report as one self-contained HTML page, from templates/trend.html.j2 (autoescaped).

The charts are drawn here, by simulator.reporting.svg, from the model's
figures; everything else the page says comes from the `TrendReport` as text.
"""

from __future__ import annotations

from markupsafe import Markup

from simulator.reporting.html_templates import render
from simulator.reporting.svg import INK, STAGE_COLOURS, Series, line_chart, rating_strip
from simulator.reporting.trend_report import TrendReport


def _clarity_chart(report: TrendReport) -> str:
    labels = [p.short_label for p in report.periods]
    series = [Series("Overall", [p.clarity for p in report.periods], INK, 3.5)]
    series += [
        Series(name, [p.stage_clarity[i] for p in report.periods], STAGE_COLOURS[i], 1.6)
        for i, name in enumerate(report.stage_names)
    ]
    return line_chart(labels, series, "Ownership clarity over time, overall and per stage", report.bounds)


def _rating_strip(report: TrendReport) -> str:
    labels = [p.short_label for p in report.periods]
    letters = [[p.letters[row] for p in report.periods] for row in range(1 + len(report.stage_names))]
    return rating_strip(["Overall", *report.stage_names], labels, letters, "Ratings over time")


def trend_html(report: TrendReport) -> str:
    """The trend across sessions as one self-contained HTML document."""
    charts = {"clarity_chart": "", "rating_strip": ""}
    if report.sessions:
        # Markup: the SVG builder escapes every label it draws.
        charts = {"clarity_chart": Markup(_clarity_chart(report)), "rating_strip": Markup(_rating_strip(report))}
    return render("trend.html.j2", report=report, changes=(report.overall, *report.stages), **charts)
