"""Who is in the room: participants and the roles each holds (or the solo player's name)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from simulator.model import Participant
from simulator.tui.options import MODE_LABELS
from simulator.tui.screens.modals import ConfirmScreen
from simulator.tui.setup_logic import (
    SetupError,
    SetupPlan,
    add_participant,
    clean_name,
    default_player,
    find_participant,
    people_without_roles,
    read_roster,
    remove_participant,
    save_roster,
    unstaffed_roles,
)

DEFAULT_ROSTER_FILE = "roster.yaml"


def sentence(text: str) -> str:
    """`text` with a capital first letter; the rest (names) untouched."""
    return text[:1].upper() + text[1:]


class SetupScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="start", tooltip="Create the session and show the briefing"),
        Binding("ctrl+r", "remove", "Remove", id="remove-person", tooltip="Remove a participant (asks first)"),
        Binding("delete", "remove", "Remove…", show=False, id="remove-person-delete"),
        Binding(
            "ctrl+o", "save_roster", "Save roster", id="save-roster", tooltip="Save roster as… a file --roster reads"
        ),
        Binding("ctrl+l", "load_roster", "Load roster", show=False, id="load-roster", tooltip="Load a roster file"),
        Binding("escape", "back", "Back", id="back", tooltip="Back to the scenario list"),
    ]

    def __init__(self, plan: SetupPlan) -> None:
        super().__init__()
        self.plan = plan
        self.roster_file = DEFAULT_ROSTER_FILE  # suggested by "save roster as…": the last file used

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
                        yield Input(placeholder="Name (a known name brings back their roles)", id="person")
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
                            yield Button("Add", id="add", variant="success", compact=True)
                            yield Button("Remove…", id="remove", variant="error", compact=True)
                    with Vertical(id="roster-view"):
                        yield Label("In the room", id="roster-heading")
                        yield DataTable(id="roster-table", cursor_type="row", zebra_stripes=True)
                        unstaffed_box = VerticalScroll(id="unstaffed-box")
                        unstaffed_box.can_focus = False  # scrolls with the mouse; Tab goes on to the files
                        with unstaffed_box:
                            yield Static(id="unstaffed")
                        with Horizontal(id="roster-files"):
                            yield Input(placeholder="Load a roster file (path, Enter)", id="roster-file", compact=True)
                            yield Button("Save as…", id="save-roster-button", compact=True)
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
            yield Button("Start the exercise ▶ (ctrl+s)", variant="primary", id="start", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        if self.plan.mode == "facilitated":
            self._show_roster()
            self.query_one("#person", Input).focus()
        else:
            self.query_one("#player", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        roster_action = action in ("remove", "save_roster", "load_roster")
        return self.plan.mode == "facilitated" or not roster_action

    # --- the roster table ---------------------------------------------------------------

    def _show_roster(self) -> None:
        plan = self.plan
        names = {r.id: r.name for r in plan.authority_map.roles}
        table = self.query_one("#roster-table", DataTable)
        highlighted = table.cursor_row
        participants = plan.roster.participants if plan.roster else []
        # Fixed widths so a long list of roles wraps onto more lines instead of being cut.
        room = max(table.size.width, self.app.size.width // 2 - 4) - 5
        person_width = min(max([6, *(len(p.name) for p in participants)]), max(8, room // 2))
        table.clear(columns=True)
        table.add_column("Person", key="person", width=person_width)
        table.add_column("Roles", key="roles", width=max(8, room - person_width))
        for person in participants:
            roles = Text(", ".join(names.get(r, r) for r in person.roles))
            if not person.roles:
                roles = Text("⚠ no role: edit or remove", style="bold #f0b429")
            table.add_row(Text(clean_name(person.name)), roles, key=person.name, height=None)
        if table.row_count:
            table.move_cursor(row=min(highlighted, table.row_count - 1))
        unstaffed = unstaffed_roles(plan.authority_map, plan.roster)
        line = Text("Unstaffed: ", style="bold #e06c75")
        line.append(", ".join(names[r] for r in unstaffed) or "none", style="#e06c75" if unstaffed else "dim")
        self.query_one("#unstaffed", Static).update(line)
        count = len(plan.roster.participants) if plan.roster else 0
        self.query_one("#roster-heading", Label).update(
            f"In the room: {count} {'person' if count == 1 else 'people'} · Enter edits"
        )

    def on_resize(self) -> None:
        if self.plan.mode == "facilitated":
            self._show_roster()

    def _highlighted_person(self) -> Participant | None:
        table = self.query_one("#roster-table", DataTable)
        if not table.row_count or self.plan.roster is None:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return find_participant(self.plan.roster, str(row_key.value))

    @on(DataTable.RowSelected, "#roster-table")
    def _edit_person(self) -> None:
        """Enter on a row puts that person in the form, roles ticked, ready to change."""
        person = self._highlighted_person()
        if person is None:
            return
        self.query_one("#person", Input).value = person.name  # the Changed handler ticks their roles
        self.query_one("#person-roles", SelectionList).focus()

    # --- the form -------------------------------------------------------------------------

    @on(Input.Changed, "#person")
    def _name_typed(self, event: Input.Changed) -> None:
        """A name already in the room brings back that person's roles, so "update" edits instead of replacing."""
        known = find_participant(self.plan.roster, event.value)
        roles = self.query_one("#person-roles", SelectionList)
        button = self.query_one("#add", Button)
        if known is not None:
            roles.deselect_all()
            for role in known.roles:
                roles.select(role)
            button.label = "Update"
        elif str(button.label) == "Update":
            roles.deselect_all()  # the name moved away from a known person: their roles go with them
            button.label = "Add"

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
        self.query_one("#add", Button).label = "Add"
        self.query_one("#person", Input).focus()
        self._show_roster()

    @on(Button.Pressed, "#remove")
    def _remove_pressed(self) -> None:
        self.action_remove()

    def action_remove(self) -> None:
        """Remove the person named in the form, else the one highlighted in the table; asks first."""
        typed = clean_name(self.query_one("#person", Input).value)
        person = find_participant(self.plan.roster, typed) if typed else self._highlighted_person()
        if person is None:
            try:
                remove_participant(self.plan.roster, typed)
            except SetupError as error:  # says who is in the room instead
                self.notify(sentence(str(error)), title="Remove", severity="warning", markup=False)
            return

        def decided(remove: bool | None) -> None:
            if not remove:
                return
            self.plan = self.plan.with_changes(roster=remove_participant(self.plan.roster, person.name))
            self.query_one("#person", Input).value = ""
            self._show_roster()
            self.notify(f"{person.name} removed from the room.", timeout=4, markup=False)

        roles = len(person.roles)
        self.app.push_screen(
            ConfirmScreen(
                f"Remove {person.name} ({roles} role{'s' if roles != 1 else ''}) from the room?",
                yes="Remove",
                no="Keep",
            ),
            decided,
        )

    # --- roster files ---------------------------------------------------------------------

    def action_load_roster(self) -> None:
        self.query_one("#roster-file", Input).focus()

    @on(Input.Submitted, "#roster-file")
    def _load_roster(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        try:
            roster = read_roster(path, self.plan.authority_map)
        except SetupError as error:
            self.notify(str(error), title="Roster", severity="error", timeout=12, markup=False)
            return
        self.plan = self.plan.with_changes(roster=roster)
        self.roster_file = str(path)
        self._show_roster()
        empty = people_without_roles(roster)
        if empty:
            self.notify(
                f"No role for {', '.join(empty)}: edit (Enter on the row) or remove them.",
                title="Roster",
                severity="warning",
                timeout=10,
                markup=False,
            )

    @on(Button.Pressed, "#save-roster-button")
    def _save_pressed(self) -> None:
        self.action_save_roster()

    def action_save_roster(self) -> None:
        from simulator.tui.screens.save_roster import SaveRosterScreen

        if self.plan.roster is None:
            self.notify("Nobody is in the room yet: add a participant first.", severity="warning", markup=False)
            return
        self.app.push_screen(SaveRosterScreen(self.roster_file), self._save_to)

    def _save_to(self, typed: str | None, *, replace: bool = False) -> None:
        if not typed:
            return
        try:
            written = save_roster(Path(typed), self.plan.roster, self.plan.authority_map, replace=replace)
        except FileExistsError as exists:

            def decided(yes: bool | None) -> None:
                if yes:
                    self._save_to(typed, replace=True)

            self.app.push_screen(
                ConfirmScreen(f"{exists} already exists.\n\nReplace it with this roster?", yes="Replace", no="Keep"),
                decided,
            )
            return
        except SetupError as error:
            self.notify(str(error), title="Roster not saved", severity="error", timeout=12, markup=False)
            return
        self.roster_file = str(written)
        self.notify(
            f"Roster saved to {written.resolve()}\nNext time: ttx play … --roster {written}",
            title="Roster saved",
            timeout=10,
            markup=False,
        )

    # --- starting -------------------------------------------------------------------------

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Input.Submitted, "#player")
    def _player_entered(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if self.plan.mode != "facilitated":
            self.plan = self.plan.with_changes(player=clean_name(self.query_one("#player", Input).value))
        try:
            self.plan.effective_roster  # noqa: B018 - raises when nobody is in the room
        except SetupError as error:
            self.notify(sentence(str(error)), severity="warning", markup=False)
            return
        empty = people_without_roles(self.plan.roster) if self.plan.mode == "facilitated" else []
        if not empty:
            self.app.begin(self.plan)  # type: ignore[attr-defined]
            return

        def decided(start: bool | None) -> None:
            if start:
                self.app.begin(self.plan)  # type: ignore[attr-defined]

        verb = "holds" if len(empty) == 1 else "hold"
        self.app.push_screen(
            ConfirmScreen(
                f"{', '.join(empty)} {verb} no role: they can vote, but no decision is theirs to own.\n\nStart anyway?",
                yes="Start",
                no="Edit the roster",
            ),
            decided,
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> Iterator[SystemCommand]:
        if self.plan.mode == "facilitated":
            yield SystemCommand(
                "Save roster as…", "Write the people in the room to a roster file", self.action_save_roster
            )
            yield SystemCommand("Load roster", "Read a roster file into the room", self.action_load_roster)
            yield SystemCommand("Remove participant", "Remove the named or highlighted person", self.action_remove)
