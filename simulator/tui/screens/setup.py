"""Who is in the room: participants and the roles each holds (or the solo player's name)."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from simulator.tui.options import MODE_LABELS
from simulator.tui.setup_logic import (
    SetupError,
    SetupPlan,
    add_participant,
    default_player,
    read_roster,
    remove_participant,
    unstaffed_roles,
)


class SetupScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="start", tooltip="Create the session and show the briefing"),
        Binding("escape", "back", "Back", id="back", tooltip="Back to the scenario list"),
    ]

    def __init__(self, plan: SetupPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="setup"):
            yield Static(
                Text.assemble(
                    (plan.scenario.title, "bold"),
                    f"\n{plan.authority_map.title} · {MODE_LABELS[plan.mode]} · seed {plan.seed}",
                ),
                id="setup-title",
            )
            if plan.mode == "facilitated":
                with Horizontal(id="roster-editor"):
                    with Vertical(id="roster-form"):
                        yield Input(placeholder="Participant's name", id="person")
                        yield Label("Roles they hold (space to tick)")
                        yield SelectionList[str](
                            *[
                                Selection(
                                    Text.assemble(
                                        r.name, "  ", (plan.authority_map.parties.get(r.party, r.party), "dim")
                                    ),
                                    r.id,
                                )
                                for r in plan.authority_map.roles
                            ],
                            id="person-roles",
                        )
                        with Horizontal(classes="buttons"):
                            yield Button("Add / update", id="add", variant="success")
                            yield Button("Remove", id="remove", variant="error")
                    with Vertical(id="roster-view"):
                        yield Static(id="roster-table")
                        yield Input(placeholder="Load a roster file (path, Enter)", id="roster-file")
            else:
                with Vertical(id="solo-form"):
                    yield Label("Your name")
                    yield Input(value=plan.player or default_player(), id="player")
                    yield Static(
                        Text.assemble(
                            "You hold every role: answer who ",
                            ("should", "italic"),
                            " act by your organisation's map.",
                            style="dim",
                        )
                    )
            yield Button("Start the exercise ▶ (ctrl+s)", variant="primary", id="start")
        yield Footer()

    def on_mount(self) -> None:
        if self.plan.mode == "facilitated":
            self._show_roster()
            self.query_one("#person", Input).focus()
        else:
            self.query_one("#player", Input).focus()

    def _show_roster(self) -> None:
        plan = self.plan
        names = {r.id: r.name for r in plan.authority_map.roles}
        table = Table(title="In the room", title_justify="left", expand=True)
        table.add_column("Person", style="bold")
        table.add_column("Roles")
        for person in plan.roster.participants if plan.roster else []:
            table.add_row(Text(person.name), Text(", ".join(names.get(r, r) for r in person.roles) or "—"))
        unstaffed = unstaffed_roles(plan.authority_map, plan.roster)
        caption = Text("Unstaffed: ", style="bold #e06c75")
        caption.append(", ".join(names[r] for r in unstaffed) or "none", style="#e06c75" if unstaffed else "dim")
        table.caption = caption
        table.caption_justify = "left"
        self.query_one("#roster-table", Static).update(table)

    @on(Button.Pressed, "#add")
    @on(Input.Submitted, "#person")
    def _add(self) -> None:
        name = self.query_one("#person", Input).value
        roles = list(self.query_one("#person-roles", SelectionList).selected)
        try:
            self.plan = self.plan.with_changes(roster=add_participant(self.plan.roster, name, roles))
        except SetupError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.query_one("#person", Input).value = ""
        self.query_one("#person-roles", SelectionList).deselect_all()
        self.query_one("#person", Input).focus()
        self._show_roster()

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        name = self.query_one("#person", Input).value.strip()
        self.plan = self.plan.with_changes(roster=remove_participant(self.plan.roster, name))
        self._show_roster()

    @on(Input.Submitted, "#roster-file")
    def _load_roster(self, event: Input.Submitted) -> None:
        try:
            roster = read_roster(Path(event.value.strip()).expanduser(), self.plan.authority_map)
        except SetupError as error:
            self.notify(str(error), title="Roster", severity="error", timeout=12, markup=False)
            return
        self.plan = self.plan.with_changes(roster=roster)
        self._show_roster()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Input.Submitted, "#player")
    def _player_entered(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if self.plan.mode != "facilitated":
            self.plan = self.plan.with_changes(player=self.query_one("#player", Input).value.strip())
        try:
            self.plan.effective_roster  # noqa: B018 - raises when nobody is in the room
        except SetupError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.app.begin(self.plan)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
