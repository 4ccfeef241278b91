"""Small modal screens that return a typed answer with dismiss()."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

ResultType = TypeVar("ResultType")


class DialogScreen(ModalScreen[ResultType]):
    """A modal dialog where `?` and F1 still show the keys: a modal screen does not see the app's bindings."""

    BINDINGS = [Binding("f1,question_mark", "app.help", "Help", id="dialog-help", tooltip="Every key of this dialog")]


class ConfirmScreen(DialogScreen[bool]):
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


def _declared_actions(node: object) -> set[str]:
    """Actions bound in ttx's own classes, not the ones Textual's base classes add (focus, copy, scroll)."""
    actions: set[str] = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("simulator."):
            continue
        for binding in vars(cls).get("BINDINGS", []):
            if isinstance(binding, Binding):
                actions.add(binding.action)
    return actions


def _help_rows(bindings: Iterable[ActiveBinding], app_keys: bool) -> list[tuple[str, str]]:
    """(keys, what it does) for the app's own bindings, or for everything else (the focused widget's keys)."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    declared: dict[int, set[str]] = {}
    for active in bindings:
        binding = active.binding
        node_actions = declared.setdefault(id(active.node), _declared_actions(active.node))
        own = isinstance(active.node, (App, Screen)) and binding.action in node_actions
        description = binding.tooltip or binding.description
        if own != app_keys or not description or not active.enabled:
            continue
        if binding.action in seen or binding.action.endswith("command_palette"):
            continue  # the palette gets one row of its own
        seen.add(binding.action)
        rows.append((binding.key_display or active.node.app.get_key_display(binding), description))
    return rows


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below: its own first, then the palette, then the focused list's or field's keys."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", show=False)]

    def __init__(self, bindings: Iterable[ActiveBinding]) -> None:
        super().__init__(classes="modal-screen")
        self.bindings = list(bindings)

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("key", style="bold #f0b429", no_wrap=True)
        table.add_column("does", ratio=1)
        for keys, description in _help_rows(self.bindings, app_keys=True):
            table.add_row(keys, description)
        table.add_row("ctrl+p", "Command palette: search every action")
        generic = _help_rows(self.bindings, app_keys=False)
        if generic:
            table.add_row("", "")
            table.add_row("", Text("In the focused list or field", style="dim bold"))
            for keys, description in generic:
                table.add_row(Text(keys, style="dim"), Text(description, style="dim"))
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


class NotesScreen(DialogScreen[str | None]):
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
        """Esc on a typed note asks first: a note is easy to lose and slow to type again."""
        if not self.query_one(TextArea).text.strip():
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Throw this note away?", yes="Discard", no="Keep writing"), decided)


class WithdrawScreen(DialogScreen[tuple[str, str] | None]):
    """Pick what to withdraw (the last answer, or one person's ballot) and say why; returns (what, reason).

    `what` is "answer" or a participant's name. Nothing is deleted: the journal keeps
    the withdrawn answer or ballot, marked withdrawn.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-withdraw")]

    def __init__(self, options: list[tuple[str, str]]) -> None:
        super().__init__(classes="modal-screen")
        self.options = options  # (what, label)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog withdraw"):
            yield Label("[b]Withdraw and answer again[/b]")
            yield OptionList(*[Option(Text(label), id=what) for what, label in self.options], id="withdraw-what")
            yield Input(placeholder="why (optional), e.g. mis-keyed", id="withdraw-reason")
            yield Static(Text("↑↓ pick · Enter, then why (optional), Enter withdraws · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self.dismiss((self.options[options.highlighted][0], event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
