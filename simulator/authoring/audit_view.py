"""`ttx map check` output: the audit as Rich renderables for a terminal, or as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.audit import Audit, Owner
from simulator.reporting.markdown_text import cell, escape

if TYPE_CHECKING:
    from rich.console import RenderableType

KIND_TITLES = {
    "gap": "map gap",
    "unstaffed": "unstaffed owner",
    "overload": "overload",
    "idle-role": "role owns nothing",
    "placeholder-why": "placeholder why",
    "cross-party": "cross-party approval",
}


def _headline(audit: Audit) -> str:
    return f"{audit.roles} roles, {audit.assigned}/{audit.total} responsibilities assigned" + (
        "" if audit.with_roster else "; no roster given, so staffing is not checked"
    )


def verdict(audit: Audit) -> str:
    problems, notes = len(audit.problems), len(audit.notes)
    tail = f" ({notes} note{'s' if notes != 1 else ''}, informational)" if notes else ""
    if audit.ready:
        return f"Ready: no problems{tail}."
    return f"Not ready: {problems} problem{'s' if problems != 1 else ''}{tail}."


def _owner_text(owner: Owner) -> tuple[str, str, str]:
    if owner.accountable is None:
        return "— map gap —", "", "nobody owns it in this map"
    accountable = f"{owner.accountable} ({owner.accountable_party})"
    return accountable, ", ".join(owner.responsible) or "(A does it)", owner.why


def render_markdown(audit: Audit) -> str:
    lines = [
        f"# Map check: {escape(audit.map_title)} (`{audit.map_id}`)",
        "",
        escape(_headline(audit)) + ".",
        "",
        f"**{verdict(audit)}**",
        "",
    ]
    if audit.findings:
        lines += ["## Findings", "", "| | kind | subject | finding |", "|---|---|---|---|"]
        for finding in audit.findings:
            mark = "✗" if finding.severity == "problem" else "ℹ"
            kind = KIND_TITLES[finding.kind]
            lines.append(f"| {mark} | {kind} | {cell(finding.subject)} | {cell(finding.message)} |")
        lines.append("")
    lines += ["## Reflection questions, answered by the map", "", "| question | A | R | why |", "|---|---|---|---|"]
    for owner in audit.reflection:
        a, r, why = _owner_text(owner)
        lines.append(f"| {cell(owner.question)} | {cell(a)} | {cell(r)} | {cell(why)} |")
    return "\n".join(lines) + "\n"


def render_terminal(audit: Audit) -> list[RenderableType]:
    """Renderables to print in order: title, findings, reflection questions, verdict.

    Lists with hanging indents rather than tables: messages are sentences and
    stay readable in an 80-column terminal.
    """
    from rich.padding import Padding
    from rich.text import Text

    parts: list[RenderableType] = [
        Text.assemble(("Map check: ", "bold"), (audit.map_title, "bold"), f" ({audit.map_id})"),
        Text(_headline(audit), style="dim"),
        Text(),
    ]
    if audit.findings:
        parts.append(Text("Findings", style="bold underline"))
    for finding in audit.findings:
        problem = finding.severity == "problem"
        parts.append(
            Text.assemble(
                ("✗ " if problem else "ℹ ", "bold red" if problem else "cyan"),
                (KIND_TITLES[finding.kind], "bold" if problem else ""),
                "  ",
                (finding.subject, "magenta"),
            )
        )
        parts.append(Padding(Text(finding.message), (0, 0, 0, 4)))
    parts += [Text(), Text("Reflection questions, answered by the map", style="bold underline")]
    for owner in audit.reflection:
        a, r, why = _owner_text(owner)
        parts.append(Text.assemble((owner.question, "bold"), "  ", (owner.responsibility, "dim")))
        rows = [("A", a, "red" if owner.accountable is None else "")]
        if owner.accountable is not None:
            rows += [("R", r, ""), ("why", why, "italic")]
        for key, value, style in rows:
            parts.append(Padding(Text.assemble((f"{key:<4}", "dim"), (value, style)), (0, 0, 0, 4)))
    parts += [Text(), Text(verdict(audit), style="bold green" if audit.ready else "bold red")]
    return parts
