"""From the debrief to the map: carry answers the team judges right ("the map is wrong") into a revised map.

A candidate is an answer that named exactly one role and did not match the map:
a drift, or an answer to a decision the map assigns to nobody (a map gap). For
each one the team marks, the answered role becomes the owner by the decision's
expect rule, so the same answer would now be aligned:

- `expect: accountable` (or a map gap): the role becomes the A; the previous A
  is demoted to R, since it still does part of the work.
- `expect: responsible`: the role joins R; the A stays.

The row's why is prefilled from the facilitator's notes at that decision (or
its step); without a note, an owner change gets a TODO placeholder naming the
session, which `ttx map check` reports until someone writes the reason.

The session folder keeps `map-revisions.json`, the list of responsibilities
resolved by changing the map, so the AAR's improvement plan can say which items
were fixed in the map rather than by training.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from simulator.audit import responsibilities_of
from simulator.authoring.mapdraft import MapDraft, clean_line
from simulator.catalogue import CATALOGUE
from simulator.frozen import frozen
from simulator.map_revisions import REVISIONS_FILE, REVISIONS_FORMAT, read_revisions
from simulator.model import AuthorityMap, Expect, Outcome, Scenario
from simulator.scoring import NoteEntry, SessionScore
from simulator.sessions import write_atomically


@frozen
class Candidate:
    """An answer the team may judge right and the map wrong."""

    decision: str
    step: str
    attempt: int
    ask: str
    responsibility: str
    title: str
    expect: Expect
    role: str  # the team's answer
    owner: str | None  # the map's A; None for a map gap
    outcome: Outcome
    map_gap: bool
    note: str  # the facilitator's notes at that decision or step, joined; "" when none

    @property
    def key(self) -> str:
        return f"{self.decision}#{self.attempt}"


@frozen
class Change:
    responsibility: str
    decision: str
    attempt: int
    role: str
    change: str  # "owner" (became A) | "responsible" (joined R)
    previous_owner: str | None
    why: str


@frozen
class Revision:
    authority_map: AuthorityMap
    changes: tuple[Change, ...]
    conflicts: tuple[str, ...]  # marks that a later mark on the same responsibility overrode


def _notes_at(notes: Sequence[NoteEntry], decision: str, step: str) -> str:
    on_decision = [n.text for n in notes if n.decision == decision]
    on_step = [n.text for n in notes if n.step == step and not n.decision]
    return clean_line(" ".join(on_decision or on_step))


def candidates(scenario: Scenario, score: SessionScore) -> list[Candidate]:
    """Answers that could be carried into the map, in answer order."""
    asks = {d.id: d.ask for d in scenario.decisions}
    titles = {rid: item.title for rid, item in CATALOGUE.items()}
    found: list[Candidate] = []
    for answer in score.answers:
        if len(answer.roles) != 1 or not (answer.map_gap or answer.outcome == "drift"):
            continue
        found.append(
            Candidate(
                decision=answer.decision,
                step=answer.step,
                attempt=answer.record.attempt,
                ask=asks.get(answer.decision, answer.decision),
                responsibility=answer.responsibility,
                title=titles.get(answer.responsibility, answer.responsibility),
                expect=answer.expect,
                role=answer.roles[0],
                owner=answer.owner,
                outcome=answer.outcome,
                map_gap=answer.map_gap,
                note=_notes_at(score.notes, answer.decision, answer.step),
            )
        )
    return found


def placeholder_why(role_name: str, title: str, session: str) -> str:
    return (
        f"TODO: write why {role_name} owns {title.lower()};"
        f" changed after exercise {session}, where the team gave it to them."
    )


def revise_map(authority_map: AuthorityMap, marked: Sequence[Candidate], session: str) -> Revision:
    """`authority_map` with every marked answer made right; later marks on one responsibility win."""
    draft = MapDraft.from_map(authority_map)
    titles = {rid: title for rid, _, title in responsibilities_of(authority_map)}
    names = {r.id: r.name for r in authority_map.roles}
    changes: dict[str, Change] = {}
    conflicts: list[str] = []
    for mark in marked:
        rid = mark.responsibility
        title = titles.get(rid, rid)
        earlier = changes.get(rid)
        previous = draft.accountable(rid)
        if mark.expect == "accountable" or previous is None:
            draft.set_cell(rid, mark.role, "A", demote_to="R")
            why = mark.note or placeholder_why(names.get(mark.role, mark.role), title, session)
            draft.set_why(rid, why)
            change = Change(rid, mark.decision, mark.attempt, mark.role, "owner", previous, why)
        else:
            if mark.role != previous:
                draft.set_cell(rid, mark.role, "R")
            if mark.note:
                draft.set_why(rid, mark.note)
            change = Change(rid, mark.decision, mark.attempt, mark.role, "responsible", previous, draft.row(rid).why)
        if earlier is not None and earlier.role != mark.role and change.change == "owner":
            conflicts.append(
                f"{rid}: {mark.key} made {mark.role} the owner after {earlier.decision} had chosen {earlier.role}"
            )
        changes[rid] = change
    return Revision(draft.to_model(), tuple(changes.values()), tuple(conflicts))


# --- the session folder's record ----------------------------------------------------------


def record_revision(folder: Path, revision: Revision, map_path: Path, now: datetime | None = None) -> Path:
    """Add this revision to the session folder's map-revisions.json (which ttx alone writes)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    entries = read_revisions(folder)
    entries.append(
        {
            "written_at": moment.isoformat(timespec="seconds"),
            "map": str(map_path),
            "map_id": revision.authority_map.id,
            "changes": [asdict(change) for change in revision.changes],
        }
    )
    path = folder / REVISIONS_FILE
    write_atomically(path, json.dumps({"format": REVISIONS_FORMAT, "revisions": entries}, indent=2) + "\n")
    return path
