"""Ask where to save the roster typed in on the setup screen."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class SaveRosterScreen(ModalScreen[str | None]):
    """A file name for the roster; dismisses with the text typed, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-save-roster")]

    def __init__(self, suggestion: str) -> None:
        super().__init__(classes="modal-screen")
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog save-roster"):
            yield Static(Text("Save roster as…", style="bold"))
            yield Static(
                Text("A YAML file that ttx play --roster and the setup screen read back.", style="dim"),
                classes="dialog-text",
            )
            yield Input(value=self.suggestion, placeholder="roster.yaml", id="roster-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (enter)", variant="primary", id="save-roster")
                yield Button("Cancel (esc)", id="cancel-roster")

    def on_mount(self) -> None:
        self.query_one("#roster-path", Input).focus()

    @on(Input.Submitted, "#roster-path")
    @on(Button.Pressed, "#save-roster")
    def _save(self) -> None:
        typed = self.query_one("#roster-path", Input).value.strip()
        if not typed:
            self.notify("Type a file name for the roster.", severity="warning", markup=False)
            return
        self.dismiss(typed)

    @on(Button.Pressed, "#cancel-roster")
    def action_cancel(self) -> None:
        self.dismiss(None)
