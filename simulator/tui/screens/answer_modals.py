"""Ballots before the team's answer, and feedback after it in solo practice."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from simulator.engine import AnswerResult, Choice, PendingDecision
from simulator.model import AuthorityMap
from simulator.tui.play_clock import PlayClock, mmss
from simulator.tui.screens.modals import ConfirmScreen, DialogScreen
from simulator.tui.widgets.countdown import Countdown
from simulator.tui.widgets.role_picker import RolePicker, role_key_bindings

OUTCOME_STYLE = {
    "aligned": ("✔ Aligned", "bold #7bc67b", "You named the owner the map names."),
    "overlap": ("◐ Overlap", "bold #f0b429", "Several roles claimed it: contested authority."),
    "drift": ("✘ Drift", "bold #e06c75", "Someone else acted than the map says."),
    "gap": ("∅ Gap", "bold #e06c75", "Nobody owned it."),
}

SKIP = "skip"


class BallotScreen(DialogScreen[tuple[str, ...] | str | None]):
    """One participant's pick, with the decision's countdown; Esc ends the round and goes to the team answer.

    The clock is the play screen's own (data down): pausing here pauses the exercise,
    and `t` asks the play screen to add time through `add_time`.
    """

    BINDINGS = [
        Binding("escape", "skip", "End ballots", id="skip-ballots", tooltip="Close the round; cast ballots stay"),
        Binding("0", "nobody", "Nobody / not sure", id="ballot-nobody"),
        Binding("p", "pause", "Pause", id="ballot-pause", tooltip="Stop every clock while the room talks"),
        Binding("t", "add_time", "+1 min", id="ballot-add-time", tooltip="Add a minute to the countdown"),
        *role_key_bindings(),
    ]

    def __init__(
        self,
        participant: str,
        holds: list[str],
        pending: PendingDecision,
        choices: list[Choice],
        clock: PlayClock | None = None,
        add_time: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(classes="modal-screen")
        self.participant, self.holds, self.pending, self.choices = participant, holds, pending, choices
        self.clock = clock
        self._add_time = add_time

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog ballot"):
            with Horizontal(classes="ballot-head"):
                yield Static(Text(f"Ballot — {self.participant}", style="bold"), classes="ballot-who")
                yield Countdown(id="ballot-countdown")
            if self.holds:
                yield Static(Text(f"holds: {', '.join(self.holds)}", style="dim"))
            yield Static(Text(self.pending.ask, style="bold"), classes="question")
            yield RolePicker(self.choices, id="ballot-picker")
            yield Static(
                Text("key beside a role ticks · Enter casts", style="dim"),
            )
        yield Footer()  # the dialog's own keys, in place of the play screen's underneath

    def on_mount(self) -> None:
        self.query_one(RolePicker).focus()
        self._tick()
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        clock = self.clock
        remaining = clock.remaining() if clock is not None else None
        self.query_one(Countdown).show(remaining, paused=clock is not None and clock.paused)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_time", "pause"):
            return self.clock is not None and (action == "pause" or self.clock.limit_s is not None)
        return True

    def on_role_picker_submitted(self, event: RolePicker.Submitted) -> None:
        event.stop()
        if event.ticked:
            self.dismiss(event.roles)
            return
        names = ", ".join(c.name for c in self.choices if c.role in event.roles)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss(event.roles)

        self.app.push_screen(
            ConfirmScreen(f"Nothing is ticked.\n\nCast {self.participant}'s ballot for {names}?", yes="Cast"),
            confirmed,
        )

    def action_tick_role(self, number: int) -> None:
        self.query_one(RolePicker).toggle_number(number)

    def action_nobody(self) -> None:
        self.dismiss(())

    def action_skip(self) -> None:
        self.dismiss(SKIP)

    def action_pause(self) -> None:
        if self.clock is not None:
            self.clock.toggle("room")
            self._tick()

    def action_add_time(self) -> None:
        if self._add_time is not None:
            self._add_time()
            self._tick()


def role_names(authority_map: AuthorityMap, roles: tuple[str, ...] | list[str]) -> str:
    names = {r.id: r.name for r in authority_map.roles}
    return ", ".join(names.get(r, r) for r in roles) or "nobody"


class FeedbackScreen(DialogScreen[None]):
    """Solo practice: the outcome, the map's owner, and the map's why."""

    BINDINGS = [
        Binding("enter,escape,space", "dismiss", "Continue", id="continue"),
        Binding("p", "pause", "Pause", id="feedback-pause", tooltip="Stop the clock while you read"),
    ]

    def __init__(
        self, result: AnswerResult, authority_map: AuthorityMap, ask: str, clock: PlayClock | None = None
    ) -> None:
        super().__init__(classes="modal-screen")
        self.result, self.authority_map, self.ask = result, authority_map, ask
        self.clock = clock

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "pause" or self.clock is not None

    def action_pause(self) -> None:
        if self.clock is None:
            return
        held = self.clock.toggle("room")
        status = self.query_one("#feedback-status", Static)
        if held:
            status.update(Text(f"PAUSED at {mmss(self.clock.played())} played · p resumes", style="bold #f0b429"))
        else:
            status.update(Text("Enter to continue · p pauses", style="dim"))

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
                Text.assemble(("The map   ", "dim"), ("A ", "bold"), role_names(self.authority_map, [assignment.A]))
            )
            if assignment.R:
                lines.append(
                    Text.assemble(("          ", "dim"), ("R ", "bold"), role_names(self.authority_map, assignment.R))
                )
            lines.append(Text.assemble(("Why       ", "dim"), (assignment.why, "italic")))
        for fired in self.result.fired:
            if fired.item is not None:
                lines.append(Text(""))
                lines.append(Text.assemble(("Consequence: ", "bold #f0b429"), (fired.item.title or "", "bold")))
        with Vertical(classes=f"dialog feedback feedback-{classification.outcome}"):
            yield Static(Group(*lines))
            yield Static(Text("Enter to continue · p pauses", style="dim"), id="feedback-status")
        yield Footer()
