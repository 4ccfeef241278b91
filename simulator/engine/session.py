"""The Engine: one play of a scenario against a map with a roster.

The TUI, the headless runner and the tests all drive this object. It shows the
steps in file order, asks each step's decisions, fires consequences from the
outcome of each answer, keeps the in-scenario clock, and journals every event.
It does no other I/O and never imports the UI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Concatenate, ParamSpec, TypeVar

from simulator.corrections import standing_answers, standing_inputs
from simulator.engine.machine import BRIEFING, IllegalMove, StageMachine
from simulator.engine.views import (
    AnswerResult,
    Choice,
    FiredConsequence,
    Note,
    PendingDecision,
    ShownArtifact,
    ShownItem,
)
from simulator.journal import Event, Journal, make_event
from simulator.loading.findings import did_you_mean
from simulator.model import (
    AuthorityMap,
    Decision,
    Outcome,
    Participant,
    Roster,
    Scenario,
    Step,
    clock_minutes,
    duration_minutes,
    format_clock,
)
from simulator.outcome import classify
from simulator.records import MAX_PARTICIPANT_NAME_CHARS, MAX_ROLES_HELD, AnswerRecord, EventKind, JoinedParticipant
from simulator.safetext import strip_controls
from simulator.templating import fill_variables, render


class EngineError(RuntimeError):
    """The engine was driven out of order (answering with nothing pending, a forbidden stage move, ...)."""


class ResumeError(EngineError):
    """A journal that does not replay against the scenario and map it names."""


P = ParamSpec("P")
R = TypeVar("R")


def _journaled_together(method: Callable[Concatenate[Engine, P], R]) -> Callable[Concatenate[Engine, P], R]:
    """Every event the method emits is written as one group with one fsync, before it returns."""

    @functools.wraps(method)
    def grouped(self: Engine, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._journal_group():
            return method(self, *args, **kwargs)

    return grouped


# What a correction rebuilds; everything else (journal, events, notes, extra time) carries over.
_REBUILT_STATE = (
    "items",
    "answers",
    "end_reason",
    "_machine",
    "_step_index",
    "_decision_index",
    "_attempts",
    "_fired",
    "_goto",
    "_clock",
    "_ballots",
)


def _played_seconds(events: Sequence[Event]) -> float:
    """The seconds played that the journal last recorded; a value out of range (an edited line) counts as none."""
    played = 0.0
    for event in events:
        value = event.get("played_s")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 10**9:
            played = max(played, float(value))
    return played


def same_person(name: str) -> str:
    """A name as names are compared: case and spacing do not make another person."""
    return " ".join(name.split()).casefold()


class Engine:
    def __init__(
        self,
        scenario: Scenario,
        authority_map: AuthorityMap,
        roster: Roster,
        seed: int,
        journal: Journal | None = None,
    ) -> None:
        self.scenario = scenario
        self.authority_map = authority_map
        self.roster = roster
        self.seed = seed
        self.values: dict[str, str] = fill_variables(scenario.variables, seed)
        self.journal = journal
        self.items: list[ShownItem] = []  # everything shown so far, in order
        self.answers: list[AnswerRecord] = []
        self.notes: list[Note] = []
        self.events: list[Event] = []  # every event this engine produced, journaled or not
        self.end_reason: str | None = None  # "completed" or "stopped" once in debrief
        self._machine = StageMachine()
        self._role_ids = set(authority_map.role_ids)
        self._participants = {p.name for p in roster.participants}
        self._step_index: int | None = None
        self._decision_index = 0
        self._attempts: dict[str, int] = {}
        self._fired: set[str] = set()
        self._goto: str | None = None
        self._clock: int | None = None
        self._ballots: dict[str, tuple[str, ...]] = {}  # cast for the pending decision, journaled as cast
        self._extra_time: dict[tuple[str, str, int], int] = {}  # seconds added, by (step, decision, attempt)
        self._replay_line = 1  # the journal line being replayed, for a ResumeError
        # Seconds of play (pauses taken out) a UI reports; journaled on every event so a resume carries on from it.
        self.played: Callable[[], float] | None = None
        self.played_before = 0.0  # seconds played before this process took over (from the journal on resume)

    # --- what a UI reads -------------------------------------------------------

    @property
    def state(self) -> str:
        """briefing, one of the six stages, or debrief."""
        return self._machine.state

    @property
    def stage(self) -> str | None:
        return self._machine.stage

    @property
    def started(self) -> bool:
        return self.state != BRIEFING

    @property
    def finished(self) -> bool:
        return self._machine.finished

    @property
    def stages_visited(self) -> list[str]:
        """Every stage entered, revisits included, for a progress strip."""
        return list(self._machine.visits)

    @property
    def clock(self) -> str:
        """The in-scenario clock ("02:14", "Day 2 09:00"); "" before any step sets it."""
        return "" if self._clock is None else format_clock(self._clock)

    @property
    def current_step(self) -> Step | None:
        if self._step_index is None or self.finished:
            return None
        return self.scenario.steps[self._step_index]

    @property
    def title(self) -> str:
        return self.render(self.scenario.title)

    @property
    def summary(self) -> str:
        """The briefing text."""
        return self.render(self.scenario.summary)

    @property
    def inject(self) -> str:
        step = self.current_step
        return self.render(step.inject) if step else ""

    @property
    def artifacts(self) -> list[ShownArtifact]:
        step = self.current_step
        if step is None:
            return []
        return [ShownArtifact(a.kind, self.render(a.title), self.render(a.body)) for a in step.artifacts]

    @property
    def discussion(self) -> list[str]:
        step = self.current_step
        return [self.render(q) for q in step.discussion] if step else []

    @property
    def progress(self) -> tuple[int, int]:
        """Decision N of M, as the host and every seat show it: the answers that stand plus this one, of the
        decisions the script asks (never fewer than N: a step played again asks its decisions again)."""
        number = len(self.answers) + 1
        return number, max(number, len(self.scenario.decisions))

    @property
    def pending_decision(self) -> PendingDecision | None:
        """The decision waiting for an answer; None between decisions and outside the stages."""
        step = self.current_step
        if step is None or self._decision_index >= len(step.decisions):
            return None
        decision = step.decisions[self._decision_index]
        return PendingDecision(
            decision=decision,
            ask=self.render(decision.ask),
            step=step.id,
            attempt=self._attempts[step.id],
            extra_time_s=self._extra_time.get((step.id, decision.id, self._attempts[step.id]), 0),
        )

    @property
    def choices(self) -> list[Choice]:
        """The map's roles, in map order, with party names and who holds them."""
        return [
            Choice(
                role=role.id,
                name=role.name,
                party=role.party,
                party_name=self.authority_map.parties.get(role.party, role.party),
                holders=tuple(self.roster.holders(role.id)),
                deputy=role.deputy,
            )
            for role in self.authority_map.roles
        ]

    @property
    def ballots(self) -> dict[str, tuple[str, ...]]:
        """Ballots cast so far for the pending decision, by participant (the latest one counts)."""
        return dict(self._ballots)

    def render(self, text: str) -> str:
        return render(text, self.values)

    # --- driving a session -----------------------------------------------------

    @_journaled_together
    def start(self) -> None:
        """Leave the briefing and show the first step."""
        if self.started:
            raise EngineError("the session has already started")
        self._play_from(0)

    @_journaled_together
    def answer(
        self,
        roles: Iterable[str],
        answered_by: str = "team",
        latency_ms: int = 0,
        ballots: Mapping[str, Iterable[str]] | None = None,
        timed_out: bool = False,
    ) -> AnswerResult:
        """Record the team's answer to the pending decision, fire its consequences and move on.

        Every event is durably journaled before this returns (one group, one fsync).
        """
        pending = self.pending_decision
        if pending is None:
            raise EngineError(f"no decision is waiting for an answer (state: {self.state})")
        chosen = () if timed_out else self._checked_roles(roles)
        given = {self._checked_participant(name): self._checked_roles(r) for name, r in (ballots or {}).items()}
        for name, ballot in given.items():
            if self._ballots.get(name) != ballot:
                self.cast_ballot(name, ballot)
        cast, self._ballots = self._ballots, {}
        decision, step = pending.decision, self.scenario.steps[self._step_index or 0]
        classification = classify(decision, chosen, self.authority_map, self.roster.staffed)
        record = AnswerRecord(
            decision=decision.id,
            step=step.id,
            stage=step.stage,
            responsibility=decision.responsibility,
            roles=chosen,
            answered_by=answered_by,
            latency_ms=max(0, int(latency_ms)),
            timed_out=timed_out,
            clock=self.clock,
            ballots=cast,
            attempt=pending.attempt,
        )
        self.answers.append(record)
        self._emit("answer_recorded", **record.to_json())
        fired = tuple(
            self._fire(cid, step, decision, classification.outcome)
            for cid in decision.on.get(classification.outcome, [])
            if cid not in self._fired
        )
        self._decision_index += 1
        if self._decision_index < len(step.decisions):
            self._ask()
        else:
            self._play_from(self._next_index())
        return AnswerResult(record, classification, fired)

    def cast_ballot(self, participant: str, roles: Iterable[str], *, fsync: bool = True) -> None:
        """One participant's pick for the pending decision, journaled at once; casting again replaces it.

        With `fsync=False` the line is written but its fsync is left to the caller
        (`Journal.sync`, one for a group of ballots), who acknowledges the ballot
        only once `journal.lines_synced` reaches `journal.lines_written` as it was on return.
        """
        pending = self.pending_decision
        if pending is None:
            raise EngineError(f"no decision is waiting for ballots (state: {self.state})")
        name = self._checked_participant(participant)
        chosen = self._checked_roles(roles)
        self._ballots[name] = chosen
        with self.journal.unsynced() if self.journal is not None and not fsync else nullcontext():
            self._emit(
                "ballot_cast",
                step=pending.step,
                decision=pending.decision.id,
                attempt=pending.attempt,
                participant=name,
                roles=list(chosen),
            )

    def withdraw_ballot(self, participant: str, reason: str = "") -> tuple[str, ...]:
        """Withdraw one participant's ballot for the pending decision; it stays in the journal, marked withdrawn."""
        pending = self.pending_decision
        if pending is None:
            raise EngineError(f"no decision is waiting for ballots (state: {self.state})")
        name = self._checked_participant(participant)
        if name not in self._ballots:
            raise EngineError(f"{name} has cast no ballot for this decision")
        roles = self._ballots.pop(name)
        self._emit(
            "answer_withdrawn",
            step=pending.step,
            decision=pending.decision.id,
            attempt=pending.attempt,
            participant=name,
            roles=list(roles),
            reason=reason,
        )
        return roles

    def withdraw_answer(self, reason: str = "") -> AnswerRecord:
        """Withdraw the last team answer that stands and ask its decision again.

        The journal keeps the answer; `answer_withdrawn` is appended and the state is
        rebuilt by replaying the journal without it, so whatever it fired (consequences,
        clock advances, jumps, later steps) is undone. Ballots cast for it stand.
        """
        if self.end_reason not in (None, "completed"):
            raise EngineError("the exercise was ended early; its answers can no longer be withdrawn")
        standing = standing_answers(self.events)
        if not standing:
            raise EngineError("no answer has been recorded yet, so there is none to withdraw")
        last = standing[-1]
        self._emit(
            "answer_withdrawn",
            step=last.step,
            decision=last.decision,
            attempt=last.attempt,
            roles=list(last.roles),
            timed_out=last.timed_out,
            reason=reason,
        )
        self._rebuild()
        return last

    def extend_time(self, seconds: int) -> PendingDecision:
        """Add time to the pending decision's countdown (journaled); returns the decision with its new limit."""
        pending = self.pending_decision
        if pending is None:
            raise EngineError(f"no decision is waiting for an answer (state: {self.state})")
        if pending.decision.time_limit_s is None:
            raise EngineError(f"decision '{pending.decision.id}' has no time limit to extend")
        if not 0 < seconds <= 3600:
            raise ValueError(f"extra time must be between 1 and 3600 seconds, not {seconds}")
        key = (pending.step, pending.decision.id, pending.attempt)
        self._extra_time[key] = self._extra_time.get(key, 0) + seconds
        self._emit(
            "time_extended",
            step=pending.step,
            decision=pending.decision.id,
            attempt=pending.attempt,
            seconds=seconds,
            limit_s=pending.decision.time_limit_s + self._extra_time[key],
        )
        return self.pending_decision or pending

    def note(self, text: str, author: str = "facilitator") -> Note:
        """A facilitator's or participant's note, journaled with where play stood."""
        pending = self.pending_decision
        step = self.current_step
        note = Note(
            author=author,
            text=text,
            step=step.id if step else None,
            decision=pending.decision.id if pending else None,
            clock=self.clock,
        )
        event = self._emit(
            "note_added", author=author, text=text, step=note.step, decision=note.decision, clock=note.clock
        )
        note = Note(note.author, note.text, note.step, note.decision, note.clock, at=event["at"])
        self.notes.append(note)
        return note

    def add_participant(self, name: str, roles: Iterable[str]) -> Participant:
        """Someone who joins during play, holding `roles` of the map from now on; journaled at once.

        The name is stripped of control characters and its spaces collapsed; a name that
        differs from a participant's only in case or spacing is that participant, refused.
        """
        if self.finished:
            raise EngineError("the exercise has ended; nobody can join it now")
        shown = " ".join(strip_controls(name, multiline=False).split())
        if not shown or len(shown) > MAX_PARTICIPANT_NAME_CHARS:
            raise ValueError(f"a participant's name is 1 to {MAX_PARTICIPANT_NAME_CHARS} characters")
        same = same_person(shown)
        clash = next((p.name for p in self.roster.participants if same_person(p.name) == same), None)
        if clash is not None:
            raise ValueError(f"'{clash}' is already a participant of this exercise")
        chosen = self._checked_roles(roles)
        if not chosen:
            raise ValueError("a participant holds at least one role of the map")
        if len(chosen) > MAX_ROLES_HELD:
            raise ValueError(f"a participant holds at most {MAX_ROLES_HELD} roles; {len(chosen)} were picked")
        person = Participant(name=shown, roles=list(chosen))
        self.roster = Roster(participants=[*self.roster.participants, person])
        self._participants.add(shown)
        self._emit("participant_joined", name=shown, roles=list(chosen))
        return person

    @_journaled_together
    def end(self, reason: str = "stopped") -> None:
        """Stop early and go to debrief (the facilitator ran out of time)."""
        if self.finished:
            raise EngineError("the session has already ended")
        self._finish(reason)

    # --- resuming --------------------------------------------------------------

    @classmethod
    def restore(
        cls,
        scenario: Scenario,
        authority_map: AuthorityMap,
        roster: Roster,
        seed: int,
        events: Sequence[Event],
        journal: Journal | None = None,
    ) -> Engine:
        """Replay a journal's answers and notes, ending exactly where it stopped.

        Events the original session produced but did not get to write (a crash
        between an answer and its consequences) are written to `journal`; nothing
        already in it is written again.
        """
        engine = cls(scenario, authority_map, roster, seed)
        try:
            engine._replay(events)
        except ResumeError as error:
            raise ResumeError(f"journal line {engine._replay_line}: {error}") from None
        except (ValueError, EngineError) as error:
            # A role, participant or move the scenario or map no longer knows: the copies were edited.
            where = f"journal line {engine._replay_line}"
            raise ResumeError(f"{where}: the journal does not replay against this scenario and map: {error}") from None
        engine.played_before = _played_seconds(events)
        missing = engine._missing_events(events)
        if journal is not None:
            with journal.group():
                for event in missing:
                    journal.append(event)
        engine.journal = journal
        return engine

    def _replay(self, events: Sequence[Event]) -> None:
        answered = 0
        for self._replay_line, event in enumerate(events, start=2):  # line 1 is the header
            kind = event.get("type")
            if kind == "note_added":
                self._replay_note(event)
                continue
            if kind == "participant_joined":  # joining in the briefing does not start the exercise
                joined = JoinedParticipant.from_json(dict(event))  # read_journal checked the line already
                self.add_participant(joined.name, joined.roles)
                continue
            if not self.started:
                self.start()
            if kind == "ballot_cast":
                self._replay_ballot(event)
            elif kind == "answer_recorded":
                answered += 1
                self._replay_answer(AnswerRecord.from_json(event), answered)
            elif kind == "answer_withdrawn":
                self._replay_withdrawal(event)
            elif kind == "time_extended":
                self.extend_time(int(event.get("seconds", 0)))
            elif kind == "session_ended" and event.get("reason") != "completed" and not self.finished:
                self.end(str(event.get("reason", "stopped")))
        if not self.started:
            self.start()

    def _replay_answer(self, record: AnswerRecord, number: int) -> None:
        pending = self.pending_decision
        if pending is None or (pending.step, pending.decision.id, pending.attempt) != (
            record.step,
            record.decision,
            record.attempt,
        ):
            raise ResumeError(self._misplaced_answer(record, number))
        self.answer(
            record.roles,
            answered_by=record.answered_by,
            latency_ms=record.latency_ms,
            ballots=record.ballots,
            timed_out=record.timed_out,
        )

    def _misplaced_answer(self, record: AnswerRecord, number: int) -> str:
        """Why a journaled answer cannot be replayed where it stands, in the user's words."""
        pending = self.pending_decision
        given = f"answer #{number} in the journal"
        if any((a.decision, a.attempt) == (record.decision, record.attempt) for a in self.answers):
            return (
                f"{given} answers decision '{record.decision}' (attempt {record.attempt}) a second time;"
                " a decision is answered once each time it is asked"
            )
        if pending is None:
            return (
                f"{given} (decision '{record.decision}') comes when no decision is waiting:"
                " more answers than the scenario asks"
            )
        if (pending.step, pending.decision.id) == (record.step, record.decision):
            return (
                f"{given} is attempt {record.attempt} of decision '{record.decision}',"
                f" but the decision is asked for attempt {pending.attempt} here"
            )
        here = f"decision '{pending.decision.id}' of step '{pending.step}'"
        return (
            f"{given} is for decision '{record.decision}' of step '{record.step}',"
            f" but replaying the scenario reaches {here}; the journal does not match this scenario"
        )

    def _replay_ballot(self, event: Event) -> None:
        pending = self.pending_decision
        if pending is None or (pending.step, pending.decision.id) != (event.get("step"), event.get("decision")):
            raise ResumeError(
                f"a ballot in the journal is for decision '{event.get('decision')}', but replaying reaches"
                f" {f'decision {pending.decision.id!r}' if pending else 'no decision'};"
                " the journal does not match this scenario"
            )
        self.cast_ballot(str(event.get("participant", "")), [str(r) for r in event.get("roles", [])])

    def _replay_withdrawal(self, event: Event) -> None:
        participant = event.get("participant")
        reason = str(event.get("reason", ""))
        if participant:
            self.withdraw_ballot(str(participant), reason)
        else:
            self.withdraw_answer(reason)
        produced = self.events[-1]
        if (produced.get("step"), produced.get("decision"), produced.get("attempt")) != (
            event.get("step"),
            event.get("decision"),
            event.get("attempt"),
        ):
            raise ResumeError(
                f"a correction in the journal withdraws an answer to decision '{event.get('decision')}',"
                f" but replaying reaches decision '{produced.get('decision')}'; the journal does not match"
            )

    def _rebuild(self) -> None:
        """Replay the standing ballots and answers into a fresh engine and take over its state.

        Notes, the event history and extra time are kept: they are never withdrawn.
        """
        fresh = Engine(self.scenario, self.authority_map, self.roster, self.seed)
        answered = 0
        for event in standing_inputs(self.events):
            if not fresh.started:
                fresh.start()
            kind = event.get("type")
            if kind == "ballot_cast":
                fresh._replay_ballot(dict(event))
            elif kind == "answer_recorded":
                answered += 1
                fresh._replay_answer(AnswerRecord.from_json(dict(event)), answered)
            # No early end stands here: withdrawing is refused once the exercise was ended early.
        if not fresh.started:
            fresh.start()
        for name in _REBUILT_STATE:
            setattr(self, name, getattr(fresh, name))

    def _replay_note(self, event: Event) -> None:
        self.note(str(event.get("text", "")), str(event.get("author", "facilitator")))
        last = self.notes[-1]
        self.notes[-1] = Note(last.author, last.text, last.step, last.decision, last.clock, at=str(event.get("at", "")))

    def _missing_events(self, journaled: Sequence[Event]) -> list[Event]:
        """The replayed events beyond what the journal holds, after checking the journal is their prefix."""
        kept = list(enumerate(journaled, start=2))  # line 1 is the header
        for (line, event), produced in zip(kept, self.events, strict=False):
            if event.get("type") != produced["type"]:
                raise ResumeError(
                    f"journal line {line}: expected a '{produced['type']}' event when replaying,"
                    f" found '{event.get('type')}'; the journal does not match this scenario"
                )
        if len(kept) > len(self.events):
            line, event = kept[len(self.events)]
            raise ResumeError(f"journal line {line}: unexpected '{event.get('type')}' event after replaying")
        return self.events[len(kept) :]

    # --- internals -------------------------------------------------------------

    def _checked_participant(self, name: str) -> str:
        if name not in self._participants:
            raise ValueError(
                f"unknown participant '{name}'{did_you_mean(name, self._participants)}; expected one in the roster"
            )
        return name

    def _checked_roles(self, roles: Iterable[str]) -> tuple[str, ...]:
        if isinstance(roles, str):
            roles = [roles]  # one role id, not its letters
        chosen = tuple(dict.fromkeys(roles))
        for role in chosen:
            if role not in self._role_ids:
                raise ValueError(
                    f"unknown role '{role}'{did_you_mean(role, self._role_ids)};"
                    f" expected a role of map '{self.authority_map.id}'"
                )
        return chosen

    def _journal_group(self) -> AbstractContextManager[None]:
        if self.journal is None:
            return nullcontext()
        return self.journal.group()

    def _emit(self, event_type: EventKind, /, **payload: Any) -> Event:
        if self.played is not None:
            payload["played_s"] = round(self.played(), 1)
        event = make_event(event_type, **payload)
        self.events.append(event)
        if self.journal is not None:
            self.journal.append(event)
        return event

    def _play_from(self, index: int) -> None:
        """Show steps from `index` on until one asks a decision or the script ends."""
        while index < len(self.scenario.steps):
            step = self.scenario.steps[index]
            self._show_step(index, step)
            if step.decisions:
                self._ask()
                return
            index = self._next_index()
        self._finish("completed")

    def _next_index(self) -> int:
        """The step after the one shown, or where a consequence jumped; only asked once a step is shown."""
        if self._goto is not None:
            return [s.id for s in self.scenario.steps].index(self._goto)
        assert self._step_index is not None  # `_show_step` has set it
        return self._step_index + 1

    def _show_step(self, index: int, step: Step) -> None:
        if step.clock is not None:
            # A consequence may already have pushed the clock past this step's time.
            self._clock = max(clock_minutes(step.clock), self._clock or 0)
        if self._machine.stage != step.stage:
            try:
                self._machine.move_to(step.stage)
            except IllegalMove as error:
                raise EngineError(f"step '{step.id}': {error}") from None
            self._emit("stage_entered", stage=step.stage, step=step.id, clock=self.clock)
        attempt = self._attempts[step.id] = self._attempts.get(step.id, 0) + 1
        self._step_index, self._decision_index, self._goto = index, 0, None
        self.items.append(
            ShownItem(
                kind="step",
                id=step.id,
                stage=step.stage,
                clock=self.clock,
                title=self.render(step.title),
                text=self.render(step.inject),
                artifacts=tuple(self.artifacts),
                attempt=attempt,
            )
        )
        self._emit("inject_shown", kind="step", step=step.id, stage=step.stage, clock=self.clock, attempt=attempt)

    def _ask(self) -> None:
        pending = self.pending_decision
        assert pending is not None
        self._emit(
            "decision_asked",
            step=pending.step,
            decision=pending.decision.id,
            responsibility=pending.decision.responsibility,
            attempt=pending.attempt,
            clock=self.clock,
        )

    def _fire(self, consequence_id: str, step: Step, decision: Decision, outcome: Outcome) -> FiredConsequence:
        consequence = self.scenario.consequences[consequence_id]
        self._fired.add(consequence_id)  # at most once per session, so a jump back cannot loop
        advance = duration_minutes(consequence.clock_advance) if consequence.clock_advance else 0
        if advance:
            self._clock = (self._clock or 0) + advance
        item = None
        if consequence.inject or consequence.title:
            item = ShownItem(
                kind="consequence",
                id=consequence_id,
                stage=step.stage,
                clock=self.clock,
                title=self.render(consequence.title),
                text=self.render(consequence.inject),
            )
            self.items.append(item)
        if consequence.goto is not None and self._goto is None:
            self._goto = consequence.goto  # the first jump fired in a step wins
        self._emit(
            "consequence_fired",
            consequence=consequence_id,
            step=step.id,
            decision=decision.id,
            outcome=outcome,
            clock=self.clock,
            clock_advance=consequence.clock_advance,
            goto=consequence.goto,
        )
        return FiredConsequence(consequence_id, outcome, item, advance, consequence.goto)

    def _finish(self, reason: str) -> None:
        self._machine.end()
        self.end_reason = reason
        self._emit("session_ended", reason=reason, answers=len(self.answers), clock=self.clock)
