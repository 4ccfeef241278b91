"""The room: an engine, its seats, the open question's ballots, reveal, countdown and pause.

The host (headless or the TUI) drives a Room; the server turns seat messages
into calls on it and sends each seat its own view after every change. Every
ballot goes through `Engine.cast_ballot`, which writes it to the journal at
once; `Room.cast` returns only when an fsync has covered it (one fsync for the
ballots that arrive together, commit.py), so the acknowledgement a seat
receives afterwards is a durable one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable

from simulator.engine import AnswerResult, Engine, EngineError, PendingDecision
from simulator.frozen import frozen
from simulator.records import MAX_ROLES_HELD
from simulator.safetext import strip_controls
from simulator.seats.commit import GroupCommit
from simulator.seats.protocol import ProtocolError
from simulator.seats.registry import Seat, SeatRegistry

QuestionKey = tuple[str, str, int]  # step, decision, attempt


@frozen
class Round:
    """A decision whose ballots were revealed and whose team answer was recorded."""

    key: QuestionKey
    ask: str
    ballots: dict[str, tuple[str, ...]]  # by participant name
    team: tuple[str, ...]
    timed_out: bool


def key_of(pending: PendingDecision) -> QuestionKey:
    return (pending.step, pending.decision.id, pending.attempt)


def majority(ballots: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The answer most ballots gave, as a set of roles; a tie goes to the answer cast first."""
    if not ballots:
        return ()
    counts = Counter(frozenset(roles) for roles in ballots.values())
    best = max(counts.values())
    for roles in ballots.values():  # dict order is the order the ballots were first cast
        if counts[frozenset(roles)] == best:
            return roles
    raise AssertionError("unreachable: some ballot has the best count")


def spread(ballots: dict[str, tuple[str, ...]]) -> list[tuple[tuple[str, ...], int]]:
    """Each distinct answer and how many gave it, most first (ties in casting order)."""
    counts: dict[frozenset[str], int] = {}
    first: dict[frozenset[str], tuple[str, ...]] = {}
    for roles in ballots.values():
        key = frozenset(roles)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, roles)
    return sorted(((first[k], n) for k, n in counts.items()), key=lambda item: -item[1])


