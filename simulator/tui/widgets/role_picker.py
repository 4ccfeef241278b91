"""Pick the role(s) that act: a role's key or space toggles, Enter records, 0 means nobody.

Roles 1–9 have their digit; roles 10–20 have the letters of `ROLE_KEYS`, shown beside
each role. The letters leave out every letter the play screen and its dialogs use
(b, e, n, p, q, t, u, v, w), so a map with up to 20 roles can be ticked from the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from simulator.engine import Choice

ROLE_KEYS = "123456789acdfghijklm"
UNSTAFFED = "(unstaffed)"


def role_key_bindings() -> list[Binding]:
    """Screen bindings ticking role 1…20 by its key; shown once in help as '1…9, a…m'."""
    return [
        Binding(
            key,
            f"tick_role({number})",
            "Tick role 1–20",
            show=False,
            key_display="1…9 a…m",
            tooltip="Tick a role: 1–9, then a c d f g h i j k l m for roles 10–20",
        )
        if number == 1
        else Binding(key, f"tick_role({number})", show=False)
        for number, key in enumerate(ROLE_KEYS, start=1)
    ]


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
        ticked: bool = True  # False: nothing was ticked and `roles` is the highlighted role

    def __init__(self, choices: list[Choice], *, id: str | None = None) -> None:
        self.choices = choices
        self._label_width = 0
        super().__init__(*self._selections(), id=id)

    def _selections(self, width: int | None = None) -> list[Selection[str]]:
        """One row per role: key, name, "(unstaffed)", and the party when `width` leaves room for it."""
        selections = []
        for number, choice in enumerate(self.choices, start=1):
            key = ROLE_KEYS[number - 1] if number <= len(ROLE_KEYS) else " "
            line = f"{key} {choice.name}" + ("" if choice.staffed else f" {UNSTAFFED}")
            party = f"  {choice.party_name}"
            label = Text(line)
            label.stylize("bold", 0, 1)
            label.highlight_words([UNSTAFFED], style="italic #e06c75")
            if width is None or len(line) + len(party) <= width:
                label.append(party, style="dim")
            selections.append(Selection(label, choice.role, id=choice.role))
        return selections

    def on_resize(self) -> None:
        """Drop the party names rather than cut a role's name when the list is narrow."""
        width = self.scrollable_content_region.width - 5  # the tick box and a scrollbar
        if width == self._label_width or width <= 0:
            return
        self._label_width = width
        ticked, highlighted = set(self.selected), self.highlighted
        self.clear_options()
        self.add_options(self._selections(width))
        for role in ticked:
            self.select(role)
        self.highlighted = highlighted

    def toggle_number(self, number: int) -> None:
        if 1 <= number <= len(self.choices):
            self.toggle(self.choices[number - 1].role)
            self.highlighted = number - 1

    def reset(self) -> None:
        self.deselect_all()
        self.highlighted = 0

    def action_submit(self) -> None:
        # The picker is the sender even when a parent's button calls this, so the message bubbles past that parent.
        roles = tuple(self.selected)
        if roles:
            self.post_message(self.Submitted(self, roles).set_sender(self))
        elif self.highlighted is not None:
            self.post_message(
                self.Submitted(self, (self.choices[self.highlighted].role,), ticked=False).set_sender(self)
            )
