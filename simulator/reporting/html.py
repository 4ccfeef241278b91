"""The AAR/IP as one self-contained HTML file (see docs/reports.md), from templates/aar.html.j2.

One file: inline `<style>`, inline `<svg>` charts, no script, no font, image or
stylesheet from anywhere else (a Content-Security-Policy says so to the
browser too), `@media print` rules so it prints to PDF cleanly. The template is
autoescaped (simulator.reporting.html_templates), so every string from a user,
a scenario or a map is escaped unless this module marks it as markup, which it
does only for the SVG charts it draws here.
"""

from __future__ import annotations

from markupsafe import Markup

from simulator.catalogue import STAGES
from simulator.model import clock_minutes
from simulator.reporting.aar import OUTCOME_WORDS, PRIORITY_LABELS, STAGE_LABELS, Aar, tampered_notice
from simulator.reporting.html_templates import render
from simulator.reporting.svg import (
    MAP_GAP_COLOUR,
    OUTCOME_COLOURS,
    RATING_COLOURS,
    Bar,
    Mark,
    clarity_bars,
    heat_map,
    timeline,
)
from simulator.wording import plural

SECTIONS = (
    ("overview", "1. Exercise overview"),
    ("summary", "2. Summary"),
    ("strengths", "3. Strengths"),
    ("improvements", "4. Areas for improvement"),
    ("reflection", "5. Reflection questions: the map vs the team"),
    ("drift", "6. Drift matrix"),
    ("participation", "7. Load, timing and consensus"),
    ("timeline", "8. Timeline"),
    ("notes", "9. Facilitator and hotwash notes"),
    ("plan", "10. Improvement plan"),
    ("map-gaps", "11. Map gaps"),
    ("appendix-map", "Appendix A. The authority map as played"),
    ("appendix-answers", "Appendix B. Every answer"),
)
PRIVATE_BALLOTS = ("private-ballots", "Private ballots")  # listed only in a report that has them
TITLES = dict((*SECTIONS, PRIVATE_BALLOTS))


def _stage_chart(aar: Aar) -> str:
    s = aar.summary
    bars = [
        Bar(
            label=row.label,
            value=row.clarity,
            colour=RATING_COLOURS.get(row.rating or "", MAP_GAP_COLOUR),
            caption=f"{row.clarity_text} % · {row.rating}" if row.clarity is not None else row.rating_words,
            tooltip=f"{row.label}: {row.clarity_text} %, {row.rating_words} ({plural(row.decisions, 'decision')})",
        )
        for row in s.stages
    ]
    return clarity_bars(bars, s.bounds, "Ownership clarity per stage, coloured by rating")


def _drift_chart(aar: Aar) -> str:
    d = aar.drift
    if not d.total:
        return ""
    return heat_map(
        [o.name for o in d.owners],
        [a.name for a in d.actors],
        d.counts,
        "Drift matrix: expected owner against the role that acted instead",
        "expected owner",
        "acted instead",
    )


def _minutes(clock: str, fallback: int | None) -> int | None:
    try:
        return clock_minutes(clock) if clock else fallback
    except ValueError:
        return fallback


def _timeline_chart(aar: Aar) -> str:
    lanes = [STAGE_LABELS[s] for s in STAGES]
    marks: list[Mark] = []
    for step in aar.timeline:
        lane = STAGES.index(step.stage)
        at = step.minutes
        if at is not None:
            marks.append(Mark(at, lane, "tick", "#57606a", f"{step.clock} {step.stage_label}: {step.title}"))
        for entry in step.entries:
            when = _minutes(entry.clock, at)
            if when is None:
                continue
            if entry.kind == "answer":
                colour = MAP_GAP_COLOUR if entry.map_gap else OUTCOME_COLOURS.get(entry.outcome or "", MAP_GAP_COLOUR)
                who = ", ".join(r.name for r in entry.roles) or "nobody"
                verdict = "map gap" if entry.map_gap else (entry.outcome or "not scored")
                marks.append(Mark(when, lane, "dot", colour, f"{entry.clock} {entry.title} → {who} ({verdict})"))
            elif entry.kind == "consequence":
                marks.append(Mark(when, lane, "diamond", "#0969da", f"{entry.clock} consequence: {entry.title}"))
            elif entry.kind == "note":
                marks.append(Mark(when, lane, "note", "#57606a", f"{entry.clock} {entry.title}: {entry.text}"))
    return timeline(lanes, marks, "Timeline on the scenario clock: answers by outcome, consequences and notes")


def aar_html(aar: Aar) -> str:
    """The whole AAR/IP as one HTML document."""
    # Markup: the SVG builder escapes every label and tooltip it draws.
    charts = {
        "stage_chart": Markup(_stage_chart(aar)),
        "drift_chart": Markup(_drift_chart(aar)),
        "timeline_chart": Markup(_timeline_chart(aar)),
    }
    return render(
        "aar.html.j2",
        aar=aar,
        o=aar.overview,
        s=aar.summary,
        sections=(*SECTIONS, PRIVATE_BALLOTS) if aar.private_ballots else SECTIONS,
        titles=TITLES,
        priority_labels=PRIORITY_LABELS,
        outcome_words=OUTCOME_WORDS,
        tampered_notice=tampered_notice,
        legend=(*OUTCOME_COLOURS.items(), ("map gap", MAP_GAP_COLOUR)),
        **charts,
    )
