"""Private ballots in the AAR formats: report.json (revision 1.1), Markdown and HTML (the terminal: summary.py).

The figures come from `simulator.scoring.private_ballots`; every name and question is escaped here
for where it goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.reporting.json_report import ballots_record
from simulator.reporting.report_document import plain
from simulator.scoring.private_ballots import PrivateBallots


def private_ballots_json(result: PrivateBallots | None) -> dict[str, Any] | None:
    """report.json's `private_ballots` (revision 1.1) as JSON values; None without ballots."""
    return plain(ballots_record(result))  # type: ignore[no-any-return]


def private_ballots_markdown(result: PrivateBallots | None, asks: Mapping[str, str], escape: Any) -> str:
    """An appendix for the Markdown AAR; `escape` makes names and questions safe for Markdown."""
    if result is None:
        return ""
    lines = [
        "",
        "## Private ballots",
        "",
        "Each person's first answer against the map, beside the team's final answer."
        " *Towards*: the team settled on the map's owner where this person first did not;"
        " *away*: this person first named the owner and the team did not.",
        "",
        "| person | ballots | first answers aligned | not aligned | moved towards | moved away |",
        "|---|---|---|---|---|---|",
    ]
    for p in result.people:
        lines.append(
            f"| {escape(p.name)} | {p.ballots} | {p.first_aligned} | {p.not_aligned} ({p.drift_share:.0%})"
            f" | {p.moved_towards} | {p.moved_away} |"
        )
    lines += ["", "| decision | team answer | first answers aligned | who moved |", "|---|---|---|---|"]
    for d in result.decisions:
        moved = ", ".join(f"{escape(p.name)} ({p.moved})" for p in d.people if p.moved != "stayed") or "—"
        ask = escape(asks.get(d.decision, d.decision))
        lines.append(f"| {ask} | {d.team_outcome} | {d.first_aligned} of {len(d.people)} | {moved} |")
    return "\n".join(lines) + "\n"


def private_ballots_html(result: PrivateBallots | None, asks: Mapping[str, str], escape: Any) -> str:
    """The same appendix as a <section> for the HTML AAR; `escape` is html.escape (every name and question)."""
    if result is None:
        return ""

    def row(cells: list[str]) -> str:
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    def head(cells: list[str]) -> str:
        return "<thead><tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr></thead>"

    people = "".join(
        row(
            [
                escape(p.name),
                str(p.ballots),
                str(p.first_aligned),
                f"{p.not_aligned} ({p.drift_share:.0%})",
                str(p.moved_towards),
                str(p.moved_away),
            ]
        )
        for p in result.people
    )
    rounds = "".join(
        row(
            [
                escape(asks.get(d.decision, d.decision)),
                escape(d.team_outcome),
                f"{d.first_aligned} of {len(d.people)}",
                escape(", ".join(f"{p.name} ({p.moved})" for p in d.people if p.moved != "stayed") or "—"),
            ]
        )
        for d in result.decisions
    )
    return (
        '<section><h2 id="private-ballots">Private ballots</h2>'
        "<p>Each person's first answer against the map, beside the team's final answer. <em>Towards</em>: the team"
        " settled on the map's owner where this person first did not; <em>away</em>: this person first named the"
        " owner and the team did not.</p>"
        "<table>"
        + head(["person", "ballots", "first answers aligned", "not aligned", "moved towards", "moved away"])
        + f"<tbody>{people}</tbody></table><table>"
        + head(["decision", "team answer", "first answers aligned", "who moved"])
        + f"<tbody>{rounds}</tbody></table></section>\n"
    )
