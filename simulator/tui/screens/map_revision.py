"""From the debrief: mark answers as "they were right, the map is wrong" and write the revised map."""

from __future__ import annotations

import hashlib
from contextlib import suppress
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from simulator.authoring.mapdiff import diff_maps, summary
from simulator.authoring.mapfile import MapFileError, WouldOverwrite, map_yaml, save_map_text, schema_reference
from simulator.authoring.maprevision import Candidate, candidates, record_revision, revise_map
from simulator.bundled import MAP_DIR
from simulator.play import PlayableSession
from simulator.safetext import strip_controls
from simulator.scoring import SessionScore
from simulator.tui.screens.modals import ConfirmScreen


def _t(text: str) -> str:
    return strip_controls(text, multiline=False)


def default_target(session: PlayableSession) -> Path:
    """The map's own file when it is the team's; a bundled map is never written over: roles/ID.yaml."""
    original = Path(session.header.map.path)
    bundled = original.parent.resolve() == Path(MAP_DIR).resolve()
    if original.is_file() and not bundled:
        with suppress(ValueError):
            return original.relative_to(Path.cwd().resolve())
        return original
    return Path("roles") / f"{session.header.map.id}.yaml"


class MapRevisionScreen(ModalScreen[Path | None]):
    """Pick the answers the map got wrong; the revised map is written as a new version of the file."""

    BINDINGS = [
        Binding("ctrl+s", "write", "Write revised map", id="write-revision"),
        Binding("escape", "cancel", "Cancel", id="cancel-revision"),
    ]

    def __init__(self, session: PlayableSession, score: SessionScore, marked: str | None = None) -> None:
        super().__init__(classes="modal-screen")
        self.session = session
        engine = session.engine
        self.names = {r.id: r.name for r in engine.authority_map.roles}
        self.candidates = candidates(engine.scenario, score)
        self.replace_confirmed = False
        self.first_marked = marked  # an answer's key, marked and highlighted on opening (from the hotwash)

    def _label(self, c: Candidate) -> Text:
        owner = self.names.get(c.owner, c.owner) if c.owner else "nobody"
        label = Text.assemble((_t(c.title), "bold"), ": team ")
        label.append(_t(self.names.get(c.role, c.role)), style="#7bc67b")
        label.append(" · map ")
        label.append(_t(owner), style="#e06c75")
        return label

    def _details(self, c: Candidate) -> Text:
        """The highlighted answer in full: the question as asked, what would change, the note."""
        change = "becomes the A" if c.expect == "accountable" or c.owner is None else "joins R"
        role = self.names.get(c.role, c.role)
        text = Text(_t(self.session.engine.render(c.ask)), style="italic")
        text.append(f"\n{_t(role)} {change} for {_t(c.title.lower())}.", style="bold")
        why = _t(c.note) if c.note else "no note at this decision; a TODO marks it"
        text.append(f"\nwhy: {why}", style="dim")
        return text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog map-dialog revision"):
            yield Static(Text("They were right, the map is wrong", style="bold"))
            if not self.candidates:
                yield Static(
                    Text(
                        "No answer to carry: only a drift or an answer on a map gap naming one role can change the map."
                    )
                )
            else:
                yield Static(
                    Text("Space marks the answers the team judges right. The map changes so they would be aligned.",
                         style="dim")
                )  # fmt: skip
                yield SelectionList[str](
                    *(Selection(self._label(c), c.key) for c in self.candidates), classes="revision-list", id="marks"
                )
                yield Static(self._details(self.candidates[0]), id="revision-details")
                yield Label("Write the revised map to (the current version is kept in .history/)")
                yield Input(str(default_target(self.session)), id="revision-target")
                yield Static(id="revision-preview")
            yield Static(classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                if self.candidates:
                    yield Button("Write revised map (ctrl+s)", variant="primary", id="write")

    def on_mount(self) -> None:
        if not self.candidates:
            return
        marks = self.query_one("#marks", SelectionList)
        marks.focus()
        keys = [c.key for c in self.candidates]
        if self.first_marked in keys:
            marks.select(self.first_marked)
            marks.highlighted = keys.index(self.first_marked)
        elif self.first_marked is not None:
            self.notify(
                "This answer cannot change the map: only a drift, or an answer on a map gap naming one role, can.",
                timeout=6,
                markup=False,
            )

    def _marked(self) -> list[Candidate]:
        chosen = set(self.query_one("#marks", SelectionList).selected)
        return [c for c in self.candidates if c.key in chosen]

    @on(SelectionList.SelectionHighlighted, "#marks")
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        chosen = self.candidates[event.selection_index]
        self.query_one("#revision-details", Static).update(self._details(chosen))

    @on(SelectionList.SelectedChanged, "#marks")
    def _preview(self) -> None:
        marked = self._marked()
        preview = self.query_one("#revision-preview", Static)
        if not marked:
            preview.update("")
            return
        engine = self.session.engine
        revision = revise_map(engine.authority_map, marked, self.session.folder.name)
        text = Text(summary(diff_maps(engine.authority_map, revision.authority_map)), style="bold")
        for conflict in revision.conflicts:
            text.append(f"\n{_t(conflict)}", style="#f0b429")
        preview.update(text)

    def _error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(Text(_t(message), style="bold #e06c75"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#write")
    @on(Input.Submitted, "#revision-target")
    def action_write(self) -> None:
        if not self.candidates:
            return
        marked = self._marked()
        if not marked:
            self._error("Mark at least one answer (space) first.")
            return
        target_text = self.query_one("#revision-target", Input).value.strip()
        if not target_text:
            self._error("Give the file to write.")
            return
        target = Path(target_text)
        engine = self.session.engine
        folder = self.session.folder
        revision = revise_map(engine.authority_map, marked, folder.name)
        comment = f"Revised after exercise {folder.name}: answers the team judged right, carried into the map."
        text = map_yaml(revision.authority_map, schema_reference(target), comment=comment)
        try:
            saved = save_map_text(target, text, overwrite=self.replace_confirmed)
        except WouldOverwrite:
            self._ask_to_replace(target)
            return
        except MapFileError as error:
            self._error(str(error))
            return
        record_revision(folder, revision, saved.path)
        kept = f" Previous version: {saved.previous}." if saved.previous else ""
        count = f"{len(revision.changes)} change{'s' if len(revision.changes) != 1 else ''}"
        self.app.notify(
            _t(f"Wrote {saved.path} with {count}.{kept} Check it: ttx map check {saved.path}"),
            title="Revised map",
            markup=False,
            timeout=10,
        )
        self.dismiss(saved.path)

    def _ask_to_replace(self, target: Path) -> None:
        message = (
            f"{target} already exists.\n\nReplace it with the revised map? Its current version is kept in .history/."
        )
        try:
            if hashlib.sha256(target.read_bytes()).hexdigest() != self.session.header.map.sha256:
                message += "\n\nIt changed since this session was played: the revision starts from the map as played."
        except OSError:
            pass

        def decided(replace: bool | None) -> None:
            if replace:
                self.replace_confirmed = True
                self.action_write()

        self.app.push_screen(ConfirmScreen(strip_controls(message), yes="Replace", no="Cancel"), decided)
