"""The stage state machine, built with `transitions`.

The legal moves are declared once, as data, from `simulator.catalogue`; the
machine is a plain synchronous object with no I/O, so the TUI, the headless
runner and the tests drive it the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from transitions import Machine

from simulator.catalogue import STAGES, Stage, is_legal_move

if TYPE_CHECKING:
    from transitions.core import TransitionConfigDict

BRIEFING: Final = "briefing"
DEBRIEF: Final = "debrief"
STATES: tuple[str, ...] = (BRIEFING, *STAGES, DEBRIEF)


def enter_trigger(stage: str) -> str:
    """Name of the trigger that moves the machine into `stage`."""
    return f"enter_{stage}"


def transition_table() -> list[TransitionConfigDict]:
    """The legal moves as `transitions` declarations: one trigger per destination, with its sources."""
    table: list[TransitionConfigDict] = []
    for dest in STAGES:
        # Any stage may open the exercise; afterwards only the moves the catalogue allows.
        sources = [BRIEFING, *(s for s in STAGES if s != dest and is_legal_move(s, dest))]
        table.append({"trigger": enter_trigger(dest), "source": sources, "dest": dest})
    # A session may end after its last step or be stopped early by the facilitator.
    table.append({"trigger": enter_trigger(DEBRIEF), "source": [BRIEFING, *STAGES], "dest": DEBRIEF})
    return table


class IllegalMove(RuntimeError):
    """A stage move the state machine does not allow."""


class StageMachine:
    """Where a session is: briefing, one of the six stages, or debrief.

    `visits` lists every stage entered, revisits included, for a progress strip.
    """

    state: str  # set and kept by `transitions`

    def __init__(self) -> None:
        self.visits: list[Stage] = []
        self._machine = Machine(
            model=self,
            states=list(STATES),
            # Built per machine (seven entries), not once at import: a mutation run switches
            # variants of `transition_table` on after import, and must see them (tests/MUTANTS.md).
            transitions=transition_table(),
            initial=BRIEFING,
            auto_transitions=False,
            after_state_change="_record_visit",
        )

    def _record_visit(self) -> None:
        if self.state in STAGES:
            self.visits.append(self.state)

    @property
    def stage(self) -> Stage | None:
        """The current stage; None in briefing and debrief."""
        return self.state if self.state in STAGES else None

    @property
    def finished(self) -> bool:
        return self.state == DEBRIEF

    def can_move_to(self, stage: str) -> bool:
        """True when `move_to(stage)` would succeed (staying in the same stage always does)."""
        if stage == self.state and stage in STAGES:
            return True
        if stage not in STAGES:
            return False
        return bool(self._call(f"may_{enter_trigger(stage)}"))

    def move_to(self, stage: str) -> None:
        """Enter `stage`; a no-op when already there. Raises IllegalMove for a move §4 forbids."""
        if stage == self.state and stage in STAGES:
            return
        if stage not in STAGES:
            raise IllegalMove(f"unknown stage '{stage}'; expected one of: {', '.join(STAGES)}")
        if not self.can_move_to(stage):
            raise IllegalMove(f"cannot move from {self.state} to {stage}: not an allowed stage move")
        self._call(enter_trigger(stage))

    def end(self) -> None:
        """Go to debrief (after the last step, or when the facilitator stops early)."""
        if not self.finished:
            self._call(enter_trigger(DEBRIEF))

    def _call(self, name: str) -> Any:
        # Triggers are attached to this object by `transitions` at run time.
        return getattr(self, name)()
