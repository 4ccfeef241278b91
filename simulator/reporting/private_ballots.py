"""Private ballots in each report format: report.json (revision 1.1), Markdown, HTML and the terminal.

The figures come from `simulator.scoring.private_ballots`; every name and question is escaped here
for where it goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.scoring.private_ballots import PrivateBallots


def private_ballots_json(result: PrivateBallots | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "decisions": [
            {
                "id": d.decision,
                "stage": d.stage,
                "expected": list(d.expected),
                "team": {"roles": list(d.team), "outcome": d.team_outcome},
                "first_aligned": d.first_aligned,
                "ballots": len(d.people),
                "people": [
                    {
                        "name": p.name,
                        "first": {"roles": list(p.first), "outcome": p.first_outcome},
                        "final": {"roles": list(p.final), "outcome": p.final_outcome},
                        "moved": p.moved,
                    }
                    for p in d.people
                ],
            }
            for d in result.decisions
        ],
        "participants": [
            {
                "name": p.name,
                "ballots": p.ballots,
                "first_aligned": p.first_aligned,
                "first_not_aligned": p.not_aligned,
                "drift_share": round(p.drift_share, 4),
                "moved_towards": p.moved_towards,
                "moved_away": p.moved_away,
            }
            for p in result.people
        ],
    }


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


def print_private_ballots(result: PrivateBallots | None, console: Console) -> None:
    """The people table for `ttx report`; names as plain Text, never as Rich markup."""
    if result is None:
        return
    table = Table(title="Private ballots: first answers against the map", title_justify="left")
    for header in ("person", "ballots", "first aligned", "not aligned", "moved towards", "moved away"):
        table.add_column(header, justify="left" if header == "person" else "right", no_wrap=header == "person")
    for p in result.people:
        table.add_row(
            Text(p.name),
            str(p.ballots),
            str(p.first_aligned),
            f"{p.not_aligned} ({p.drift_share:.0%})",
            str(p.moved_towards),
            str(p.moved_away),
        )
    console.print(table)
