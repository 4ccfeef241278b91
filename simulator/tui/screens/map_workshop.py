"""The map workshop: build and revise an authority map in a RACI grid, with the readiness audit live.

Rows are the checklist's responsibilities by stage, columns the roles by party.
Every edit goes through `MapDraft` (one undo step each); the audit of
`ttx map check` runs again after each edit and each finding jumps to its cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.audit import Audit, audit_map
from simulator.authoring.audit_view import KIND_TITLES, verdict
from simulator.authoring.mapdraft import DraftError, Letter, MapDraft, Row, finding_cell
from simulator.authoring.mapfile import MapFileError, WouldOverwrite, map_yaml, save_map_text, schema_reference
from simulator.authoring.mapstart import id_and_title, new_draft, start_points
from simulator.loading import LoadError, load_map
from simulator.safetext import strip_controls
from simulator.tui.options import MapEditRequest
from simulator.tui.screens.map_modals import (
    DemoteScreen,
    DeputyScreen,
    LineScreen,
    NewMapChoice,
    NewMapScreen,
    PartyScreen,
    RoleForm,
    RoleScreen,
)
from simulator.tui.screens.modals import ConfirmScreen
from simulator.tui.widgets.raci_grid import RaciGrid
from simulator.wording import plural

SAVED_COMMENT = "Authority map written by `ttx map edit`. Check it with `ttx map check FILE`."
# Narrower than this, the audit starts hidden (t, f or ] shows it): beside it, 80 columns leave room for
# three roles; without it, for eight. Its verdict stays in the title line.
AUDIT_BESIDE_FROM = 100


def _t(text: str) -> str:
    return strip_controls(text, multiline=False)


class MapWorkshopScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "letter('A')", "A", id="set-a", tooltip="Make the role accountable (one A per row)"),
        Binding("r", "letter('R')", "R", id="set-r", tooltip="The role is responsible: it does the work"),
        Binding("c", "letter('C')", "C", id="set-c", tooltip="The role is consulted"),
        Binding("i", "letter('I')", "I", id="set-i", tooltip="The role is informed"),
        Binding("x,delete,space", "letter('')", "Clear", id="clear-cell", tooltip="Clear the cell"),
        Binding("w", "why", "Why", id="edit-why", tooltip="Write the row's why: the reason its owner owns it"),
        Binding("n", "new_role", "Role+", id="new-role", tooltip="Add a role"),
        Binding("e", "edit_role", "Edit role", id="edit-role", tooltip="Rename, move or remove this column's role"),
        Binding("d", "deputy", "Deputy", id="deputy", tooltip="Set who acts when this column's role is unstaffed"),
        Binding("p", "new_party", "Party+", id="new-party", tooltip="Add a party"),
        Binding("P", "edit_party", "Edit party", show=False, id="edit-party",
                tooltip="Rename or remove this column's party"),
        Binding("g", "walk", "Walk", id="walk", tooltip="Walk the checklist row by row: who owns this?"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo", tooltip="Undo the last edit"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="redo", tooltip="Redo what was undone"),
        Binding("bracketright", "finding(1)", "Next finding", show=False, id="next-finding",
                tooltip="Jump to the next audit finding"),
        Binding("bracketleft", "finding(-1)", "Previous finding", show=False, id="previous-finding",
                tooltip="Jump to the previous audit finding"),
        Binding("f", "focus_findings", "Findings", id="findings", tooltip="Go to the audit's findings; Enter jumps"),
        Binding("t", "toggle_audit", "Audit", show=False, id="toggle-audit", tooltip="Show or hide the audit panel"),
        Binding("ctrl+s", "save", "Save", id="save-map", tooltip="Save the map (asks before replacing a file)"),
        Binding("escape,q", "leave", "Close", id="close-workshop", tooltip="End the walk, or leave the workshop"),
    ]  # fmt: skip

    def __init__(
        self,
        draft: MapDraft | None = None,
        target: Path | None = None,
        *,
        new_name: str = "",
        force: bool = False,
        exit_on_close: bool = False,
    ) -> None:
        super().__init__()
        self.draft = draft
        self.target = target
        self.new_name = new_name
        self.force = force
        self.exit_on_close = exit_on_close
        self.replace_confirmed = False
        self.walking = False
        self.party_hint: str | None = None  # a party just added: the next new role goes in it
        self.audit: Audit | None = None
        self.jumps: list[tuple[str | None, str | None]] = []
        self.messages: list[str] = []
        self.finding_index = -1

    @classmethod
    def for_request(cls, request: MapEditRequest, *, exit_on_close: bool = False) -> MapWorkshopScreen:
        """The screen `ttx map edit` opens. The CLI has already validated a given map."""
        draft = MapDraft.from_map(load_map(request.source)) if request.source is not None else None
        return cls(draft, request.target, new_name=request.new_name or "", force=request.force,
                   exit_on_close=exit_on_close)  # fmt: skip

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="workshop-title")
        yield Static(id="walk-banner")
        with Horizontal(id="workshop-body"):
            yield RaciGrid(id="raci")
            with Vertical(id="audit-panel"):
                yield Static(id="audit-verdict")
                yield OptionList(id="audit-findings")
                yield Static(id="finding-message")
        yield Static(id="cell-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#walk-banner").display = False
        self.query_one("#audit-panel").display = self.app.size.width >= AUDIT_BESIDE_FROM
        if self.draft is None:
            self.app.push_screen(NewMapScreen(self.new_name, start_points(Path("roles"))), self._started)
            return
        self._redraw()
        self.query_one(RaciGrid).focus()

    @property
    def grid(self) -> RaciGrid:
        return self.query_one(RaciGrid)

    # --- starting a new map ---------------------------------------------------------------

    def _started(self, choice: object) -> None:
        if not isinstance(choice, NewMapChoice):
            self._close()
            return
        try:
            if choice.start.kind == "file":
                self.draft = new_draft("x", "x", choice.start)
                self.target = Path(choice.start.source)
            else:
                map_id, title = id_and_title(choice.name)
                self.draft = new_draft(map_id, title, choice.start)
                self.target = self.target or Path("roles") / f"{map_id}.yaml"
        except (DraftError, LoadError) as error:
            message = strip_controls(str(error))
            self.notify(message, title="Cannot start that map", severity="error", markup=False, timeout=10)
            self._close()
            return
        self._redraw()
        self.grid.focus()
        if choice.start.kind == "blank":
            self.notify("Add the parties (p) and roles (n), then press g to walk the checklist.", markup=False)
            self.action_new_party(then=self._first_role)
        elif choice.start.kind == "template":
            self.action_walk()

    def _first_role(self) -> None:
        def added() -> None:
            self.notify("Add more roles with n, parties with p; g walks the checklist: who owns this?", markup=False)

        self.action_new_role(then=added)

    # --- drawing ---------------------------------------------------------------------------

    def _redraw(self, rid: str | None = None, *, cells: bool = True) -> None:
        """Redraw after an edit: one row when `rid` is given, else the whole grid (no cell when a why
        changed); then the audit."""
        if self.draft is None:
            return
        if rid is None:
            self.grid.show(self.draft)
        elif cells:
            self.grid.show_row(self.draft, rid)
        self._audit()
        self._title()
        self._detail()
        self._banner()

    def _title(self) -> None:
        draft = self.draft
        assert draft is not None
        where = str(self.target) if self.target else "not saved yet"
        title = Text.assemble(("Map workshop ", "bold #f0b429"), (_t(draft.title), "bold"), f" ({draft.id}) → ")
        title.append(_t(where), style="dim")
        if draft.changed:
            title.append("  ● unsaved", style="bold #e06c75")
        if self.audit is not None and not self.query_one("#audit-panel").display:
            short = "✓ ready" if self.audit.ready else f"✗ {plural(len(self.audit.problems), 'problem')}"
            title = Text.assemble((short, "bold #7bc67b" if self.audit.ready else "bold #e06c75"), " (t) ", title)
        self.query_one("#workshop-title", Static).update(title)

    def _audit(self) -> None:
        assert self.draft is not None
        findings = self.query_one("#audit-findings", OptionList)
        findings.clear_options()
        self.jumps = []
        self.messages = []
        self.query_one("#finding-message", Static).update("")
        try:
            audit = audit_map(self.draft.to_model())
        except DraftError as error:
            self.audit = None
            self.query_one("#audit-verdict", Static).update(Text(str(error), style="italic"))
            return
        self.audit = audit
        style = "bold #7bc67b" if audit.ready else "bold #e06c75"
        head = Text(verdict(audit), style=style)
        head.append(f"\n{audit.assigned}/{audit.total} owned", style="dim")
        self.query_one("#audit-verdict", Static).update(head)
        for number, finding in enumerate(audit.findings):
            problem = finding.severity == "problem"
            label = Text.assemble(
                ("✗ " if problem else "ℹ ", "bold #e06c75" if problem else "#5fafff"),
                (KIND_TITLES[finding.kind], "bold"),
                " ",
                (_t(finding.subject), "#c678dd"),
            )
            findings.add_option(Option(label, id=str(number)))
            self.jumps.append(finding_cell(self.draft, finding))
            self.messages.append(_t(finding.message))

    def _detail(self) -> None:
        draft = self.draft
        if draft is None:
            return
        where = self.grid.current
        text = Text()
        if where is None:
            text.append("Move onto a responsibility.", style="dim")
        else:
            rid, role_id = where
            row = self._row(rid)
            text.append(_t(row.title), style="bold")
            text.append(f" — {_t(row.description)} ", style="")
            text.append(rid, style="dim")
            text.append("\n")
            if role_id is not None:
                role = draft.role(role_id)
                party = draft.parties.get(role.party, role.party)
                text.append(_t(role.name), style="bold #c678dd")
                text.append(f" · {_t(party)}", style="dim")
                if role.deputy:
                    text.append(f" · deputy {role.deputy}", style="dim")
                letters = draft.letters(rid, role_id)
                text.append(f" · here: {letters or 'nothing'}")
            text.append("\nwhy ", style="dim")
            why = draft.row(rid).why
            text.append(_t(why) if why else "— (w writes it)", style="italic" if why else "dim italic")
        self.query_one("#cell-detail", Static).update(text)

    def _row(self, rid: str) -> Row:
        assert self.draft is not None
        return next(row for row in self.draft.responsibilities if row.id == rid)

    def _banner(self) -> None:
        banner = self.query_one("#walk-banner", Static)
        banner.display = self.walking
        where = self.grid.current
        if not self.walking or where is None or self.draft is None:
            return
        rows = self.draft.responsibilities
        row = self._row(where[0])
        in_stage = [r for r in rows if r.stage == row.stage]
        text = Text.assemble(
            ("Who owns this? ", "bold #f0b429"),
            (f"{row.stage} {in_stage.index(row) + 1}/{len(in_stage)} · ", "dim"),
            (_t(row.description), "bold"),
            ("\n← → pick the role, a makes it the owner, ↓ skips, Esc ends the walk", "dim"),
        )
        banner.update(text)

    @on(DataTable.CellSelected, "#raci")
    def _enter_on_cell(self) -> None:
        self.action_why()

    @on(DataTable.CellHighlighted, "#raci")
    def _moved(self) -> None:
        self._detail()
        self._banner()

    # --- editing -----------------------------------------------------------------------------

    def _edit(self, change: Callable[[], object], rid: str | None = None, *, cells: bool = True) -> str | None:
        """Apply one edit; the error message when the draft refuses it."""
        try:
            change()
        except DraftError as error:
            return str(error)
        self._redraw(rid, cells=cells)
        return None

    def _cell(self) -> tuple[str, str] | None:
        where = self.grid.current if self.draft is not None else None
        if where is None or where[1] is None:
            self.notify("Move to a responsibility's cell under a role first.", severity="warning", markup=False)
            return None
        return where[0], where[1]

    def action_letter(self, letter: str) -> None:
        cell = self._cell()
        if cell is None:
            return
        assert self.draft is not None
        rid, role = cell
        chosen: Letter | None = letter or None  # type: ignore[assignment]
        previous = self.draft.accountable(rid)
        if chosen == "A" and previous is not None and previous != role:
            names = {r.id: r.name for r in self.draft.roles}

            def demoted(answer: object) -> None:
                if answer is None:
                    return
                demote_to: Letter | None = answer or None  # type: ignore[assignment]
                self._set(rid, role, "A", demote_to)

            title = self._row(rid).title
            self.app.push_screen(DemoteScreen(title, names[role], names[previous]), demoted)
            return
        self._set(rid, role, chosen, "R")

    def _set(self, rid: str, role: str, letter: Letter | None, demote_to: Letter | None) -> None:
        assert self.draft is not None
        problem = self._edit(lambda: self.draft.set_cell(rid, role, letter, demote_to=demote_to), rid)  # type: ignore[union-attr]
        if problem:
            self.notify(_t(problem), severity="error", markup=False)
            return
        if self.walking and letter == "A":
            self.action_why(then=self._walk_on)

    def action_why(self, then: Callable[[], None] | None = None) -> None:
        where = self.grid.current if self.draft is not None else None
        if where is None:
            self.notify("Move onto a responsibility first.", severity="warning", markup=False)
            return
        assert self.draft is not None
        rid = where[0]
        row = self._row(rid)
        owner = self.draft.accountable(rid)
        owner_name = self.draft.role(owner).name if owner else "its owner"
        prompt = f"{row.title}: {row.description}\nWhy does {owner_name} own it? One line; the report quotes it."
        draft = self.draft

        def done(_: object) -> None:
            if then is not None:
                then()

        self.app.push_screen(
            LineScreen(
                "Why",
                prompt,
                draft.row(rid).why,
                lambda why: self._edit(lambda: draft.set_why(rid, why), rid, cells=False),
            ),
            done,
        )

    def _column_role(self) -> str | None:
        where = self.grid.current if self.draft is not None else None
        if where is not None and where[1] is not None:
            return where[1]
        roles = self.grid.role_order
        column = self.grid.cursor_coordinate.column - 1  # the titles are column 0
        return roles[column] if 0 <= column < len(roles) else None

    def action_new_role(self, then: Callable[[], None] | None = None) -> None:
        draft = self.draft
        if draft is None:
            return
        if not draft.parties:
            self.notify("Add a party first (p): every role belongs to one.", severity="warning", markup=False)
            return
        column = self._column_role()
        party = self.party_hint or (draft.role(column).party if column else None)
        self.party_hint = None

        def apply(form: RoleForm) -> str | None:
            return self._edit(lambda: draft.add_role(form.id, form.name, form.party, form.summary, form.deputy))

        def added(form: object) -> None:
            if isinstance(form, RoleForm):
                self.grid.jump(None, form.id)
                if then is not None:
                    then()

        self.app.push_screen(RoleScreen(apply, draft.parties, draft.roles, party=party), added)

    def action_edit_role(self) -> None:
        draft = self.draft
        role_id = self._column_role()
        if draft is None or role_id is None:
            self.notify("Move to a role's column first.", severity="warning", markup=False)
            return
        role = draft.role(role_id)

        def apply(form: RoleForm) -> str | None:
            def change() -> None:
                new_id = form.id if form.id != role_id else None
                draft.edit_role(role_id, name=form.name, party=form.party, summary=form.summary, new_id=new_id)
                if form.deputy != draft.role(form.id or role_id).deputy:
                    draft.set_deputy(form.id or role_id, form.deputy)

            return self._edit(change)

        def remove() -> str | None:
            orphaned: list[str] = []
            problem = self._edit(lambda: orphaned.extend(draft.remove_role(role_id)))
            if problem is None:
                gaps = f"; it was the A on {len(orphaned)} rows, now map gaps" if orphaned else ""
                self.notify(_t(f"Removed {role.name}{gaps}. u undoes it."), markup=False)
            return problem

        self.app.push_screen(RoleScreen(apply, draft.parties, draft.roles, role=role, remove=remove))

    def action_deputy(self) -> None:
        draft = self.draft
        role_id = self._column_role()
        if draft is None or role_id is None:
            self.notify("Move to a role's column first.", severity="warning", markup=False)
            return
        role = draft.role(role_id)
        others = [r for r in draft.roles if r.id != role_id]

        def chosen(deputy: object) -> None:
            if isinstance(deputy, str):
                problem = self._edit(lambda: draft.set_deputy(role_id, deputy or None))
                if problem:
                    self.notify(_t(problem), severity="error", markup=False)

        self.app.push_screen(DeputyScreen(role, others), chosen)

    def action_new_party(self, then: Callable[[], None] | None = None) -> None:
        draft = self.draft
        if draft is None:
            return

        def added(party: object) -> None:
            if isinstance(party, str) and party:
                self.party_hint = party
                if then is not None:
                    then()

        self.app.push_screen(PartyScreen(lambda pid, title: self._edit(lambda: draft.add_party(pid, title))), added)

    def action_edit_party(self) -> None:
        draft = self.draft
        role_id = self._column_role()
        if draft is None or role_id is None:
            self.notify("Move to a column of the party first.", severity="warning", markup=False)
            return
        party = draft.role(role_id).party

        def apply(new_id: str, title: str) -> str | None:
            return self._edit(lambda: draft.rename_party(party, title, new_id or None))

        def remove() -> str | None:
            return self._edit(lambda: draft.remove_party(party))

        self.app.push_screen(PartyScreen(apply, party_id=party, title=draft.parties[party], remove=remove))

    def action_undo(self) -> None:
        if self.draft is not None and self.draft.undo():
            self._redraw()
        else:
            self.notify("Nothing to undo.", markup=False, timeout=2)

    def action_redo(self) -> None:
        if self.draft is not None and self.draft.redo():
            self._redraw()
        else:
            self.notify("Nothing to redo.", markup=False, timeout=2)

    # --- the walk -------------------------------------------------------------------------------

    def action_walk(self) -> None:
        draft = self.draft
        if draft is None:
            return
        if not draft.roles:
            self.notify("Add a party (p) and a role (n) first.", severity="warning", markup=False)
            return
        self.walking = True
        first = next((r.id for r in draft.responsibilities if draft.accountable(r.id) is None), None)
        self.grid.jump(first or draft.responsibilities[0].id, None)
        self.grid.focus()
        self._banner()

    def _walk_on(self) -> None:
        """After an owner and a why: the next row, or the end of the walk."""
        where = self.grid.current
        rows = [r.id for r in self.draft.responsibilities] if self.draft else []
        if where is None or where[0] == rows[-1]:
            self._end_walk()
            return
        self.grid.jump(rows[rows.index(where[0]) + 1], None)
        self._banner()

    def _end_walk(self) -> None:
        self.walking = False
        self._banner()
        if self.audit is not None:
            owned = f"{self.audit.assigned}/{self.audit.total}"
            self.notify(f"Walk done: {owned} owned. {verdict(self.audit)}", markup=False)

    # --- findings -----------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#audit-findings")
    def _finding_chosen(self, event: OptionList.OptionSelected) -> None:
        self._jump_to(int(event.option.id or 0))
        self.grid.focus()

    @on(OptionList.OptionHighlighted, "#audit-findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._jump_to(int(event.option.id or 0))

    def _jump_to(self, number: int) -> None:
        if not 0 <= number < len(self.jumps):
            return
        self.finding_index = number
        self.query_one("#finding-message", Static).update(Text(self.messages[number], style="italic"))
        rid, role = self.jumps[number]
        self.grid.jump(rid, role)

    def action_finding(self, step: int) -> None:
        if not self.jumps:
            self.notify("No finding: the audit is clean.", markup=False, timeout=3)
            return
        self._show_audit(True)  # the finding's message is in the panel
        number = (self.finding_index + step) % len(self.jumps)
        self.query_one("#audit-findings", OptionList).highlighted = number
        self._jump_to(number)

    def action_focus_findings(self) -> None:
        self._show_audit(True)
        findings = self.query_one("#audit-findings", OptionList)
        if findings.option_count:
            findings.focus()
            if findings.highlighted is None:
                findings.highlighted = 0

    def action_toggle_audit(self) -> None:
        self._show_audit(not self.query_one("#audit-panel").display)

    def _show_audit(self, shown: bool) -> None:
        self.query_one("#audit-panel").display = shown
        if self.draft is not None:
            self._title()  # the verdict moves to the title line while the panel is hidden

    # --- saving and leaving ------------------------------------------------------------------------------

    def action_save(self, then: Callable[[], None] | None = None) -> None:
        draft = self.draft
        if draft is None:
            return
        try:
            model = draft.to_model()
        except DraftError as error:
            self.notify(_t(str(error)), title="Cannot save yet", severity="error", markup=False)
            return
        if self.target is None:

            def named(path: object) -> None:
                if isinstance(path, str):
                    self.target = Path(path.strip())
                    self.action_save(then)

            default = f"roles/{draft.id}.yaml"
            self.app.push_screen(
                LineScreen("Save as", "File to write:", default, lambda p: None if p.strip() else "Give a path."),
                named,
            )
            return
        target = self.target
        left_out = draft.without_owner()
        text = map_yaml(model, schema_reference(target), comment=SAVED_COMMENT)
        try:
            saved = save_map_text(target, text, overwrite=self.force or self.replace_confirmed)
        except WouldOverwrite:

            def decided(replace: bool | None) -> None:
                if replace:
                    self.replace_confirmed = True
                    self.action_save(then)

            self.app.push_screen(
                ConfirmScreen(
                    strip_controls(
                        f"{target} already exists.\n\nReplace it? Its current version is kept in"
                        f" {target.parent / '.history'}/."
                    ),
                    yes="Replace",
                    no="Cancel",
                ),
                decided,
            )
            return
        except MapFileError as error:
            self.notify(_t(str(error)), title="Not saved", severity="error", markup=False, timeout=12)
            return
        self.replace_confirmed = True  # it is ours now: later saves keep history without asking again
        draft.mark_saved()
        self._title()
        kept = f"; previous version kept as {saved.previous}" if saved.previous else ""
        extra = f" {len(left_out)} rows without an A were left out (map gaps)." if left_out else ""
        self.notify(_t(f"Saved {saved.path}{kept}.{extra}"), title="Map saved", markup=False, timeout=8)
        if then is not None:
            then()

    def action_leave(self) -> None:
        if self.walking:
            self._end_walk()
            return
        if self.draft is None or not self.draft.changed:
            self._close()
            return

        def decided(leave: bool | None) -> None:
            if leave:
                self._close()

        self.app.push_screen(
            ConfirmScreen("Leave the workshop without saving?\n\nUnsaved changes are lost.", yes="Leave", no="Stay"),
            decided,
        )

    def _close(self) -> None:
        if self.exit_on_close:
            saved = f"Map saved: {self.target}" if self.target and self.target.is_file() else None
            self.app.exit(saved)
        else:
            self.app.pop_screen()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Save map", "Write the map file (asks before replacing)", self.action_save)
        yield SystemCommand("Walk the checklist", "Row by row: who owns this?", self.action_walk)
        yield SystemCommand("Add a party", "A new organisation taking part", self.action_new_party)
        yield SystemCommand("Add a role", "A new named position in a party", self.action_new_role)
