"""Small modal screens that return a typed answer with dismiss()."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, message: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="modal-screen")
        self.message, self.yes, self.no = message, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.message, classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button(f"{self.no} (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class HelpScreen(ModalScreen[None]):
    """Every key that works on the screen below, with what it does."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", show=False)]

    def __init__(self, bindings: Iterable[ActiveBinding]) -> None:
        super().__init__(classes="modal-screen")
        self.bindings = list(bindings)

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("key", style="bold #f0b429", no_wrap=True)
        table.add_column("does")
        seen: set[str] = set()
        for active in self.bindings:
            binding = active.binding
            description = binding.tooltip or binding.description
            if not description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            keys = binding.key_display or self.app.get_key_display(binding)
            table.add_row(keys, description)
        table.add_row("ctrl+p", "Command palette: search every action")
        with Vertical(classes="dialog help"):
            yield Label("[b]Keys on this screen[/b]")
            with VerticalScroll():
                yield Static(table)
            yield Static(Text("Esc closes this help.", style="dim"))


class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is smaller than the layout needs."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(classes="modal-screen too-small")
        self.min_width, self.min_height = width, height

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text")

    def on_mount(self) -> None:
        self.update_size(self.app.size.width, self.app.size.height)

    def update_size(self, width: int, height: int) -> None:
        self.query_one("#too-small-text", Static).update(
            f"This window is {width}×{height}.\nttx needs at least {self.min_width}×{self.min_height}.\n\n"
            "Make the terminal larger (or the font smaller);\nthe exercise continues where it was."
        )


class NotesScreen(ModalScreen[str | None]):
    """Facilitator or hotwash notes, kept in the journal with where play stood."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="save-note"),
        Binding("escape", "cancel", "Cancel", id="cancel-note"),
    ]

    def __init__(self, where: str) -> None:
        super().__init__(classes="modal-screen")
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog notes"):
            yield Static(Text.assemble(("Note", "bold"), "  ", (self.where, "dim")))
            yield TextArea(id="note-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
