"""An authority map being edited: cells, whys, roles, parties and deputies, with undo.

The workshop screen and the debrief's "the map is wrong" action both edit a `MapDraft`
and turn it back into a validated `AuthorityMap` only to audit or save it. The draft may
be incomplete in ways a map file may not (a row with no A yet, no roles at all), so the
rules a file must meet are checked in `to_model`, not on every keystroke; the rules an
editor must never break (one A per row, known roles, unique ids) are enforced here.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Literal

from simulator.audit import AuditFinding, CrossParty, Gap, IdleRole, Overload, PlaceholderWhy
from simulator.catalogue import CATALOGUE, STAGES, Stage
from simulator.frozen import frozen
from simulator.model import Assignment, AuthorityMap, ExtraResponsibility, Role
from simulator.safetext import strip_controls

Letter = Literal["A", "R", "C", "I"]
LETTERS: tuple[Letter, ...] = ("A", "R", "C", "I")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
UNDO_LIMIT = 200


class DraftError(ValueError):
    """An edit that would break the map's rules; the message says what to do instead."""


@dataclass
class RoleDraft:
    id: str
    name: str
    party: str
    summary: str = ""
    deputy: str | None = None


@dataclass
class RowDraft:
    """One responsibility's RACI. `A` is None until someone owns it (a map gap)."""

    A: str | None = None
    R: list[str] = field(default_factory=list)
    C: list[str] = field(default_factory=list)
    I: list[str] = field(default_factory=list)  # noqa: E741
    why: str = ""

    def members(self, letter: Letter) -> list[str]:
        return ([self.A] if self.A else []) if letter == "A" else getattr(self, letter)

    def letters_of(self, role: str) -> str:
        """The letters `role` holds in this row, in A, R, C, I order ('' when none)."""
        return "".join(letter for letter in LETTERS if role in self.members(letter))

    @property
    def empty(self) -> bool:
        return self.A is None and not (self.R or self.C or self.I or self.why.strip())


@frozen
class Row:
    """A responsibility as the grid shows it."""

    id: str
    stage: Stage
    title: str
    description: str


@dataclass
class _State:
    id: str
    title: str
    description: str
    parties: dict[str, str]
    roles: list[RoleDraft]
    rows: dict[str, RowDraft]
    extra: list[ExtraResponsibility]


def clean_line(text: str) -> str:
    """Text typed or read for one line of the map: no control characters, whitespace collapsed."""
    return " ".join(strip_controls(text, multiline=False).split())


def _check_id(value: str, what: str) -> str:
    value = value.strip()
    if not ID_RE.match(value):
        raise DraftError(f"{what} '{clean_line(value)}' must be lower-case letters, digits, '-' or '_'")
    return value


