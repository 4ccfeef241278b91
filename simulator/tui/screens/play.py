"""The exercise itself: story, question, role picker, clocks, ballots, notes, pause."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from simulator.catalogue import CATALOGUE
from simulator.engine import AnswerResult, PendingDecision
from simulator.play import PlayableSession, answering_as
from simulator.safetext import strip_controls
from simulator.tui.screens.answer_modals import SKIP, BallotScreen, FeedbackScreen, role_names
from simulator.tui.screens.modals import ConfirmScreen, NotesScreen
from simulator.tui.widgets.role_picker import RolePicker
from simulator.tui.widgets.stage_strip import StageStrip
from simulator.tui.widgets.story import Story


def _mmss(seconds: float, *, up: bool = False) -> str:
    whole = max(0, math.ceil(seconds) if up else int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class PlayScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "tick_role(1)", "Tick role 1–9", show=False, key_display="1…9"),
        *[Binding(str(n), f"tick_role({n})", show=False) for n in range(2, 10)],
        Binding("0", "nobody", "Nobody", id="nobody", tooltip="Record 'nobody / not sure' (a gap)"),
        Binding("p", "pause", "Pause", id="pause", tooltip="Stop every clock while the room talks"),
        Binding("n", "note", "Note", id="note", tooltip="Add a facilitator / hotwash note"),
        Binding("b", "ballots", "Ballots", id="ballots", tooltip="Take each participant's pick, then the team's"),
        Binding(
            "B",
            "toggle_auto_ballots",
            "Auto ballots",
            show=False,
            id="auto-ballots",
            tooltip="Ask for ballots automatically at every decision (on/off)",
        ),
        Binding("e", "end_early", "End", id="end", tooltip="End the exercise now and go to the debrief"),
        Binding(
            "q", "app.request_quit", "Quit", show=False, id="quit-play", tooltip="Leave; the session can be resumed"
        ),
    ]

    def __init__(self, session: PlayableSession, clock: Callable[[], float]) -> None:
        super().__init__()
        self._clock = clock  # monotonic seconds; tests pass a fake one
        self.session = session
        self.engine = session.engine
        self.mode = session.mode
        self._shown = 0
        self._pending_discussion: list[str] = []
        self._asked_at = self._clock()
        self._paused_at: float | None = None
        self._paused_for = 0.0
        self._started_at = self._clock()
        self.auto_ballots = self.mode == "facilitated" and len(self.engine.roster.participants) > 1
        self._busy = False  # a modal about this decision is open
        self._on_screen: PendingDecision | None = None  # the decision the panel shows

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(Text(self.engine.title, style="bold"), id="scenario-title")
            yield StageStrip(id="stages")
            yield Static(id="clocks")
        with Horizontal(id="play-body"):
            yield Story(id="story")
            with Vertical(id="decision-panel"):
                yield Static(id="decision-meta")
                yield Static(id="question")
                yield Static(id="countdown")
                yield RolePicker(self.engine.choices, id="picker")
                with Horizontal(id="answer-buttons"):
                    yield Button("Record ⏎", id="record", variant="primary", compact=True)
                    yield Button("Nobody 0", id="nobody", variant="warning", compact=True)
                yield Static(id="ballot-status")
                yield Static(id="picker-hint")
        yield Static("PAUSED — every clock is stopped · press p to resume", id="paused")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#paused").display = False
        self.query_one("#picker-hint", Static).update(Text("1-9 or ↑↓ space tick · Enter records", style="dim"))
        self._sync_story()
        self._new_decision()
        self.set_interval(0.5, self._tick)
        self._tick()

    # --- clocks -------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def _now(self) -> float:
        """Monotonic time with paused stretches taken out."""
        now = self._paused_at if self._paused_at is not None else self._clock()
        return now - self._paused_for

    def _elapsed_on_decision(self) -> float:
        return self._now() - self._asked_at

    def _remaining(self) -> float | None:
        # The decision on screen, not the engine's: after an answer the engine has moved on
        # while practice feedback still shows the question just answered.
        pending = self._on_screen
        if pending is None or pending.decision.time_limit_s is None:
            return None
        return pending.decision.time_limit_s - self._elapsed_on_decision()

    def _tick(self) -> None:
        clocks = Text()
        if self.engine.clock:
            clocks.append(self.engine.clock, style="bold #5fafff")
        clocks.append(f"  {_mmss(self._now() - self._started_at)} played", style="dim")
        if self.paused:
            clocks.append("  PAUSED", style="bold reverse #f0b429")
        self.query_one("#clocks", Static).update(clocks)
        remaining = self._remaining()
        countdown = self.query_one("#countdown", Static)
        if remaining is None:
            countdown.update("")
            countdown.display = False
            return
        countdown.display = True
        style = "bold #e06c75" if remaining <= 15 else "bold #f0b429"
        countdown.update(Text(f"{_mmss(remaining, up=True)} left to answer", style=style))
        if remaining <= 0 and not self.paused and not self._busy and self.app.screen is self:
            self.record((), timed_out=True)

    # --- the story ---------------------------------------------------------------

    def _sync_story(self) -> None:
        story = self.query_one(Story)
        for item in self.engine.items[self._shown :]:
            if item.kind == "step" and self._pending_discussion:
                story.add_discussion(self._pending_discussion)
                self._pending_discussion = []
            story.add_item(item)
        self._shown = len(self.engine.items)
        if self.engine.finished and self._pending_discussion:
            story.add_discussion(self._pending_discussion)
            self._pending_discussion = []
        strip = self.query_one(StageStrip)
        strip.visited = tuple(self.engine.stages_visited)
        strip.current = self.engine.stage

    def _new_decision(self) -> None:
        pending = self._on_screen = self.engine.pending_decision
        picker = self.query_one(RolePicker)
        picker.reset()
        self._asked_at = self._now()
        if pending is None:
            return
        responsibility = CATALOGUE.get(pending.decision.responsibility)
        meta = Text()
        meta.append(f"Decision {pending.index + 1} of {pending.of}", style="bold")
        if responsibility is not None:
            meta.append(f" · {responsibility.title}", style="dim")
        if pending.decision.critical:
            meta.append("  CRITICAL", style="bold #e06c75")
        self.query_one("#decision-meta", Static).update(meta)
        self.query_one("#question", Static).update(Text(pending.ask, style="bold"))
        self._show_ballot_status()
        picker.focus()
        if self.auto_ballots and not self.engine.ballots:  # a resumed decision keeps its ballots
            self.call_after_refresh(self.action_ballots)

    def _show_ballot_status(self) -> None:
        status = self.query_one("#ballot-status", Static)
        if self.mode != "facilitated":
            status.display = False
            return
        status.display = True
        ballots = self.engine.ballots
        if not ballots:
            status.update(Text("b: take ballots before the team answer", style="dim"))
            return
        # A tally reads faster than a list of people when the room is large.
        names = {c.role: c.name for c in self.engine.choices}
        tally = Counter(", ".join(names.get(r, r) for r in sorted(roles)) or "nobody" for roles in ballots.values())
        lines = Text(f"Ballots ({len(ballots)}): ", style="bold")
        lines.append(" · ".join(f"{answer} ×{count}" for answer, count in tally.most_common()))
        status.update(lines)

    # --- answering ---------------------------------------------------------------

    def on_role_picker_submitted(self, event: RolePicker.Submitted) -> None:
        event.stop()
        if event.picker.id == "picker" and not self.paused:
            self.record(event.roles)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users record with the buttons under the picker."""
        if event.button.id == "record":
            self.query_one(RolePicker).action_submit()
        elif event.button.id == "nobody":
            self.action_nobody()

    def action_tick_role(self, number: int) -> None:
        if not self.paused:
            self.query_one(RolePicker).toggle_number(number)

    def action_nobody(self) -> None:
        if not self.paused:
            self.record(())

    def record(self, roles: tuple[str, ...], *, timed_out: bool = False) -> None:
        """Record the team's answer; it is in the journal before anything on screen changes."""
        pending = self.engine.pending_decision
        if pending is None:
            return
        discussion = self.engine.discussion
        step_before = self.engine.current_step
        answered_by = "team" if self.mode == "facilitated" else answering_as(self.engine.roster)
        try:
            result = self.engine.answer(
                roles,
                answered_by=answered_by,
                latency_ms=int(self._elapsed_on_decision() * 1000),
                timed_out=timed_out,
            )
        except OSError as error:  # the disk is full: nothing moves on from an answer that is not on disk
            self._journal_failed(error)
            return
        if self.engine.current_step is not step_before or self.engine.finished:
            self._pending_discussion = discussion
        self._sync_story()
        self._after_answer(result, pending.ask)

    def _journal_failed(self, error: OSError) -> None:
        """The journal could not be written (a full disk): the app says so and closes, the session resumable."""
        self.app.journal_failed(error)  # type: ignore[attr-defined]

    def _after_answer(self, result: AnswerResult, ask: str) -> None:
        if self.mode == "solo":
            self._busy = True
            self.app.push_screen(FeedbackScreen(result, self.engine.authority_map, ask), lambda _: self._continue())
            return
        if self.mode == "facilitated":
            said = (
                "time ran out: recorded as a gap"
                if result.record.timed_out
                else role_names(self.engine.authority_map, result.record.roles)
            )
            self.app.clear_notifications()
            self.notify(f"Recorded: {said}", timeout=3, markup=False)
        self._continue()

    def _continue(self) -> None:
        self._busy = False
        if self.engine.finished:
            self._to_debrief()
            return
        self._new_decision()
        self._tick()

    def _to_debrief(self) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        self.app.clear_notifications()
        self.app.switch_to(DebriefScreen(self.session))  # type: ignore[attr-defined]

    # --- ballots ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ballots belong to facilitated exercises; solo players never see the key."""
        if action in ("ballots", "toggle_auto_ballots"):
            return self.mode == "facilitated"
        return True

    def action_ballots(self) -> None:
        pending = self.engine.pending_decision
        if self.mode != "facilitated" or pending is None or self.paused or self._busy:
            return
        everyone = list(self.engine.roster.participants)
        # After a resume, carry on with those who have not voted yet; otherwise take everyone's again.
        missing = [p for p in everyone if p.name not in self.engine.ballots]
        participants = missing or everyone
        names = {c.role: c.name for c in self.engine.choices}
        self._busy = True

        def ask(index: int) -> None:
            if index >= len(participants):
                self._ballots_done()
                return
            person = participants[index]

            def cast(result: tuple[str, ...] | str | None) -> None:
                if result == SKIP or result is None or isinstance(result, str):
                    self._ballots_done()
                    return
                try:
                    self.engine.cast_ballot(person.name, result)  # on disk before the next ballot opens
                except OSError as error:
                    self._journal_failed(error)
                    return
                self._show_ballot_status()
                ask(index + 1)

            holds = [names.get(r, r) for r in person.roles]
            self.app.push_screen(BallotScreen(person.name, holds, pending, self.engine.choices), cast)

        ask(0)

    def _ballots_done(self) -> None:
        self._busy = False
        self._show_ballot_status()
        self.query_one(RolePicker).focus()

    def action_toggle_auto_ballots(self) -> None:
        self.auto_ballots = not self.auto_ballots
        self.notify(f"Automatic ballots {'on' if self.auto_ballots else 'off'}", timeout=3, markup=False)

    # --- pause, notes, ending ---------------------------------------------------------

    def action_pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._clock()
        else:
            self._paused_for += self._clock() - self._paused_at
            self._paused_at = None
        self.query_one("#paused").display = self.paused
        self.query_one(RolePicker).disabled = self.paused
        if not self.paused:
            self.query_one(RolePicker).focus()
        self._tick()

    def action_note(self) -> None:
        step = self.engine.current_step
        where = f"{self.engine.clock} · {step.id}" if step else self.engine.clock

        def save(text: str | None) -> None:
            if text:
                try:
                    self.engine.note(strip_controls(text))  # typed or pasted: no terminal controls
                except OSError as error:
                    self._journal_failed(error)
                    return
                self.notify("Note saved", timeout=2, markup=False)

        self.app.push_screen(NotesScreen(where), save)

    def action_end_early(self) -> None:
        def decided(end: bool | None) -> None:
            if end:
                try:
                    self.engine.end("stopped")
                except OSError as error:
                    self._journal_failed(error)
                    return
                self._to_debrief()

        answered = len(self.engine.answers)
        self.app.push_screen(
            ConfirmScreen(
                f"End the exercise now and go to the debrief?\n\n{answered} answers recorded;"
                " decisions not reached are not scored.",
                yes="End",
                no="Keep playing",
            ),
            decided,
        )

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Pause / resume", "Stop every clock while the room talks", self.action_pause)
        yield SystemCommand("Add a note", "Facilitator / hotwash note, kept in the journal", self.action_note)
        if self.mode == "facilitated":
            yield SystemCommand("Take ballots", "Each participant's pick, then the team's", self.action_ballots)
        yield SystemCommand("Nobody / not sure", "Record a gap for this decision", self.action_nobody)
        yield SystemCommand("End the exercise", "Go to the debrief now", self.action_end_early)
