"""The RACI grid of the map workshop: responsibilities by stage down, roles by party across.

A DataTable keeps its header row and row labels in place while the cells scroll,
which is what lets 24 rows and 20 roles work in an 80×24 terminal. Each stage
opens with a heading row the cursor steps over.
"""

from __future__ import annotations

from contextlib import suppress

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnDoesNotExist, ColumnKey, RowDoesNotExist, RowKey

from simulator.authoring.mapdraft import MapDraft, Row
from simulator.safetext import strip_controls

COLUMN_WIDTH = 7
TITLE_WIDTH = 25
TITLE_COLUMN = "title"
STAGE_PREFIX = "stage:"
LETTER_STYLES = {
    "A": "bold #1b1b1b on #f0b429",
    "R": "bold #5fafff",
    "C": "#c678dd",
    "I": "#8a8a8a",
}


def _short(text: str, width: int) -> str:
    text = strip_controls(text, multiline=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def cell_text(letters: str) -> Text:
    """The letters centred by hand: a DataTable cell does not honour a Text's justify."""
    left = (COLUMN_WIDTH - max(1, len(letters))) // 2
    text = Text(" " * left)
    if not letters:
        text.append("·", style="dim")
    for letter in letters:
        text.append(letter, style=LETTER_STYLES[letter])
    text.append(" " * (COLUMN_WIDTH - left - max(1, len(letters))))
    return text


class RaciGrid(DataTable[Text]):
    """Cells show A/R/C/I; the screen edits the draft and calls `show` or `show_row`."""

    def __init__(self, *, id: str | None = None) -> None:
        # The titles are a fixed first column of set width, not DataTable row labels: row labels are sized
        # on idle, and a grid redrawn under a closing dialog came out without them or cut short.
        super().__init__(
            id=id, cursor_type="cell", header_height=2, cell_padding=0, fixed_columns=1, show_row_labels=False
        )
        self.rows_in_order: list[Row] = []
        self.role_order: list[str] = []

    # --- drawing -------------------------------------------------------------------

    def show(self, draft: MapDraft) -> None:
        """Draw every row and column again (after a role or party changed), keeping the cursor."""
        where = self.current
        self.clear(columns=True)
        self.rows_in_order = draft.responsibilities
        roles = draft.roles
        self.role_order = [r.id for r in roles]
        parties = draft.parties
        self.add_column(Text(""), key=TITLE_COLUMN, width=TITLE_WIDTH)
        previous_party = None
        for role in roles:
            first_of_party = role.party != previous_party
            party = _short(parties.get(role.party, role.party), COLUMN_WIDTH - 1) if first_of_party else ""
            previous_party = role.party
            label = Text()
            label.append(party + "\n", style="bold #f0b429")
            label.append(_short(role.id, COLUMN_WIDTH - 1))
            self.add_column(label, key=role.id, width=COLUMN_WIDTH)
        if not roles:
            self.add_column(Text("no roles yet\n(n adds one)", style="dim italic"), key="", width=14)
        stage = None
        for row in self.rows_in_order:
            if row.stage != stage:
                stage = row.stage
                blanks = [Text("")] * max(1, len(roles))
                self.add_row(Text(stage.upper(), style="bold #5fafff"), *blanks, key=STAGE_PREFIX + stage)
            cells = [cell_text(draft.letters(row.id, role)) for role in self.role_order] or [Text("")]
            self.add_row(Text(" " + _short(row.title, TITLE_WIDTH - 2)), *cells, key=row.id)
        if where is not None:
            self.jump(*where)
        else:
            self.jump(self.rows_in_order[0].id, self.role_order[0] if self.role_order else None)

    def show_row(self, draft: MapDraft, rid: str) -> None:
        """Redraw one responsibility's cells after an edit on it."""
        for role in self.role_order:
            try:
                self.update_cell(rid, role, cell_text(draft.letters(rid, role)))
            except CellDoesNotExist:
                continue

    # --- where the cursor is -----------------------------------------------------------

    @property
    def current(self) -> tuple[str, str | None] | None:
        """(responsibility id, role id) under the cursor; None before anything is drawn."""
        if self.row_count == 0:
            return None
        try:
            keys = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        row = str(keys.row_key.value)
        column = str(keys.column_key.value) if keys.column_key.value else None
        if row.startswith(STAGE_PREFIX):
            return None
        return row, column if column in self.role_order else None

    def jump(self, rid: str | None, role: str | None) -> None:
        """Put the cursor on a cell and scroll it into view; an unknown row or role keeps the current one."""
        row_index, column_index = self.cursor_coordinate
        # A row or role that is not drawn keeps the cursor where it is.
        if rid is not None:
            with suppress(RowDoesNotExist):
                row_index = self.get_row_index(RowKey(rid))
        if role is not None:
            with suppress(ColumnDoesNotExist):
                column_index = self.get_column_index(ColumnKey(role))
        self.move_cursor(row=row_index, column=column_index, scroll=True)

    def _on_stage_row(self) -> bool:
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return False
        return str(key).startswith(STAGE_PREFIX)

    def action_cursor_left(self) -> None:
        if self.cursor_coordinate.column > 1:
            super().action_cursor_left()

    def action_scroll_home(self) -> None:
        """Home: the first role's column (the titles' column is not a cell to edit)."""
        self.move_cursor(column=1 if self.role_order else 0)

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        if self._on_stage_row():
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        if self._on_stage_row():
            if self.cursor_coordinate.row == 0:
                super().action_cursor_down()
            else:
                super().action_cursor_up()
