"""Pick a scenario, an authority map, a mode and a seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, RadioButton, RadioSet, Select, Static

from simulator.play import random_seed
from simulator.sessions import unfinished_sessions
from simulator.tui.library import Library, ScenarioRow, plain_words, read_library, sample_summary
from simulator.tui.options import MODE_LABELS, PlayMode
from simulator.tui.screens.modals import ConfirmScreen
from simulator.tui.setup_logic import SetupError, load_plan
from simulator.wording import plural

AUTO = "auto"
OTHER_COLUMNS = 40  # audience, minutes, decisions, stages, cell padding, screen padding and scrollbar
SUMMARY_LINES = 3


def shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class HomeScreen(Screen[None]):
    def __init__(self, *, offer_resume: bool = False) -> None:
        super().__init__()
        self.offer_resume = offer_resume
        self.rows: dict[str, ScenarioRow] = {}
        self.library: Library | None = None
        self.resumable = False  # an unfinished session waits in the workspace
        # The seed used when the Seed box is left empty: chosen now, so the summary shows the names
        # the exercise will really use.
        self.sample_seed = random_seed()

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
                    yield Input(placeholder="…or a map file path", id="map-path", compact=True)
                with Vertical(classes="option"):
                    yield Label("Mode")
                    with RadioSet(id="mode"):
                        for mode, label in MODE_LABELS.items():
                            yield RadioButton(label, value=mode == "facilitated", name=mode)
                with Vertical(classes="option option-narrow"):
                    yield Label("Seed")
                    yield Input(placeholder="random", id="seed", type="integer")
                    yield Button("Next ▶ (ctrl+n)", variant="primary", id="next", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        table.add_column("Scenario", key="scenario", width=self._title_width())
        for column in ("Audience", "Min", "Decisions", "Stages"):
            table.add_column(column, key=column.lower())
        table.loading = True
        self.load_library()
        given = self.app.options.seed  # type: ignore[attr-defined]
        if given is not None:
            self.sample_seed = given
        self.query_one("#seed", Input).placeholder = f"random ({self.sample_seed})"
        if self.offer_resume:
            self.call_after_refresh(self._offer_resume)

    @dataclass
    class LibraryLoaded(Message):
        library: Library
        resumable: bool

    @dataclass
    class SummaryReady(Message):
        key: str
        text: str

    @work(thread=True, exclusive=True, name="load-library")
    def load_library(self) -> None:
        """Reading and validating every scenario is the slow part of start-up: do it off the UI thread."""
        workspace = self.app.options.workspace  # type: ignore[attr-defined]
        self.post_message(self.LibraryLoaded(read_library(), bool(unfinished_sessions(workspace))))

    def on_screen_resume(self) -> None:
        """Back from an exercise: whether something can be resumed may have changed."""
        if self.library is not None:
            workspace = self.app.options.workspace  # type: ignore[attr-defined]
            self.resumable = bool(unfinished_sessions(workspace))
            self.refresh_bindings()

    def _title_width(self) -> int:
        return max(20, self.app.size.width - OTHER_COLUMNS)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.resumable  # the key is offered only when there is something to resume
        return True

    def on_home_screen_library_loaded(self, message: LibraryLoaded) -> None:
        table = self.query_one("#scenarios", DataTable)
        self.library = message.library
        self.resumable = message.resumable
        self.refresh_bindings()
        self.rows = {str(row.path): row for row in message.library.scenarios}
        title_width = self._title_width()
        for row in message.library.scenarios:
            marker = " (local)" if row.local else ""
            if row.problems:
                label = Text(
                    shortened(f"{row.title}: {plural(row.problems, 'problem')} (ttx validate)", title_width), "red"
                )
                table.add_row(label, "", "", "", "")
                continue
            title = Text(shortened(row.title, title_width - len(marker)))
            title.append(marker, style="bold #5fafff")
            table.add_row(title, row.audience, str(row.minutes), str(row.decisions), row.stages, key=str(row.path))
        table.loading = False
        self.call_after_refresh(table.focus)  # once the loading indicator is gone
        options = [("Auto (by audience)", AUTO), *((label, str(path)) for label, path in message.library.maps)]
        self.query_one("#map", Select).set_options(options)
        self.query_one("#map", Select).value = AUTO

    def _offer_resume(self, *, say_none: bool = False) -> None:
        workspace = self.app.options.workspace  # type: ignore[attr-defined]
        waiting = unfinished_sessions(workspace)
        self.resumable = bool(waiting)
        self.refresh_bindings()
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
                f" ({header.mode}, {plural(latest.answers, 'answer')},"
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
        self._show_summary(str(event.row_key.value))

    @on(Input.Changed, "#seed")
    def _seed_changed(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        if table.row_count and not table.loading:
            self._show_summary(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _chosen_seed(self) -> int:
        typed = self.query_one("#seed", Input).value.strip()
        try:
            return int(typed) if typed else self.sample_seed
        except ValueError:
            return self.sample_seed

    def _show_summary(self, key: str) -> None:
        """Plain words at once; the names this seed gives follow from a worker (Faker is slow to start)."""
        row = self.rows.get(key)
        if row is None:
            self.query_one("#scenario-summary", Static).update("")
            return
        self._set_summary(plain_words(row.summary))
        self.fill_summary(key, row, self._chosen_seed())

    @work(thread=True, exclusive=True, group="summary", name="fill-summary")
    def fill_summary(self, key: str, row: ScenarioRow, seed: int) -> None:
        self.post_message(self.SummaryReady(key, sample_summary(row, seed)))

    def on_home_screen_summary_ready(self, message: SummaryReady) -> None:
        table = self.query_one("#scenarios", DataTable)
        if table.row_count and str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == message.key:
            self._set_summary(message.text)

    def _set_summary(self, text: str) -> None:
        summary = self.query_one("#scenario-summary", Static)
        width = max(20, summary.size.width or self.app.size.width - 2)
        flat = " ".join(text.split())
        self.query_one("#scenario-summary", Static).update(
            Text(shortened(flat, width * SUMMARY_LINES - width // 3), style="italic")
        )

    @on(DataTable.RowSelected, "#scenarios")
    def _row_chosen(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#next")
    @on(Input.Submitted, "#seed, #map-path")
    def _next_pressed(self) -> None:
        self.action_next()

    def action_next(self) -> None:
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
        row = self.rows.get(row_key.value)
        if map_ref is None and row is not None and row.audience == "any" and self.library is not None:
            from simulator.tui.screens.map_choice import MapChoiceScreen

            def chosen(path: Path | None) -> None:
                if path is not None:
                    self._set_up(row_key.value or "", str(path))

            self.app.push_screen(MapChoiceScreen(row.title, self.library.maps), chosen)
            return
        self._set_up(row_key.value, map_ref)

    def _set_up(self, scenario_ref: str, map_ref: str | None) -> None:
        from simulator.tui.screens.setup import SetupScreen

        pressed = self.query_one("#mode", RadioSet).pressed_button
        mode: PlayMode = (pressed.name if pressed is not None else "facilitated") or "facilitated"  # type: ignore[assignment]
        try:
            plan = load_plan(scenario_ref, map_ref, mode, self._chosen_seed())
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
