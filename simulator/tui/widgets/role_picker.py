"""Pick the role(s) that act: digits or space toggle, Enter records, 0 means nobody."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from simulator.engine import Choice


class RolePicker(SelectionList[str]):
    """Every role of the map with its party. Several ticked roles record a contested answer."""

    BINDINGS = [
        Binding("enter", "submit", "Record", show=False),
        Binding("space", "select", "Toggle", show=False),
    ]

    @dataclass
    class Submitted(Message):
        """The team's answer: the ticked roles, or the highlighted one when none is ticked."""

        picker: RolePicker
        roles: tuple[str, ...]

    def __init__(self, choices: list[Choice], *, id: str | None = None) -> None:
        self.choices = choices
        super().__init__(*self._selections(), id=id)

    def _selections(self) -> list[Selection[str]]:
        selections = []
        for number, choice in enumerate(self.choices, start=1):
            key = str(number) if number <= 9 else " "
            label = Text.assemble((f"{key} ", "bold"), choice.name)
            if not choice.staffed:
                label.append(" (unstaffed)", style="italic #e06c75")
            label.append(f"  {choice.party_name}", style="dim")
            selections.append(Selection(label, choice.role, id=choice.role))
        return selections

    def toggle_number(self, number: int) -> None:
        if 1 <= number <= len(self.choices):
            self.toggle(self.choices[number - 1].role)
            self.highlighted = number - 1

    def reset(self) -> None:
        self.deselect_all()
        self.highlighted = 0

    def action_submit(self) -> None:
        roles = tuple(self.selected)
        if not roles and self.highlighted is not None:
            roles = (self.choices[self.highlighted].role,)
        self.post_message(self.Submitted(self, roles))
