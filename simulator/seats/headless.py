"""A host without a screen, for scripts, tests and benchmarks.

It starts the exercise once every roster participant has taken a seat, reveals
the ballots when every seated person has voted (or the countdown runs out) and
records the team answer from an answers file when it names the decision, else
the majority of the ballots. When the scenario ends it writes report.json.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

from simulator.seats.room import Room

TICK_S = 0.25  # how often countdowns are checked


class HeadlessHost:
    def __init__(self, room: Room, answers: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.room = room
        self.answers = dict(answers or {})
        self.done = asyncio.Event()
        self._stepping = False
        room.on_change(self.step)

    def step(self) -> None:
        """Move the exercise on as far as the room allows; called after every change."""
        if self._stepping:
            return  # a change this very step made (reveal, record): the outer call carries on
        self._stepping = True
        try:
            self._step()
        finally:
            self._stepping = False
        if self.room.engine.finished:
            self.done.set()

    def _step(self) -> None:
        room, engine = self.room, self.room.engine
        if engine.finished:
            self.done.set()
            return
        if not engine.started:
            if all(seat.taken and not seat.removed for seat in room.registry.seats.values()):
                engine.start()
                room.changed()
            return
        pending = room.question
        if pending is None or room.paused:
            return
        timed_out = room.timed_out()
        if room.all_voted() or timed_out:
            if not room.is_revealed:
                room.reveal()
            team = self.answers.get(pending.decision.id)
            room.record(team, timed_out=timed_out and not room.all_voted())

    async def run(self) -> None:
        """Tick until the scenario has ended (countdowns need a clock; everything else is event-driven)."""
        self.step()
        while not self.done.is_set():
            try:
                await asyncio.wait_for(self.done.wait(), TICK_S)
            except asyncio.TimeoutError:
                self.step()


def write_report(room: Room, folder: Path, header: object) -> Path:
    """report.json next to the journal, as `ttx run` writes it."""
    from simulator.reporting.files import SessionReport, score_events, write_session_reports

    engine = room.engine
    score = score_events(engine.scenario, engine.authority_map, engine.roster, engine.events)
    report = SessionReport(header, engine.scenario, engine.authority_map, engine.events, score)  # type: ignore[arg-type]
    return write_session_reports(report, folder, ("json",))[0]
