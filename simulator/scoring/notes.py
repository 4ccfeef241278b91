"""Facilitator notes carried into the report, whatever object the journal hands over."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from simulator.scoring.result import NoteEntry


@runtime_checkable
class NoteLike(Protocol):
    """Anything with a `text`; `step`, `decision`, `clock` and `author` (or `by`) are read when present."""

    @property
    def text(self) -> str: ...


def _field(note: object, *names: str) -> str:
    for name in names:
        value = note.get(name) if isinstance(note, Mapping) else getattr(note, name, None)
        if value:
            return str(value)
    return ""


def notes_of(notes: Sequence[NoteLike | Mapping[str, object]]) -> tuple[NoteEntry, ...]:
    """Journal `note_added` payloads may arrive as objects or as plain dicts."""
    return tuple(
        NoteEntry(
            text=_field(note, "text"),
            step=_field(note, "step"),
            decision=_field(note, "decision"),
            clock=_field(note, "clock"),
            by=_field(note, "author", "by"),
        )
        for note in notes
    )