class MapDraft:
    """A mutable authority map with an undo stack. Every public edit is one undo step."""

    def __init__(
        self,
        map_id: str,
        title: str,
        *,
        description: str = "",
        parties: dict[str, str] | None = None,
        roles: list[RoleDraft] | None = None,
        rows: dict[str, RowDraft] | None = None,
        extra: list[ExtraResponsibility] | None = None,
    ) -> None:
        self._state = _State(
            id=_check_id(map_id, "map id"),
            title=clean_line(title) or map_id,
            description=description,
            parties=dict(parties or {}),
            roles=list(roles or []),
            rows=dict(rows or {}),
            extra=list(extra or []),
        )
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self.changed = False

    # --- reading ----------------------------------------------------------------

    @classmethod
    def from_map(cls, authority_map: AuthorityMap) -> MapDraft:
        rows = {
            rid: RowDraft(a.A, list(a.R), list(a.C), list(a.I), a.why) for rid, a in authority_map.assignments.items()
        }
        roles = [RoleDraft(r.id, r.name, r.party, r.summary, r.deputy) for r in authority_map.roles]
        return cls(
            authority_map.id,
            authority_map.title,
            description=authority_map.description,
            parties=dict(authority_map.parties),
            roles=roles,
            rows=rows,
            extra=list(authority_map.extra_responsibilities),
        )

    @property
    def id(self) -> str:
        return self._state.id

    @property
    def title(self) -> str:
        return self._state.title

    @property
    def description(self) -> str:
        return self._state.description

    @property
    def parties(self) -> dict[str, str]:
        return dict(self._state.parties)

    @property
    def roles(self) -> list[RoleDraft]:
        """Roles grouped by party, in party order, keeping their order inside a party."""
        order = list(self._state.parties)
        return sorted(self._state.roles, key=lambda r: order.index(r.party) if r.party in order else len(order))

    @property
    def role_ids(self) -> list[str]:
        return [r.id for r in self.roles]

    def role(self, role_id: str) -> RoleDraft:
        for role in self._state.roles:
            if role.id == role_id:
                return role
        raise DraftError(f"no role '{role_id}' in this map")

    @property
    def responsibilities(self) -> list[Row]:
        """The catalogue's 24 and the map's extra responsibilities, in stage order."""
        rows = [Row(r.id, r.stage, r.title, r.description) for r in CATALOGUE.values()]
        rows += [Row(x.id, x.stage, x.title, x.description) for x in self._state.extra]
        return sorted(rows, key=lambda row: STAGES.index(row.stage))

    def row(self, rid: str) -> RowDraft:
        """The RACI of `rid` (an empty one when nothing is assigned yet)."""
        return self._state.rows.get(rid) or RowDraft()

    def letters(self, rid: str, role_id: str) -> str:
        return self.row(rid).letters_of(role_id)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # --- undo -------------------------------------------------------------------

    def _checkpoint(self) -> None:
        self._undo.append(copy.deepcopy(self._state))
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()
        self.changed = True

    def undo(self) -> bool:
        """Go back one edit; False when there is nothing to undo."""
        if not self._undo:
            return False
        self._redo.append(self._state)
        self._state = self._undo.pop()
        self.changed = True
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self._state)
        self._state = self._redo.pop()
        self.changed = True
        return True

    # --- cells and whys ---------------------------------------------------------------

    def _known_row(self, rid: str) -> None:
        if rid not in {row.id for row in self.responsibilities}:
            raise DraftError(f"no responsibility '{rid}' in the checklist or this map's extras")

    def accountable(self, rid: str) -> str | None:
        return self.row(rid).A

    def set_cell(self, rid: str, role_id: str, letter: Letter | None, *, demote_to: Letter | None = "R") -> str | None:
        """Give `role_id` exactly `letter` on `rid` (None clears the cell).

        A row has one A: making a role A demotes the previous A to `demote_to`
        (R by default; None drops it from the row). R on the row's A keeps the A
        ("AR": it owns the item and does it too), so a stray key never leaves a
        row without an owner. Returns the previous A it displaced, or None.
        """
        self._known_row(rid)
        self.role(role_id)
        if demote_to == "A":
            raise DraftError("the previous owner cannot stay A: a row has exactly one A")
        self._checkpoint()
        row = self._state.rows.setdefault(rid, RowDraft())
        if letter == "R" and role_id == row.A:
            if role_id not in row.R:
                row.R.append(role_id)
            return None
        displaced = row.A if letter == "A" and row.A not in (None, role_id) else None
        self._remove_from_row(row, role_id)
        if displaced is not None:
            self._remove_from_row(row, displaced)
            if demote_to is not None:
                row.members(demote_to).append(displaced)
        if letter == "A":
            row.A = role_id
        elif letter is not None:
            row.members(letter).append(role_id)
        self._drop_if_empty(rid)
        return displaced

    def set_why(self, rid: str, why: str) -> None:
        self._known_row(rid)
        self._checkpoint()
        self._state.rows.setdefault(rid, RowDraft()).why = clean_line(why)
        self._drop_if_empty(rid)

    @staticmethod
    def _remove_from_row(row: RowDraft, role_id: str) -> None:
        if role_id == row.A:
            row.A = None
        for letter in LETTERS[1:]:
            members = row.members(letter)
            while role_id in members:
                members.remove(role_id)

    def _drop_if_empty(self, rid: str) -> None:
        row = self._state.rows.get(rid)
        if row is not None and row.empty:
            del self._state.rows[rid]

    # --- map, parties, roles, deputies -------------------------------------------------------

    def set_title(self, title: str) -> None:
        title = clean_line(title)
        if not title:
            raise DraftError("a map needs a title")
        self._checkpoint()
        self._state.title = title

    def add_party(self, party_id: str, title: str) -> None:
        party_id = _check_id(party_id, "party id")
        if party_id in self._state.parties:
            raise DraftError(f"there is already a party '{party_id}'")
        title = clean_line(title)
        if not title:
            raise DraftError("a party needs a name, e.g. Backend SOC")
        self._checkpoint()
        self._state.parties[party_id] = title

    def rename_party(self, party_id: str, title: str, new_id: str | None = None) -> None:
        """Give a party a new name, and optionally a new id (its roles follow)."""
        if party_id not in self._state.parties:
            raise DraftError(f"no party '{party_id}' in this map")
        title = clean_line(title)
        if not title:
            raise DraftError("a party needs a name, e.g. Backend SOC")
        new_id = _check_id(new_id, "party id") if new_id else party_id
        if new_id != party_id and new_id in self._state.parties:
            raise DraftError(f"there is already a party '{new_id}'")
        self._checkpoint()
        self._state.parties = {(new_id if p == party_id else p): (title if p == party_id else t)
                               for p, t in self._state.parties.items()}  # fmt: skip
        for role in self._state.roles:
            if role.party == party_id:
                role.party = new_id

    def remove_party(self, party_id: str) -> None:
        if party_id not in self._state.parties:
            raise DraftError(f"no party '{party_id}' in this map")
        members = [r.id for r in self._state.roles if r.party == party_id]
        if members:
            raise DraftError(f"party '{party_id}' still has roles ({', '.join(members)}); move or remove them first")
        self._checkpoint()
        del self._state.parties[party_id]

    def add_role(self, role_id: str, name: str, party: str, summary: str = "", deputy: str | None = None) -> None:
        role_id = _check_id(role_id, "role id")
        if role_id in {r.id for r in self._state.roles}:
            raise DraftError(f"there is already a role '{role_id}'")
        name = clean_line(name)
        if not name:
            raise DraftError("a role needs a name, e.g. SOC analyst (L1)")
        if party not in self._state.parties:
            raise DraftError(f"no party '{party}' in this map; add the party first")
        if deputy is not None:
            self.role(deputy)
        self._checkpoint()
        self._state.roles.append(RoleDraft(role_id, name, party, clean_line(summary), deputy))

    def edit_role(
        self, role_id: str, *, name: str, party: str, summary: str | None = None, new_id: str | None = None
    ) -> None:
        """Rename a role, move it to another party, or change its id (every reference follows)."""
        role = self.role(role_id)
        name = clean_line(name)
        if not name:
            raise DraftError("a role needs a name")
        if party not in self._state.parties:
            raise DraftError(f"no party '{party}' in this map")
        new_id = _check_id(new_id, "role id") if new_id else role_id
        if new_id != role_id and new_id in {r.id for r in self._state.roles}:
            raise DraftError(f"there is already a role '{new_id}'")
        self._checkpoint()
        role = self.role(role_id)  # the checkpoint copied the state; edit the live one
        role.name, role.party = name, party
        if summary is not None:
            role.summary = clean_line(summary)
        if new_id != role_id:
            role.id = new_id
            for other in self._state.roles:
                if other.deputy == role_id:
                    other.deputy = new_id
            for row in self._state.rows.values():
                if role_id == row.A:
                    row.A = new_id
                for letter in LETTERS[1:]:
                    members = row.members(letter)
                    members[:] = [new_id if m == role_id else m for m in members]

    def remove_role(self, role_id: str) -> list[str]:
        """Remove a role from the map and every row; returns the rows it was A on (now map gaps)."""
        self.role(role_id)
        self._checkpoint()
        orphaned = [rid for rid, row in self._state.rows.items() if role_id == row.A]
        self._state.roles = [r for r in self._state.roles if r.id != role_id]
        for other in self._state.roles:
            if other.deputy == role_id:
                other.deputy = None
        for rid in list(self._state.rows):
            self._remove_from_row(self._state.rows[rid], role_id)
            self._drop_if_empty(rid)
        return orphaned

    def set_deputy(self, role_id: str, deputy: str | None) -> None:
        self.role(role_id)
        if deputy is not None:
            self.role(deputy)
            if deputy == role_id:
                raise DraftError("a role cannot be its own deputy")
        self._checkpoint()
        self.role(role_id).deputy = deputy

    # --- writing ---------------------------------------------------------------------------

    def without_owner(self) -> list[str]:
        """Rows holding R, C, I or a why but no A yet: they cannot be saved as assignments."""
        return [rid for rid, row in self._state.rows.items() if row.A is None]

    def to_model(self) -> AuthorityMap:
        """The draft as a validated map. Rows without an A are left out (map gaps);
        an owned row without a why gets a TODO placeholder, which the audit reports.

        Raises DraftError when the map cannot exist yet (no party or no role).
        """
        state = self._state
        if not state.parties:
            raise DraftError("the map has no party yet: add one (e.g. MSP operations)")
        if not state.roles:
            raise DraftError("the map has no role yet: add one to a party")
        names = {r.id: r.name for r in state.roles}
        assignments: dict[str, Assignment] = {}
        for row in self.responsibilities:
            draft = state.rows.get(row.id)
            if draft is None or draft.A is None:
                continue
            why = draft.why.strip() or f"TODO: why {names[draft.A]} is accountable for {row.title.lower()}."
            assignments[row.id] = Assignment(A=draft.A, R=draft.R, C=draft.C, I=draft.I, why=why)
        roles = [Role(id=r.id, name=r.name, party=r.party, summary=r.summary, deputy=r.deputy) for r in self.roles]
        return AuthorityMap(
            id=state.id,
            title=state.title,
            description=state.description,
            parties=dict(state.parties),
            roles=roles,
            assignments=assignments,
            extra_responsibilities=list(state.extra),
        )

    def mark_saved(self) -> None:
        self.changed = False


def finding_cell(draft: MapDraft, finding: AuditFinding) -> tuple[str | None, str | None]:
    """The grid cell an audit finding is about, (responsibility, role); either may be None.

    A gap is a row, a role that owns nothing a column; a cross-party approval, an overload
    and a TODO why point at the (first) row's owner.
    """
    if isinstance(finding, Gap):
        return finding.responsibility, None
    if isinstance(finding, IdleRole):
        return None, finding.role
    if isinstance(finding, CrossParty):
        return finding.responsibility, draft.accountable(finding.responsibility)
    if isinstance(finding, (Overload, PlaceholderWhy)):
        rid = finding.responsibilities[0]
        return rid, draft.accountable(rid)
    return None, None
