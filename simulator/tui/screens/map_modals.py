"""Dialogs of the map workshop: start point, why, party, role, deputy, demotion and save path.

Each returns its answer with dismiss(). Dialogs that change the map take an
`apply` callback that performs the edit and returns an error message (or None):
a rejected edit keeps the dialog open with the reason shown, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from simulator.authoring.mapdraft import DraftError, Letter, RoleDraft
from simulator.authoring.mapstart import StartPoint, id_and_title
from simulator.frozen import frozen
from simulator.safetext import strip_controls

Apply = Callable[..., "str | None"]


def _plain(text: str) -> Text:
    return Text(strip_controls(text))


class _Dialog(ModalScreen[object]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self) -> None:
        super().__init__(classes="modal-screen")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def error(self, message: str | None) -> None:
        self.query_one(".dialog-error", Static).update(Text(strip_controls(message or ""), style="bold #e06c75"))


# --- starting a map ------------------------------------------------------------------


@frozen
class NewMapChoice:
    name: str
    start: StartPoint


class NewMapScreen(_Dialog):
    """Name the new map and pick where it starts from."""

    def __init__(self, name: str, points: list[StartPoint]) -> None:
        super().__init__()
        self.name_given, self.points = name, points

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-dialog"):
            yield Label("[b]New authority map[/b]")
            yield Label("Name (an id like acme-msp, or a title)")
            yield Input(self.name_given, id="new-map-name")
            yield Label("Start from (↑↓, Enter)")
            options = [Option(_plain(point.label), id=str(i)) for i, point in enumerate(self.points)]
            yield OptionList(*options, id="start-points")
            yield Static(classes="dialog-error")

    def on_mount(self) -> None:
        options = self.query_one("#start-points", OptionList)
        options.highlighted = 0
        (options if self.name_given else self.query_one("#new-map-name", Input)).focus()

    @on(Input.Submitted, "#new-map-name")
    def _name_done(self) -> None:
        self.query_one("#start-points", OptionList).focus()

    @on(OptionList.OptionSelected, "#start-points")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        name = self.query_one("#new-map-name", Input).value.strip()
        start = self.points[int(event.option.id or 0)]
        problem = "Give the map a name first." if not name and start.kind != "file" else None
        if problem is None and start.kind != "file":
            try:
                id_and_title(name)
            except DraftError as error:
                problem = str(error)
        if problem:
            self.error(problem)
            self.query_one("#new-map-name", Input).focus()
            return
        self.dismiss(NewMapChoice(name, start))


# --- one line of text: the why, a save path ----------------------------------------------


class LineScreen(_Dialog):
    """Ask for one line of text; `apply` may refuse it with a reason."""

    def __init__(self, title: str, prompt: str, value: str, apply: Apply, *, placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.prompt, self.value, self.apply = title, prompt, value, apply
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(_plain(self.prompt), classes="dialog-text")
            yield Input(self.value, placeholder=self.placeholder, id="line")
            yield Static(classes="dialog-error")
            yield Static(Text("Enter saves · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#line", Input).focus()

    @on(Input.Submitted, "#line")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.apply(event.value)
        if problem:
            self.error(problem)
            return
        self.dismiss(event.value)


# --- parties ------------------------------------------------------------------------------


class PartyScreen(_Dialog):
    """Add a party, or rename (or remove) an existing one."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(self, apply: Apply, *, party_id: str = "", title: str = "", remove: Apply | None = None) -> None:
        super().__init__()
        self.apply, self.remover = apply, remove
        self.party_id, self.party_title = party_id, title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-dialog"):
            yield Label("[b]" + ("Edit party" if self.party_id else "New party") + "[/b]")
            yield Label("Id (lower-case, e.g. soc)")
            yield Input(self.party_id, id="party-id")
            yield Label("Name (e.g. Backend SOC)")
            yield Input(self.party_title, id="party-title")
            yield Static(classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                if self.remover is not None:
                    yield Button("Remove party", variant="error", id="remove")
                yield Button("Save (Enter)", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#party-id" if not self.party_id else "#party-title", Input).focus()

    @on(Input.Submitted, "#party-id")
    def _next(self) -> None:
        self.query_one("#party-title", Input).focus()

    @on(Input.Submitted, "#party-title")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        party_id = self.query_one("#party-id", Input).value.strip()
        title = self.query_one("#party-title", Input).value
        problem = self.apply(party_id, title)
        if problem:
            self.error(problem)
            return
        self.dismiss(party_id)

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        assert self.remover is not None
        problem = self.remover()
        if problem:
            self.error(problem)
            return
        self.dismiss(None)


# --- roles ---------------------------------------------------------------------------------


@frozen
class RoleForm:
    id: str
    name: str
    party: str
    summary: str
    deputy: str | None


class RoleScreen(_Dialog):
    """Add a role, or edit one: id, name, party, summary and deputy."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(
        self,
        apply: Apply,
        parties: dict[str, str],
        roles: list[RoleDraft],
        *,
        role: RoleDraft | None = None,
        party: str | None = None,
        remove: Apply | None = None,
    ) -> None:
        super().__init__()
        self.apply, self.remover, self.role = apply, remove, role
        self.parties = parties
        self.others = [r for r in roles if role is None or r.id != role.id]
        self.party = role.party if role else (party if party in parties else next(iter(parties), None))

    def compose(self) -> ComposeResult:
        role = self.role
        with Vertical(classes="dialog map-dialog"):
            yield Label("[b]" + ("Edit role" if role else "New role") + "[/b]")
            with Horizontal(classes="form-pair"):
                with Vertical():
                    yield Label("Id (e.g. soc-analyst)")
                    yield Input(role.id if role else "", id="role-id")
                with Vertical():
                    yield Label("Name")
                    yield Input(role.name if role else "", id="role-name")
            yield Label("Party")
            yield Select[str](
                [(_plain(title), party) for party, title in self.parties.items()],
                value=self.party if self.party is not None else Select.NULL,
                allow_blank=False,
                id="role-party",
            )
            yield Label("Deputy: who acts when this role is unstaffed")
            yield Select[str](
                [(_plain(f"{r.name} ({r.id})"), r.id) for r in self.others],
                value=role.deputy if role and role.deputy else Select.NULL,
                prompt="none",
                id="role-deputy",
            )
            yield Label("Summary (optional)")
            yield Input(role.summary if role else "", id="role-summary")
            yield Static(classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                if self.remover is not None:
                    yield Button("Remove role", variant="error", id="remove")
                yield Button("Save (Enter)", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#role-name" if self.role else "#role-id", Input).focus()

    @on(Input.Submitted, "#role-id")
    def _to_name(self) -> None:
        self.query_one("#role-name", Input).focus()

    @on(Input.Submitted, "#role-name, #role-summary")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        party = self.query_one("#role-party", Select).value
        deputy = self.query_one("#role-deputy", Select).value
        form = RoleForm(
            id=self.query_one("#role-id", Input).value.strip(),
            name=self.query_one("#role-name", Input).value,
            party=str(party) if party is not Select.NULL else "",
            summary=self.query_one("#role-summary", Input).value,
            deputy=str(deputy) if deputy is not Select.NULL else None,
        )
        problem = self.apply(form)
        if problem:
            self.error(problem)
            return
        self.dismiss(form)

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        assert self.remover is not None
        problem = self.remover()
        if problem:
            self.error(problem)
            return
        self.dismiss(None)


class DeputyScreen(_Dialog):
    """Pick the deputy of one role, or none."""

    def __init__(self, role: RoleDraft, others: list[RoleDraft]) -> None:
        super().__init__()
        self.role, self.others = role, others

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-dialog"):
            yield Static(Text.assemble(("Deputy of ", "bold"), (strip_controls(self.role.name), "bold")))
            yield Static(Text("Who acts, and scores as the owner, when this role is unstaffed?", style="dim"))
            options = [Option(Text("none", style="italic"), id="")]
            options += [Option(_plain(f"{r.name} ({r.id})"), id=r.id) for r in self.others]
            yield OptionList(*options, id="deputies")

    def on_mount(self) -> None:
        deputies = self.query_one("#deputies", OptionList)
        ids = ["", *(r.id for r in self.others)]
        deputies.highlighted = ids.index(self.role.deputy) if self.role.deputy in ids else 0
        deputies.focus()

    @on(OptionList.OptionSelected, "#deputies")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")


class DemoteScreen(_Dialog):
    """A row has one A: say what the previous owner becomes."""

    BINDINGS = [
        Binding("r", "pick('R')", "Responsible", show=False),
        Binding("c", "pick('C')", "Consulted", show=False),
        Binding("i", "pick('I')", "Informed", show=False),
        Binding("x", "pick('')", "Drop", show=False),
        Binding("enter", "pick('R')", "Responsible", show=False),
    ]

    def __init__(self, title: str, new_owner: str, previous: str) -> None:
        super().__init__()
        self.message = f"{title}: {new_owner} becomes the A.\n{previous} is the A now. What does {previous} become?"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-dialog"):
            yield Static(_plain(self.message), classes="dialog-text")
            yield Static(
                Text.assemble(
                    ("r", "bold #f0b429"), " / Enter  responsible   ",
                    ("c", "bold #f0b429"), "  consulted   ",
                    ("i", "bold #f0b429"), "  informed   ",
                    ("x", "bold #f0b429"), "  nothing   ",
                    ("Esc", "bold #f0b429"), "  keep the A as it is",
                )
            )  # fmt: skip

    def action_pick(self, letter: str) -> None:
        choice: Letter | str = letter
        self.dismiss(choice)
