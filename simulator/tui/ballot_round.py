"""A round of ballots: each voter's dialog in turn, each ballot handed up the moment it is cast.

It knows nothing of the engine: the play screen (or, later, a host screen for remote
seats) says who votes, how to open a voter's dialog and what to do with a ballot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import App
from textual.screen import ModalScreen

from simulator.frozen import frozen


@frozen
class Voter:
    name: str
    holds: tuple[str, ...]  # names of the roles the person holds


# A voter's dialog dismisses with the roles picked, or with anything else to end the round.
BallotDialog = ModalScreen[Any]


class BallotRound:
    def __init__(
        self,
        app: App[Any],
        voters: Sequence[Voter],
        *,
        dialog: Callable[[Voter], BallotDialog],
        cast: Callable[[str, tuple[str, ...]], None],
        done: Callable[[], None],
        still_open: Callable[[], bool],
    ) -> None:
        self._app = app
        self._voters = list(voters)
        self._dialog, self._cast, self._done, self._still_open = dialog, cast, done, still_open

    def start(self) -> None:
        self._ask(0)

    def _ask(self, index: int) -> None:
        if index >= len(self._voters):
            self._done()
            return
        voter = self._voters[index]

        def answered(result: object) -> None:
            if not self._still_open():
                return  # time ran out meanwhile: the decision is recorded, with the ballots cast so far
            if not isinstance(result, tuple):
                self._done()  # Esc: the round ends; what was cast stays
                return
            self._cast(voter.name, tuple(str(role) for role in result))  # journaled before the next dialog opens
            self._ask(index + 1)

        self._app.push_screen(self._dialog(voter), answered)
