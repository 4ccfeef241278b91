"""Every role of a map with up to 20 roles has its own key, and none of them is a key the play screen uses."""

from __future__ import annotations

from textual.app import App, ComposeResult

from simulator.engine import Choice
from simulator.tui.screens.answer_modals import BallotScreen
from simulator.tui.screens.play import PlayScreen
from simulator.tui.widgets.role_picker import RolePicker, role_key_bindings

CHOICES = [
    Choice(f"role-{n}", f"Role number {n}", "ops", "Operations", ("Ana",) if n % 2 else ()) for n in range(1, 21)
]


class PickerApp(App[None]):
    BINDINGS = role_key_bindings()

    def compose(self) -> ComposeResult:
        yield RolePicker(CHOICES, id="picker")

    def action_tick_role(self, number: int) -> None:
        self.query_one(RolePicker).toggle_number(number)


def test_twenty_distinct_keys_that_no_screen_key_shadows() -> None:
    keys = [b.key for b in role_key_bindings()]
    assert keys == list("123456789acdfghijklm")
    for screen in (PlayScreen, BallotScreen):
        own = {b.key for b in screen.BINDINGS if not b.action.startswith("tick_role")}  # type: ignore[union-attr]
        assert not own & set(keys), screen


async def test_roles_ten_to_twenty_are_ticked_by_their_letters() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("9", "a", "m")
        picker = app.query_one(RolePicker)
        assert sorted(picker.selected) == ["role-10", "role-20", "role-9"]
        await pilot.press("a")
        assert sorted(picker.selected) == ["role-20", "role-9"]
