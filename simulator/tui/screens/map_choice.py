"""Ask which authority map to play a scenario written for any audience against."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class MapChoiceScreen(ModalScreen[Path | None]):
    """Dismisses with the chosen map's path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-map-choice")]

    def __init__(self, scenario_title: str, maps: list[tuple[str, Path]]) -> None:
        super().__init__(classes="modal-screen")
        self.scenario_title, self.maps = scenario_title, maps

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-choice"):
            yield Static(Text("Which authority map?", style="bold"))
            yield Static(
                Text.assemble(
                    (self.scenario_title, "italic"),
                    " is written for any organisation: pick the map of who owns what in yours.",
                ),
                classes="dialog-text",
            )
            yield OptionList(*[Option(Text(label), id=str(index)) for index, (label, _) in enumerate(self.maps)])
            yield Static(Text("Enter picks · Esc goes back", style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.maps[int(event.option_id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
