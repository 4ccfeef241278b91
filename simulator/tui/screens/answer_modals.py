"""Ballots before the team's answer, and feedback after it in solo practice."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from simulator.engine import AnswerResult, Choice, PendingDecision
from simulator.model import AuthorityMap
from simulator.tui.widgets.role_picker import RolePicker

OUTCOME_STYLE = {
    "aligned": ("✔ Aligned", "bold #7bc67b", "You named the owner the map names."),
    "overlap": (
        "◐ Overlap — contested authority",
        "bold #f0b429",
        "You named more than one owner. In an incident, two owners means nobody knows who decides:"
        " each waits for the other or both act at once. So it counts as contested, even when the"
        " map's own A and R are among the roles named (half credit at most).",
    ),
    "drift": ("✘ Drift", "bold #e06c75", "You named one role, but not the one the map gives this to."),
    "gap": ("∅ Gap", "bold #e06c75", "Nobody owned it: nobody named, not sure, or time ran out."),
}
# What the map's letters mean, in plain words, shown under the map's answer.
A_MEANS = "accountable: the one role that owns the call and answers for it"
R_MEANS = "responsible: the roles that do the work"

SKIP = "skip"


class BallotScreen(ModalScreen[tuple[str, ...] | str | None]):
    """One participant's pick; Esc skips the remaining ballots and goes to the team answer."""

    BINDINGS = [
        Binding("escape", "skip", "Skip ballots", id="skip-ballots", tooltip="Record only the team answer"),
        Binding("0", "nobody", "Nobody / not sure", id="ballot-nobody"),
        *[Binding(str(n), f"tick_role({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, participant: str, holds: list[str], pending: PendingDecision, choices: list[Choice]) -> None:
        super().__init__(classes="modal-screen")
        self.participant, self.holds, self.pending, self.choices = participant, holds, pending, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog ballot"):
            yield Static(Text(f"Ballot — {self.participant}", style="bold"))
            if self.holds:
                yield Static(Text(f"holds: {', '.join(self.holds)}", style="dim"))
            yield Static(Text(self.pending.ask, style="bold"), classes="question")
            yield RolePicker(self.choices, id="ballot-picker")
            yield Static(
                Text("digits/space tick · Enter casts · 0 nobody · Esc skip ballots", style="dim"),
            )

    def on_mount(self) -> None:
        self.query_one(RolePicker).focus()

    def on_role_picker_submitted(self, event: RolePicker.Submitted) -> None:
        event.stop()
        self.dismiss(event.roles)

    def action_tick_role(self, number: int) -> None:
        self.query_one(RolePicker).toggle_number(number)

    def action_nobody(self) -> None:
        self.dismiss(())

    def action_skip(self) -> None:
        self.dismiss(SKIP)


def role_names(authority_map: AuthorityMap, roles: tuple[str, ...] | list[str]) -> str:
    names = {r.id: r.name for r in authority_map.roles}
    return ", ".join(names.get(r, r) for r in roles) or "nobody"


class FeedbackScreen(ModalScreen[None]):
    """Solo practice: the outcome, the map's owner, and the map's why."""

    BINDINGS = [Binding("enter,escape,space", "dismiss", "Continue", id="continue")]

    def __init__(self, result: AnswerResult, authority_map: AuthorityMap, ask: str) -> None:
        super().__init__(classes="modal-screen")
        self.result, self.authority_map, self.ask = result, authority_map, ask

    def compose(self) -> ComposeResult:
        classification = self.result.classification
        record = self.result.record
        label, style, meaning = OUTCOME_STYLE[classification.outcome]
        assignment = self.authority_map.assignments.get(record.responsibility)
        lines = [Text(label, style=style), Text(meaning, style="italic"), Text("")]
        lines.append(Text.assemble(("Question  ", "dim"), self.ask))
        answered = "time ran out" if record.timed_out else role_names(self.authority_map, record.roles)
        lines.append(Text.assemble(("You said  ", "dim"), answered))
        if classification.via_deputy:
            lines.append(Text("Counted as aligned: the owner is unstaffed and you named the deputy.", style="#7bc67b"))
        if classification.drift_kind == "boundary":
            lines.append(Text("Boundary drift: the work crossed to another party.", style="#e06c75"))
        if classification.overreach:
            lines.append(Text("Overreach: that role is only consulted or informed here.", style="#e06c75"))
        if assignment is None:
            lines.append(Text("The map assigns nobody: a map gap, not counted against you.", style="#f0b429"))
        else:
            lines.append(
                Text.assemble(
                    ("The map   ", "dim"),
                    ("A ", "bold"),
                    role_names(self.authority_map, [assignment.A]),
                )
            )
            if assignment.R:
                lines.append(
                    Text.assemble(
                        ("          ", "dim"),
                        ("R ", "bold"),
                        role_names(self.authority_map, assignment.R),
                    )
                )
            lines.append(Text.assemble(("Why       ", "dim"), (assignment.why, "italic")))
            lines.append(Text(f"A is {A_MEANS}; R, {R_MEANS}.", style="dim"))
        for fired in self.result.fired:
            if fired.item is not None:
                lines.append(Text(""))
                lines.append(Text.assemble(("Consequence: ", "bold #f0b429"), (fired.item.title or "", "bold")))
        with Vertical(classes=f"dialog feedback feedback-{classification.outcome}"):
            yield Static(Group(*lines))
            yield Static(Text("Enter to continue", style="dim"))