class Room:
    def __init__(
        self,
        engine: Engine,
        registry: SeatRegistry,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.registry = registry
        self._now = clock
        self.connected: Counter[str] = Counter()  # seat id -> open connections
        self.revealed: QuestionKey | None = None
        self.rounds: list[Round] = []
        self.paused = False
        self._paused_at = 0.0
        self._paused_total = 0.0
        self._asked_at: dict[QuestionKey, float] = {}
        self._listeners: list[Callable[[], None]] = []
        self._join_listeners: list[Callable[[Seat], None]] = []
        self._trouble_listeners: list[Callable[[str], None]] = []
        # A host screen with its own play clock tells the seats its countdown (notes hold it, too).
        self.countdown: Callable[[], float | None] | None = None
        self._started_at = clock()
        self._commits = GroupCommit(engine.journal) if engine.journal is not None else None
        engine.played = self.played_s

    # --- listening -------------------------------------------------------------

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every change a seat or the facilitator should see."""
        self._listeners.append(listener)

    def off_change(self, listener: Callable[[], None]) -> None:
        """Stop calling `listener` (a screen that is going away)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # --- time ------------------------------------------------------------------

    def _running_time(self) -> float:
        """Seconds since the room opened, pauses taken out."""
        paused = self._paused_total + (self._now() - self._paused_at if self.paused else 0.0)
        return self._now() - self._started_at - paused

    def played_s(self) -> float:
        return self.engine.played_before + self._running_time()

    def remaining_s(self) -> float | None:
        """Seconds left on the open question's countdown; None when it has no time limit."""
        pending = self.engine.pending_decision
        if pending is None or pending.time_limit_s is None:
            return None
        if self.countdown is not None:
            return self.countdown()
        asked = self._asked_at.setdefault(key_of(pending), self._running_time())
        return max(0.0, pending.time_limit_s - (self._running_time() - asked))

    def pause(self, paused: bool) -> None:
        if paused == self.paused:
            return
        if paused:
            self._paused_at = self._now()
        else:
            self._paused_total += self._now() - self._paused_at
        self.paused = paused
        self.changed()

    def extend(self, seconds: int = 60) -> None:
        self.engine.extend_time(seconds)
        self.changed()

    # --- seats -----------------------------------------------------------------

    @property
    def seated(self) -> list[Seat]:
        return [s for s in self.registry.seats.values() if s.taken and not s.removed]

    def join(self, room: str, name: str, roles: tuple[str, ...] | None = None) -> tuple[Seat, str]:
        """Take the seat of `name`; someone not in the roster joins with `roles` picked from the map.

        A name already in the room keeps the roles it holds: a join that picks other roles for
        it is refused (`name_taken`), one that picks the same roles takes the seat as usual.
        """
        if not self.registry.code_matches(room):
            raise ProtocolError("wrong_room", "that room code is not this room's; check it with the facilitator")
        name = " ".join(strip_controls(name, multiline=False).split())
        if not name:
            raise ProtocolError("malformed", "'name' must hold some letters")
        seat = self.registry.by_name(name)
        if seat is None and self.engine.finished:
            raise ProtocolError("ended", "the exercise has ended; nobody new can join it now")
        if seat is None and self.registry.roster_only:
            raise ProtocolError(
                "roster_only",
                f"'{name}' is not in this exercise's roster, and the facilitator seats only the people in it;"
                " join with your name as the facilitator has it, or ask them to add you",
            )
        if seat is None and roles is None:
            raise ProtocolError(
                "unknown_name",
                f"'{name}' is not in this exercise's roster: pick the roles you hold from the map to join"
                " as a new participant, or use your name as the facilitator has it",
                roles=self.map_roles(),
                max_roles=MAX_ROLES_HELD,
            )
        if seat is None:
            seat = self._add(name, roles or ())
        elif roles is not None and set(roles) != set(seat.roles):
            raise ProtocolError(
                "name_taken",
                f"'{seat.name}' is already a participant of this exercise, holding"
                f" {self._role_names(seat.roles)}; join without picking roles to take that seat,"
                " or use another name",
            )
        if seat.taken:
            raise ProtocolError(
                "seat_taken",
                f"the seat of '{seat.name}' is already taken; rejoin from the device that took it,"
                " or ask the facilitator to remove it",
            )
        secret = self.registry.take(seat)
        self.changed()
        return seat, secret

    def map_roles(self) -> list[dict[str, str]]:
        """The map's roles as a joining participant picks from them: id, name and party, nothing more."""
        authority_map = self.engine.authority_map
        return [
            {"id": r.id, "name": r.name, "party": authority_map.parties.get(r.party, r.party)}
            for r in authority_map.roles
        ]

    def _role_names(self, roles: Iterable[str]) -> str:
        names = {r.id: r.name for r in self.engine.authority_map.roles}
        return ", ".join(names.get(r, r) for r in roles) or "no role"

    def _add(self, name: str, roles: tuple[str, ...]) -> Seat:
        """A seat for someone not in the roster, with roles from the map; journaled before it is given."""
        known = set(self.engine.authority_map.role_ids)
        unknown = [r for r in roles if r not in known]
        if unknown:
            shown_role = strip_controls(unknown[0], multiline=False)[:64]
            raise ProtocolError(
                "unknown_role", f"unknown role '{shown_role}'; pick the roles you hold from the map's roles"
            )
        if not roles:
            raise ProtocolError("no_roles", "pick at least one role you hold from the map's roles")
        if len(roles) > MAX_ROLES_HELD:
            raise ProtocolError(
                "too_many_roles",
                f"{len(roles)} roles picked; one participant holds at most {MAX_ROLES_HELD}. Pick the ones you hold",
            )
        try:
            person = self.engine.add_participant(name, roles)
        except ValueError as error:  # checked above; the engine's own word, should the rules differ
            raise ProtocolError("malformed", str(error)) from None
        seat = self.registry.add(person.name, tuple(person.roles))
        for listener in list(self._join_listeners):
            listener(seat)
        return seat

    def on_join(self, listener: Callable[[Seat], None]) -> None:
        """Call `listener` with the seat of each participant who joins during play (not in the roster)."""
        self._join_listeners.append(listener)

    def on_trouble(self, listener: Callable[[str], None]) -> None:
        """Call `listener` with what went wrong when the host could not save a seat's ballot or joining."""
        self._trouble_listeners.append(listener)

    def trouble(self, what: str) -> None:
        """The seat was told 'not_saved' (tell the facilitator): the facilitator hears it here too."""
        for listener in list(self._trouble_listeners):
            listener(what)

    def rejoin(self, room: str, seat_id: str, secret: str) -> Seat:
        if not self.registry.code_matches(room):
            raise ProtocolError("wrong_room", "that room code is not this room's; check it with the facilitator")
        seat = self.registry.check(seat_id, secret)
        if seat is None:
            raise ProtocolError("wrong_secret", "that seat secret is not valid here; join again by name")
        return seat

    def seat_only_the_roster(self, only: bool) -> None:
        """Refuse (or welcome again) people who join with roles of their own; kept in seats.json for a resume.

        When seats.json cannot be written the room stays as it was, and the facilitator hears why.
        """
        try:
            self.registry.set_roster_only(only)
        except OSError as error:
            self.trouble(f"the room could not be {'closed' if only else 'opened'} to newcomers: {error}")
            return
        self.changed()

    def remove(self, seat_id: str) -> Seat:
        seat = self.registry.remove(seat_id)
        self.changed()
        return seat

    # --- ballots ---------------------------------------------------------------

    @property
    def question(self) -> PendingDecision | None:
        pending = self.engine.pending_decision
        if pending is not None:
            self.remaining_s()  # starts the countdown the first time the question is seen
        return pending

    @property
    def is_revealed(self) -> bool:
        pending = self.engine.pending_decision
        return pending is not None and self.revealed == key_of(pending)

    async def cast(self, seat: Seat, decision: str, attempt: int, roles: Iterable[str]) -> tuple[str, ...]:
        """A seat's ballot for the open question; it is on disk (fsynced) when this returns.

        The checks and the write happen at once, so the ballot lands in the open
        question whatever happens while its fsync is awaited (a reveal, a team
        answer, a pause, the seat's removal): the engine holds it and the journal
        has its line, before any later event's line. Only the acknowledgement waits.
        """
        pending = self.engine.pending_decision
        if pending is None:
            raise ProtocolError("no_question", "no question is open for ballots right now")
        if (pending.decision.id, pending.attempt) != (decision, attempt):
            raise ProtocolError("stale_question", "that question is no longer open; the current one is in your state")
        if self.is_revealed:
            raise ProtocolError("ballots_closed", "the ballots for this question have been revealed")
        if self.paused:
            raise ProtocolError("paused", "the exercise is paused; cast your ballot when it carries on")
        chosen = tuple(roles)
        unknown = [r for r in chosen if r not in self.engine.authority_map.role_ids]
        if unknown:
            raise ProtocolError("unknown_role", f"unknown role '{unknown[0]}'; pick from the question's choices")
        self.engine.cast_ballot(seat.name, chosen, fsync=False)
        line = self.engine.journal.lines_written if self.engine.journal is not None else 0
        self.changed()
        if self._commits is not None:
            await self._commits.durable(line)
        return chosen

    def ballot_of(self, seat: Seat) -> tuple[str, ...] | None:
        return self.engine.ballots.get(seat.name)

    def all_voted(self) -> bool:
        """Every seated seat has a ballot for the open question (and at least one seat is seated)."""
        seated = self.seated
        ballots = self.engine.ballots
        return bool(seated) and all(s.name in ballots for s in seated)

    def reveal(self) -> dict[str, tuple[str, ...]]:
        pending = self.engine.pending_decision
        if pending is None:
            raise EngineError("no question is open, so there are no ballots to reveal")
        self.revealed = key_of(pending)
        self.changed()
        return self.engine.ballots

    def record(self, roles: Iterable[str] | None = None, *, timed_out: bool = False) -> AnswerResult:
        """Record the team answer (the majority of the ballots when `roles` is None) and move on."""
        pending = self.engine.pending_decision
        if pending is None:
            raise EngineError("no question is open, so there is no team answer to record")
        ballots = self.engine.ballots
        team = majority(ballots) if roles is None else tuple(roles)
        latency_ms = 0
        asked = self._asked_at.get(key_of(pending))
        if asked is not None:
            latency_ms = int((self._running_time() - asked) * 1000)
        result = self.engine.answer(team, answered_by="team", latency_ms=latency_ms, timed_out=timed_out)
        self.rounds.append(Round(key_of(pending), pending.ask, ballots, result.record.roles, timed_out))
        self.revealed = None
        self.changed()
        return result

    def timed_out(self) -> bool:
        remaining = self.remaining_s()
        return remaining is not None and remaining <= 0 and not self.paused
