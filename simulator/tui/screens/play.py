"""The exercise itself: it drives the engine and hands data down to its components.

The components (`ClockBar`, `StageStrip`, `Story`, `AnswerPanel`, `RoomView`, and the
ballot dialog) never touch the engine: they show what they are given and post
what people do. This screen turns that into engine calls, each journaled before
anything on screen changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from simulator.engine import AnswerResult, EngineError, PendingDecision
from simulator.play import PlayableSession, answering_as
from simulator.safetext import strip_controls
from simulator.tui.ballot_round import BallotRound, Voter
from simulator.tui.play_clock import PlayClock, mmss
from simulator.tui.screens.answer_modals import BallotScreen, FeedbackScreen, role_names
from simulator.tui.screens.modals import ConfirmScreen, NotesScreen, WithdrawScreen
from simulator.tui.widgets.answer_panel import AnswerPanel
from simulator.tui.widgets.ballot_tally import tally_text
from simulator.tui.widgets.clock_bar import ClockBar
from simulator.tui.widgets.role_picker import RolePicker, role_key_bindings
from simulator.tui.widgets.room_view import RoomView
from simulator.tui.widgets.stage_strip import StageStrip
from simulator.tui.widgets.story import Story

EXTRA_TIME_S = 60  # what one press of `t` adds to a running countdown


class PlayScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        *role_key_bindings(),
        Binding("0", "nobody", "Nobody", id="nobody", tooltip="Record 'nobody / not sure' (a gap)"),
        Binding("b", "ballots", "Ballots", id="ballots", tooltip="Take each participant's pick, then the team's"),
        Binding("p", "pause", "Pause", id="pause", tooltip="Stop every clock while the room talks"),
        Binding("n", "note", "Note", id="note", tooltip="Add a facilitator / hotwash note (the countdown stops)"),
        Binding("u", "withdraw", "Correct", id="withdraw", tooltip="Withdraw the last answer or a ballot"),
        Binding("v", "room_view", "Room view", id="room-view", tooltip="Large question and clocks for a projector"),
        Binding("t", "add_time", "+1 min", show=False, id="add-time", tooltip="Add a minute to the countdown"),
        Binding(
            "B",
            "toggle_auto_ballots",
            "Auto ballots",
            show=False,
            id="auto-ballots",
            tooltip="Open ballots at every new decision (off: only when you press b)",
        ),
        Binding("e", "end_early", "End", id="end", tooltip="End the exercise now and go to the debrief"),
        Binding(
            "q", "app.request_quit", "Quit", show=False, id="quit-play", tooltip="Leave; the session can be resumed"
        ),
    ]

    def __init__(self, session: PlayableSession, clock: Callable[[], float]) -> None:
        super().__init__()
        self.session = session
        self.engine = session.engine
        self.mode = session.mode
        self.clock = PlayClock(clock, played_before=self.engine.played_before)
        self.engine.played = self.clock.played  # journaled with every event, so a resume carries it on
        self._shown = 0
        self._pending_discussion: list[str] = []
        self.auto_ballots = False  # ballots open on the facilitator's word (b), unless turned on with B
        self.room_view = False
        self._revealed = False  # the ballot round of this decision has ended: show what people said
        self._busy = False  # a ballot round or an answer's feedback is open
        self._on_screen: PendingDecision | None = None  # the decision the panel shows
        # The components, held rather than queried: a dialog's callback may reach them mid-refresh.
        self.strip = StageStrip(id="stages")
        self.clock_bar = ClockBar(id="clocks")
        self.story = Story(id="story")
        self.panel = AnswerPanel(self.engine.choices, facilitated=self.facilitated, id="decision-panel")
        self.room = RoomView(id="room-view")

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(Text(self.engine.title, style="bold"), id="scenario-title")
            yield self.strip
            yield self.clock_bar
        with Horizontal(id="play-body"):
            yield self.story
            yield self.panel
        yield self.room
        yield Static("PAUSED — every clock is stopped · press p to resume", id="paused")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#paused").display = False
        self._sync_story()
        self._new_decision()
        self.set_interval(0.5, self._tick)
        self._tick()

    @property
    def facilitated(self) -> bool:
        return self.mode == "facilitated"

    @property
    def paused(self) -> bool:
        return self.clock.paused

    # --- clocks -------------------------------------------------------------------

    def _tick(self) -> None:
        paused = self.paused
        played = self.clock.played()
        self.clock_bar.show(self.engine.clock, played, paused=paused)
        remaining = self.clock.remaining() if self._on_screen is not None else None
        self.panel.countdown.show(remaining, paused=paused)
        self.room.show_clocks(remaining, played, self.engine.scenario.duration_minutes, paused=paused)
        if remaining is not None and remaining <= 0 and not paused:
            self._time_ran_out()

    def _time_ran_out(self) -> None:
        """Record the decision as timed out, whatever dialog is open; every ballot cast is already journaled."""
        if self._on_screen is None or self.engine.pending_decision != self._on_screen:
            return
        while isinstance(self.app.screen, ModalScreen):
            self.app.pop_screen()  # an open ballot's pick was not cast; the cast ones stay
        self._busy = False
        self.record((), timed_out=True)

    def action_add_time(self) -> None:
        pending = self.engine.pending_decision
        if pending is None or pending.time_limit_s is None:
            self.notify("This decision has no countdown", timeout=3, markup=False)
            return
        try:
            self._on_screen = self.engine.extend_time(EXTRA_TIME_S)
        except OSError as error:
            self._journal_failed(error)
            return
        self.clock.limit_s = self._on_screen.time_limit_s
        remaining = self.clock.remaining() or 0
        self.notify(f"+1 minute: {mmss(remaining, up=True)} left", timeout=3, markup=False)
        self._tick()

    # --- the story ---------------------------------------------------------------

    def _sync_story(self) -> None:
        story = self.story
        for item in self.engine.items[self._shown :]:
            if item.kind == "step" and self._pending_discussion:
                story.add_discussion(self._pending_discussion)
                self._pending_discussion = []
            story.add_item(item)
        self._shown = len(self.engine.items)
        if self.engine.finished and self._pending_discussion:
            story.add_discussion(self._pending_discussion)
            self._pending_discussion = []
        strip = self.strip
        strip.visited = tuple(self.engine.stages_visited)
        strip.current = self.engine.stage

    def _retell_story(self) -> None:
        """After a correction the story is told again as it now stands (undone consequences gone)."""
        self.story.remove_children()
        self._shown = 0
        self._pending_discussion = []
        self._sync_story()

    def _new_decision(self) -> None:
        pending = self._on_screen = self.engine.pending_decision
        self.clock.ask(pending.time_limit_s if pending else None)
        if pending is None:
            return
        number, of = self.engine.progress
        self.panel.show_decision(pending, number, of)
        self.room.show_question(self.engine.stage, pending.ask, number, of)
        participants = self.engine.roster.participants
        self._revealed = len(self.engine.ballots) >= len(participants)
        self._show_tally()
        if self.auto_ballots and self.facilitated and not self.engine.ballots:
            self.call_after_refresh(self.action_ballots)

    def _show_tally(self) -> None:
        if not self.facilitated:
            return
        participants = [p.name for p in self.engine.roster.participants]
        names = {c.role: c.name for c in self.engine.choices}
        ballots = self.engine.ballots
        revealed = self._revealed or len(ballots) >= len(participants)
        self.panel.tally.show(participants, ballots, names, revealed=revealed)
        self.room.show_ballots(tally_text(participants, ballots, names, revealed=revealed) if ballots else Text(""))

    # --- answering ---------------------------------------------------------------

    def on_role_picker_submitted(self, event: RolePicker.Submitted) -> None:
        event.stop()
        if event.picker.id != "picker" or self.paused:
            return
        if event.ticked:
            self.record(event.roles)
            return
        said = role_names(self.engine.authority_map, event.roles)
        self._confirm_then_record(f"Nothing is ticked.\n\nRecord the team's answer as {said}?", event.roles)

    def on_answer_panel_nobody_pressed(self, event: AnswerPanel.NobodyPressed) -> None:
        event.stop()
        self.action_nobody()

    def action_tick_role(self, number: int) -> None:
        self.panel.picker.toggle_number(number)

    def action_nobody(self) -> None:
        pending = self.engine.pending_decision
        if pending is None or self.paused:
            return
        if pending.decision.critical:
            self._confirm_then_record(
                "This decision is critical: 'nobody / not sure' is a gap and rates the stage U.\n\nRecord nobody?",
                (),
            )
            return
        self.record(())

    def _confirm_then_record(self, question: str, roles: tuple[str, ...]) -> None:
        pending = self.engine.pending_decision

        def decided(yes: bool | None) -> None:
            if yes and pending is not None and self.engine.pending_decision == pending:
                self.record(roles)

        self.app.push_screen(ConfirmScreen(question, yes="Record", no="Back"), decided)

    def record(self, roles: tuple[str, ...], *, timed_out: bool = False) -> None:
        """Record the team's answer; it is in the journal before anything on screen changes."""
        pending = self.engine.pending_decision
        if pending is None:
            return
        discussion = self.engine.discussion
        step_before = self.engine.current_step
        answered_by = "team" if self.facilitated else answering_as(self.engine.roster)
        try:
            result = self.engine.answer(
                roles,
                answered_by=answered_by,
                latency_ms=int(self.clock.elapsed() * 1000),
                timed_out=timed_out,
            )
        except OSError as error:  # the disk is full: nothing moves on from an answer that is not on disk
            self._journal_failed(error)
            return
        self._on_screen = None  # no countdown while feedback shows the question just answered
        self.clock.ask(None)
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
            screen = FeedbackScreen(result, self.engine.authority_map, ask, clock=self.clock)
            self.app.push_screen(screen, lambda _: self._continue())
            return
        if self.facilitated:
            said = (
                "time ran out: recorded as timed out"
                if result.record.timed_out
                else role_names(self.engine.authority_map, result.record.roles)
            )
            kept = len(result.record.ballots)
            if kept:
                said += f" ({kept} ballot{'s' if kept != 1 else ''} kept)"
            self.app.clear_notifications()
            self.notify(f"Recorded: {said} · u corrects", timeout=4, markup=False)
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

    # --- corrections ----------------------------------------------------------------

    def action_withdraw(self) -> None:
        if self._busy:
            return
        names = {c.role: c.name for c in self.engine.choices}
        options: list[tuple[str, str]] = []
        if self.engine.answers:
            last = self.engine.answers[-1]
            asked = next((d.ask for d in self.engine.scenario.decisions if d.id == last.decision), last.decision)
            said = "time ran out" if last.timed_out else role_names(self.engine.authority_map, last.roles)
            options.append(("answer", f"Last answer: {said} — to “{self.engine.render(asked)}”"))
        for person, roles in self.engine.ballots.items():
            options.append((person, f"Ballot of {person}: {', '.join(names.get(r, r) for r in roles) or 'nobody'}"))
        if not options:
            self.notify("Nothing to withdraw yet: no answer or ballot has been recorded", timeout=4, markup=False)
            return
        self.app.push_screen(WithdrawScreen(options), self._withdrawn)

    def _withdrawn(self, choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        what, reason = choice
        try:
            if what == "answer":
                record = self.engine.withdraw_answer(reason)
            else:
                self.engine.withdraw_ballot(what, reason)
        except EngineError as error:
            self.notify(str(error), severity="warning", timeout=6, markup=False)
            return
        except OSError as error:
            self._journal_failed(error)
            return
        if what == "answer":
            self._retell_story()
            self._new_decision()
            said = "time ran out" if record.timed_out else role_names(self.engine.authority_map, record.roles)
            self.notify(f"Withdrawn: {said}. Answer this decision again.", timeout=5, markup=False)
        else:
            self._show_tally()
            self.notify(f"Withdrawn: the ballot of {what}; they can vote again (b)", timeout=5, markup=False)
        self._tick()

    # --- ballots ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ballots belong to facilitated exercises; answering keys rest while the room view shows."""
        if action in ("ballots", "toggle_auto_ballots"):
            return self.facilitated
        return not (action in ("tick_role", "nobody") and self.room_view)

    def action_ballots(self) -> None:
        pending = self.engine.pending_decision
        if not self.facilitated or pending is None or self.paused or self._busy:
            return
        everyone = list(self.engine.roster.participants)
        if not everyone:
            self.notify("Nobody is in the room yet: ballots need participants.", severity="warning", markup=False)
            return
        # After a resume or a withdrawn ballot, carry on with those who have not voted; otherwise everyone again.
        missing = [p for p in everyone if p.name not in self.engine.ballots]
        names = {c.role: c.name for c in self.engine.choices}
        voters = [Voter(p.name, tuple(names.get(r, r) for r in p.roles)) for p in missing or everyone]
        self._busy = True
        self._revealed = False
        self._show_tally()
        self.app.clear_notifications()  # a toast would sit over the ballot dialog

        def dialog(voter: Voter) -> BallotScreen:
            choices = self.engine.choices
            return BallotScreen(voter.name, list(voter.holds), pending, choices, self.clock, self.action_add_time)

        BallotRound(
            self.app,
            voters,
            dialog=dialog,
            cast=self._cast,
            done=self._ballots_done,
            still_open=lambda: self.engine.pending_decision == pending,
        ).start()

    def _cast(self, participant: str, roles: tuple[str, ...]) -> None:
        try:
            self.engine.cast_ballot(participant, roles)  # on disk before the next ballot opens
        except OSError as error:
            self._journal_failed(error)
            return
        self._show_tally()

    def _ballots_done(self) -> None:
        self._busy = False
        self._revealed = True  # everyone's ballot shows at once
        self._show_tally()
        self.panel.picker.focus()

    def action_toggle_auto_ballots(self) -> None:
        self.auto_ballots = not self.auto_ballots
        state = "open at every new decision" if self.auto_ballots else "open only when you press b"
        self.notify(f"Ballots {state}", timeout=3, markup=False)

    # --- room view, pause, notes, ending -------------------------------------------------

    def action_room_view(self) -> None:
        self.room_view = not self.room_view
        self.set_class(self.room_view, "-room")
        if not self.room_view:
            self.panel.picker.focus()
        self.refresh_bindings()
        self._tick()

    def action_pause(self) -> None:
        held = self.clock.toggle("room")
        self.query_one("#paused").display = held
        self.panel.picker.disabled = held
        if not held:
            self.panel.picker.focus()
        self._tick()

    def action_note(self) -> None:
        step = self.engine.current_step
        where = f"{self.engine.clock} · {step.id}" if step else self.engine.clock
        self.clock.hold("note")  # the countdown waits while the facilitator types

        def save(text: str | None) -> None:
            self.clock.release("note")
            if text:
                try:
                    self.engine.note(strip_controls(text))  # typed or pasted: no terminal controls
                except OSError as error:
                    self._journal_failed(error)
                    return
                self.notify("Note saved", timeout=2, markup=False)
            self._tick()

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
                f"End the exercise now and go to the debrief?\n\n{answered} answer{'s' if answered != 1 else ''}"
                " recorded; decisions not reached are not scored.",
                yes="End",
                no="Keep playing",
            ),
            decided,
        )

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Pause / resume", "Stop every clock while the room talks", self.action_pause)
        yield SystemCommand("Add a note", "Facilitator / hotwash note, kept in the journal", self.action_note)
        if self.facilitated:
            yield SystemCommand("Take ballots", "Each participant's pick, then the team's", self.action_ballots)
            yield SystemCommand(
                "Automatic ballots on / off", "Open ballots at every new decision", self.action_toggle_auto_ballots
            )
        yield SystemCommand(
            "Withdraw an answer or a ballot", "Correct a wrong key; the journal keeps both", self.action_withdraw
        )
        yield SystemCommand("Add a minute", "More time on the running countdown", self.action_add_time)
        yield SystemCommand("Room view on / off", "Large question and clocks for a projector", self.action_room_view)
        yield SystemCommand("Nobody / not sure", "Record a gap for this decision", self.action_nobody)
        yield SystemCommand("End the exercise", "Go to the debrief now", self.action_end_early)
