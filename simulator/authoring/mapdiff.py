"""`ttx map diff`: who gained or lost which responsibility between two versions of a map.

`diff_maps` returns plain data; `render_terminal` and `render_markdown` draw it.
Every name and why comes from a file, so the terminal rendering is built from
`rich.text.Text` (never parsed as markup) with control characters stripped, and
the Markdown rendering escapes each cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.audit import responsibilities_of
from simulator.frozen import frozen
from simulator.model import AuthorityMap
from simulator.reporting.markdown_text import cell, escape
from simulator.safetext import strip_controls

if TYPE_CHECKING:
    from rich.console import RenderableType

LETTER_WORDS = {"R": "responsible", "C": "consulted", "I": "informed"}


@frozen
class OwnerChange:
    responsibility: str
    title: str
    old: str | None  # role id; None: nobody owned it (a map gap)
    new: str | None


@frozen
class LetterChange:
    """A role gained or lost R, C or I on one responsibility."""

    responsibility: str
    title: str
    role: str
    letter: str
    gained: bool


@frozen
class WhyChange:
    responsibility: str
    title: str
    old: str
    new: str


@frozen
class RoleChange:
    """A role that appeared, went, or changed name, party or deputy."""

    role: str
    kind: str  # "added" | "removed" | "changed"
    detail: str


@frozen
class MapDiff:
    old_id: str
    new_id: str
    owners: tuple[OwnerChange, ...]
    letters: tuple[LetterChange, ...]
    whys: tuple[WhyChange, ...]
    roles: tuple[RoleChange, ...]
    parties: tuple[RoleChange, ...]
    names: dict[str, str]  # role id -> name, from both versions (the new name wins)

    @property
    def empty(self) -> bool:
        return not (self.owners or self.letters or self.whys or self.roles or self.parties)

    def name(self, role: str | None) -> str:
        if role is None:
            return "nobody"
        return f"{self.names.get(role, role)} ({role})"


def _roles_diff(old: AuthorityMap, new: AuthorityMap) -> list[RoleChange]:
    before = {r.id: r for r in old.roles}
    after = {r.id: r for r in new.roles}
    changes: list[RoleChange] = []
    for role in new.roles:
        if role.id not in before:
            deputy = f", deputy {role.deputy}" if role.deputy else ""
            changes.append(
                RoleChange(role.id, "added", f"{role.name}, {new.parties.get(role.party, role.party)}{deputy}")
            )
            continue
        was = before[role.id]
        details = []
        if was.name != role.name:
            details.append(f"renamed from {was.name!r} to {role.name!r}")
        if was.party != role.party:
            details.append(f"moved from party {was.party} to {role.party}")
        if was.deputy != role.deputy:
            details.append(f"deputy {was.deputy or 'none'} → {role.deputy or 'none'}")
        if details:
            changes.append(RoleChange(role.id, "changed", "; ".join(details)))
    for role in old.roles:
        if role.id not in after:
            changes.append(RoleChange(role.id, "removed", f"{role.name}, {old.parties.get(role.party, role.party)}"))
    return changes


def _parties_diff(old: AuthorityMap, new: AuthorityMap) -> list[RoleChange]:
    changes = [RoleChange(p, "added", title) for p, title in new.parties.items() if p not in old.parties]
    changes += [
        RoleChange(p, "changed", f"renamed from {old.parties[p]!r} to {title!r}")
        for p, title in new.parties.items()
        if p in old.parties and old.parties[p] != title
    ]
    changes += [RoleChange(p, "removed", title) for p, title in old.parties.items() if p not in new.parties]
    return changes


def diff_maps(old: AuthorityMap, new: AuthorityMap) -> MapDiff:
    """Every change from `old` to `new`, in checklist order."""
    rows = {rid: title for rid, _, title in responsibilities_of(old)}
    rows.update({rid: title for rid, _, title in responsibilities_of(new)})
    owners: list[OwnerChange] = []
    letters: list[LetterChange] = []
    whys: list[WhyChange] = []
    for rid, title in rows.items():
        before, after = old.assignments.get(rid), new.assignments.get(rid)
        old_a = before.A if before else None
        new_a = after.A if after else None
        if old_a != new_a:
            owners.append(OwnerChange(rid, title, old_a, new_a))
        for letter in ("R", "C", "I"):
            was = set(getattr(before, letter)) if before else set()
            now = set(getattr(after, letter)) if after else set()
            letters += [LetterChange(rid, title, role, letter, True) for role in sorted(now - was)]
            letters += [LetterChange(rid, title, role, letter, False) for role in sorted(was - now)]
        old_why = before.why.strip() if before else ""
        new_why = after.why.strip() if after else ""
        if old_why != new_why:
            whys.append(WhyChange(rid, title, old_why, new_why))
    names = {r.id: r.name for r in old.roles}
    names.update({r.id: r.name for r in new.roles})
    return MapDiff(
        old.id,
        new.id,
        tuple(owners),
        tuple(letters),
        tuple(whys),
        tuple(_roles_diff(old, new)),
        tuple(_parties_diff(old, new)),
        names,
    )


def summary(diff: MapDiff) -> str:
    if diff.empty:
        return "No differences."
    counts = [
        (len(diff.owners), "owner change"),
        (len(diff.letters), "R/C/I change"),
        (len(diff.roles), "role change"),
        (len(diff.parties), "party change"),
        (len(diff.whys), "why change"),
    ]
    return ", ".join(f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in counts if n) + "."


def _letter_text(change: LetterChange) -> str:
    verb = "gained" if change.gained else "lost"
    return f"{verb} {change.letter} ({LETTER_WORDS[change.letter]})"


def render_markdown(diff: MapDiff, old_label: str, new_label: str) -> str:
    lines = [
        f"# Map changes: {escape(old_label)} → {escape(new_label)}",
        "",
        escape(summary(diff)),
        "",
    ]
    if diff.owners:
        lines += ["## Accountable owner (A)", "", "| responsibility | was | now |", "|---|---|---|"]
        lines += [
            f"| {cell(f'{c.title} ({c.responsibility})')} | {cell(diff.name(c.old))} | {cell(diff.name(c.new))} |"
            for c in diff.owners
        ]
        lines.append("")
    if diff.letters:
        lines += ["## Responsible, consulted, informed", "", "| responsibility | role | change |", "|---|---|---|"]
        lines += [
            f"| {cell(f'{c.title} ({c.responsibility})')} | {cell(diff.name(c.role))} | {cell(_letter_text(c))} |"
            for c in diff.letters
        ]
        lines.append("")
    for heading, changes in (("Roles", diff.roles), ("Parties", diff.parties)):
        if changes:
            lines += [f"## {heading}", "", "| id | change | detail |", "|---|---|---|"]
            lines += [f"| {cell(c.role)} | {c.kind} | {cell(c.detail)} |" for c in changes]
            lines.append("")
    if diff.whys:
        lines += ["## Why", "", "| responsibility | was | now |", "|---|---|---|"]
        lines += [
            f"| {cell(f'{c.title} ({c.responsibility})')} | {cell(c.old or '—')} | {cell(c.new or '—')} |"
            for c in diff.whys
        ]
        lines.append("")
    return "\n".join(lines)


def _t(text: str) -> str:
    return strip_controls(text, multiline=False)


def render_terminal(diff: MapDiff, old_label: str, new_label: str) -> list[RenderableType]:
    """Rich renderables: one table per kind of change, text never read as markup."""
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = [
        Text.assemble(("Map changes: ", "bold"), (_t(old_label), "bold"), " → ", (_t(new_label), "bold")),
        Text(summary(diff), style="dim" if diff.empty else ""),
    ]

    def table(title: str, *columns: str) -> Table:
        made = Table(title=title, title_justify="left", title_style="bold", expand=True)
        for column in columns:
            made.add_column(column, overflow="fold")
        return made

    def what(responsibility: str, title: str) -> Text:
        return Text.assemble(_t(title), " ", (responsibility, "dim"))

    if diff.owners:
        owners = table("Accountable owner (A)", "responsibility", "was", "now")
        for c in diff.owners:
            owners.add_row(
                what(c.responsibility, c.title),
                Text(_t(diff.name(c.old)), style="red"),
                Text(_t(diff.name(c.new)), style="green"),
            )
        parts.append(owners)
    if diff.letters:
        letters = table("Responsible, consulted, informed", "responsibility", "role", "change")
        for lc in diff.letters:
            style = "green" if lc.gained else "red"
            letters.add_row(
                what(lc.responsibility, lc.title), Text(_t(diff.name(lc.role))), Text(_letter_text(lc), style=style)
            )
        parts.append(letters)
    for heading, changes in (("Roles", diff.roles), ("Parties", diff.parties)):
        if changes:
            roles = table(heading, "id", "change", "detail")
            for rc in changes:
                style = {"added": "green", "removed": "red"}.get(rc.kind, "yellow")
                roles.add_row(Text(_t(rc.role)), Text(rc.kind, style=style), Text(_t(rc.detail)))
            parts.append(roles)
    if diff.whys:
        whys = table("Why", "responsibility", "was", "now")
        for w in diff.whys:
            whys.add_row(what(w.responsibility, w.title), Text(_t(w.old) or "—", style="dim"), Text(_t(w.new) or "—"))
        parts.append(whys)
    return parts
