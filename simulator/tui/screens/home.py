"""Pick a scenario, an authority map, a mode and a seed."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, RadioButton, RadioSet, Select, Static

from simulator.sessions import unfinished_sessions
from simulator.tui.library import Library, read_library
from simulator.tui.options import MODE_LABELS, PlayMode
from simulator.tui.screens.modals import ConfirmScreen
from simulator.tui.setup_logic import SetupError, load_plan

AUTO = "auto"
TITLE_WIDTH = 42  # keeps every column visible at 80 columns


class HomeScreen(Screen[None]):
    def __init__(self, *, offer_resume: bool = False) -> None:
        super().__init__()
        self.offer_resume = offer_resume
        self.summaries: dict[str, str] = {}

    BINDINGS = [
        # Enter on the table picks the highlighted scenario; ctrl+n works from any field.
        Binding("ctrl+n", "next", "Next", id="next", tooltip="Set up the exercise with these choices"),
        Binding("r", "resume", "Resume", id="resume", tooltip="Resume the latest unfinished session"),
        Binding("m", "map_workshop", "Map workshop", id="map-workshop", tooltip="Build or revise an authority map"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(
                Text.assemble(
                    ("ttx", "bold #f0b429"), "  who acts? — tabletop exercises for incident-response ownership"
                ),
                id="home-title",
            )
            yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            yield Static(id="scenario-summary")
            with Horizontal(id="home-options"):
                with Vertical(classes="option"):
                    yield Label("Authority map")
                    yield Select[str]([("Auto (by audience)", AUTO)], value=AUTO, allow_blank=False, id="map")
                    yield Input(placeholder="…or a map file path", id="map-path")
                with Vertical(classes="option"):
                    yield Label("Mode")
                    with RadioSet(id="mode"):
                        for mode, label in MODE_LABELS.items():
                            yield RadioButton(label, value=mode == "facilitated", name=mode)
                with Vertical(classes="option option-narrow"):
                    yield Label("Seed")
                    yield Input(placeholder="random", id="seed", type="integer")
                    yield Button("Next ▶", variant="primary", id="next")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        for column in ("Scenario", "Audience", "Min", "Decisions", "Stages"):
            table.add_column(column, key=column.lower())
        table.loading = True
        self.load_library()
        if self.offer_resume:
            self.call_after_refresh(self._offer_resume)

    @dataclass
    class LibraryLoaded(Message):
        library: Library

    @work(thread=True, exclusive=True, name="load-library")
    def load_library(self) -> None:
        """Reading and validating every scenario is the slow part of start-up: do it off the UI thread."""
        self.post_message(self.LibraryLoaded(read_library()))

    def on_home_screen_library_loaded(self, message: LibraryLoaded) -> None:
        table = self.query_one("#scenarios", DataTable)
        self.summaries = {str(row.path): row.summary for row in message.library.scenarios}
        for row in message.library.scenarios:
            if row.problems:
                label = Text(f"{row.title}: {row.problems} problems (ttx validate)", style="red")
                table.add_row(label, "", "", "", "")
                continue
            title = row.title if len(row.title) <= TITLE_WIDTH else row.title[: TITLE_WIDTH - 1] + "…"
            table.add_row(
                Text(title), row.audience, str(row.minutes), str(row.decisions), row.stages, key=str(row.path)
            )
        table.loading = False
        self.call_after_refresh(table.focus)  # once the loading indicator is gone
        options = [("Auto (by audience)", AUTO), *((label, str(path)) for label, path in message.library.maps)]
        self.query_one("#map", Select).set_options(options)
        self.query_one("#map", Select).value = AUTO

    def _offer_resume(self, *, say_none: bool = False) -> None:
        workspace = self.app.options.workspace  # type: ignore[attr-defined]
        waiting = unfinished_sessions(workspace)
        if not waiting:
            if say_none:
                self.notify(f"No unfinished session in {workspace}.", timeout=4, markup=False)
            return
        latest = waiting[-1]
        header = latest.header
        assert header is not None

        def decided(resume: bool | None) -> None:
            if resume:
                self.app.open_session_folder(latest.folder)  # type: ignore[attr-defined]

        self.app.push_screen(
            ConfirmScreen(
                f"An unfinished exercise is waiting:\n\n  {header.scenario.id} with map {header.map.id}"
                f" ({header.mode}, {latest.answers} answers,"
                f" started {header.started_at[:16].replace('T', ' ')} UTC)\n\nResume it?",
                yes="Resume",
                no="Start new",
            ),
            decided,
        )

    def action_map_workshop(self) -> None:
        from simulator.tui.screens.map_workshop import MapWorkshopScreen

        self.app.push_screen(MapWorkshopScreen())

    def action_resume(self) -> None:
        self._offer_resume(say_none=True)

    @on(DataTable.RowHighlighted, "#scenarios")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        summary = self.summaries.get(str(event.row_key.value), "")
        self.query_one("#scenario-summary", Static).update(Text(summary.strip(), style="italic"))

    @on(DataTable.RowSelected, "#scenarios")
    def _row_chosen(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#next")
    @on(Input.Submitted, "#seed, #map-path")
    def _next_pressed(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        from simulator.tui.screens.setup import SetupScreen

        table = self.query_one("#scenarios", DataTable)
        if table.loading or table.row_count == 0:
            self.notify("No scenario to play.", severity="error", markup=False)
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        if row_key.value is None:
            self.notify("That scenario has problems: run ttx validate on it.", severity="error", markup=False)
            return
        map_path = self.query_one("#map-path", Input).value.strip()
        map_choice = self.query_one("#map", Select).value
        map_ref = map_path or (None if map_choice == AUTO else str(map_choice))
        pressed = self.query_one("#mode", RadioSet).pressed_button
        mode: PlayMode = (pressed.name if pressed is not None else "facilitated") or "facilitated"  # type: ignore[assignment]
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            plan = load_plan(row_key.value, map_ref, mode, int(seed_text) if seed_text else None)
        except SetupError as error:
            self.notify(str(error), title="Cannot use these files", severity="error", timeout=12, markup=False)
            return
        options = self.app.options  # type: ignore[attr-defined]
        if options.roster is not None:
            try:
                from simulator.tui.setup_logic import read_roster

                plan = plan.with_changes(roster=read_roster(options.roster, plan.authority_map))
            except SetupError as error:
                self.notify(str(error), title="Roster", severity="warning", timeout=10, markup=False)
        self.app.push_screen(SetupScreen(plan))
