"""The debrief: clarity and ratings, the drift heat map, reflection questions, drifts, load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.engine import EngineError
from simulator.play import PlayableSession
from simulator.reporting.terminal import format_clarity, rating_text
from simulator.scoring import SessionScore, score_session
from simulator.tui.hotwash import decision_titles, hotwash_items, responsibility_title
from simulator.tui.report_files import write_reports
from simulator.tui.screens.answer_modals import role_names
from simulator.tui.screens.modals import ConfirmScreen, WithdrawScreen
from simulator.wording import plural

HEAT = ["#2d333b", "#5c4a1e", "#8a5a12", "#b8650c", "#e0561b", "#ff3b3b"]


def heat_style(count: int, highest: int) -> str:
    if count == 0:
        return "dim"
    level = 1 + round((len(HEAT) - 2) * (count - 1) / max(1, highest - 1))
    return f"bold white on {HEAT[min(level, len(HEAT) - 1)]}"


class DebriefScreen(Screen[None]):
    BINDINGS = [
        Binding("w", "write_reports", "Write reports", id="write", tooltip="Write the report files for this session"),
        Binding("h", "hotwash", "Hotwash", id="hotwash", tooltip="Step through every decision, for the discussion"),
        Binding(
            "n",
            "new_exercise",
            "New exercise",
            id="new-exercise",
            tooltip="Start a new exercise from the scenario list",
        ),
        Binding("q", "app.request_quit", "Quit", show=False, id="quit-debrief"),
        Binding(
            "m",
            "map_is_wrong",
            "Map is wrong",
            id="map-is-wrong",
            tooltip="Carry answers the team judges right into a revised map",
        ),
        Binding(
            "u",
            "withdraw_last",
            "Correct",
            id="withdraw-last",
            tooltip="Withdraw the answer that ended the exercise and answer it again",
        ),
    ]

    def __init__(self, session: PlayableSession) -> None:
        super().__init__()
        self.session = session
        engine = session.engine
        self.names = {r.id: r.name for r in engine.authority_map.roles}
        self.questions = decision_titles(engine)  # decision id -> its question, as the room read it
        self.score: SessionScore = score_session(
            engine.scenario, engine.authority_map, engine.roster, engine.answers, engine.notes
        )

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief"):
            yield Static(self._headline(), id="debrief-headline")
            yield Static(self._stages(), id="debrief-stages")
            yield Static(self._heat_map(), id="debrief-heat")
            yield Static(self._reflection(), id="debrief-reflection")
            yield Static(self._drifts(), id="debrief-drifts")
            yield Static(self._load(), id="debrief-load")
            yield Static(Text(f"Session folder: {self.session.folder}", style="dim"), id="debrief-written")
        yield Footer()

    def role_name(self, role: str | None) -> str:
        return self.names.get(role, role) if role else "nobody"

    def question(self, decision: str) -> str:
        return self.questions.get(decision, decision)

    def questions_list(self, decisions: tuple[str, ...] | list[str]) -> str:
        return "; ".join(f"“{self.question(d)}”" for d in decisions)

    def _headline(self) -> RenderableType:
        overall = self.score.overall
        title = Text(f"Debrief — {self.session.engine.title}\n", style="bold")
        if overall.clarity is None:
            return Group(title, Text("No decision was scored.", style="bold"))
        line = Text.assemble(("Ownership clarity ", "bold"), (f"{format_clarity(overall.clarity)}%  ", "bold #5fafff"))
        line.append_text(rating_text(overall))
        outcomes = self.score.drift.outcomes
        counts = Text(
            f"aligned {outcomes['aligned']} · overlap {outcomes['overlap']} · drift {outcomes['drift']}"
            f" · gap {outcomes['gap']}",
            style="dim",
        )
        decided = Text(
            f"{plural(overall.answers, 'decision')} answered · h steps through them one by one (hotwash)",
            style="dim",
        )
        parts: list[RenderableType] = [title, line, counts, decided]
        if overall.critical_gaps:
            gaps = self.questions_list(overall.critical_gaps)
            parts.append(Text(f"Gap on a critical decision: {gaps}", style="#e06c75"))
        return Group(*parts)

    def _stages(self) -> Table:
        table = Table(title="Stages (HSEEP rating)", title_justify="left", expand=True)
        table.add_column("Stage")
        table.add_column("Decisions", justify="right")
        table.add_column("Clarity", justify="right")
        table.add_column("Rating")
        for stage in self.score.stages:
            result = stage.score
            table.add_row(
                stage.stage.capitalize(), str(result.answers), format_clarity(result.clarity), rating_text(result)
            )
        return table

    def _heat_map(self) -> RenderableType:
        matrix = self.score.drift_matrix
        if not matrix.counts:
            return Text("Drift matrix: no drift — every answer named an expected owner.", style="#7bc67b")
        highest = max(matrix.counts.values())
        # Numbered columns keep the matrix readable at 80 columns however many roles drifted.
        table = Table(title="Drift matrix: expected owner × who acted", title_justify="left")
        table.add_column("expected owner", style="bold", no_wrap=True, max_width=32)
        for number, _ in enumerate(matrix.actors, start=1):
            table.add_column(str(number), justify="center", min_width=3)
        for owner in matrix.owners:
            counts = (matrix.count(owner, actor) for actor in matrix.actors)
            cells = [Text(f" {n} " if n else "·", style=heat_style(n, highest)) for n in counts]
            table.add_row(Text(self.role_name(owner)), *cells)
        legend = Text("who acted: ", style="dim")
        legend.append(" · ".join(f"{n} {self.role_name(a)}" for n, a in enumerate(matrix.actors, start=1)))
        return Group(table, legend)

    def _reflection(self) -> Table:
        table = Table(title="Reflection questions: the map vs the team", title_justify="left", expand=True)
        table.add_column("Question", ratio=3)
        table.add_column("The map", ratio=2)
        table.add_column("The team", ratio=3)
        for item in self.score.reflection:
            team = Text()
            for answer in item.answers:
                names = ", ".join(self.role_name(r) for r in answer.roles) or "nobody"
                style = "#7bc67b" if answer.outcome == "aligned" else "#e06c75"
                team.append(f"{names} ({answer.outcome})\n", style=style)
            if not item.answers:
                team.append(item.verdict, style="dim")
            table.add_row(Text(item.question), Text(self.role_name(item.owner)), team)
        return table

    def _drifts(self) -> RenderableType:
        if not self.score.top_drifts:
            return Text("")
        table = Table(title="Largest drifts", title_justify="left", expand=True)
        table.add_column("Map says")
        table.add_column("Who acted")
        table.add_column("Times", justify="right")
        table.add_column("Responsibilities")
        for pair in self.score.top_drifts[:6]:
            kind = " (boundary)" if pair.boundary else ""
            table.add_row(
                Text(self.role_name(pair.owner)),
                Text(self.role_name(pair.actor) + kind),
                str(pair.count),
                Text(", ".join(responsibility_title(r) for r in pair.responsibilities)),
            )
        return table

    def _load(self) -> RenderableType:
        table = Table(title="Participants' load", title_justify="left", expand=True)
        table.add_column("Person")
        table.add_column("Roles held", ratio=3)
        table.add_column("Decisions", justify="right")
        for person in self.score.load.people:
            roles = ", ".join(self.role_name(r) for r in person.roles)
            # A solo player holds every role by design: the warning is for a person in a room.
            warn = person.many_roles and self.session.mode == "facilitated"
            name = Text(person.name + (" ⚠ many roles" if warn else ""))
            table.add_row(name, Text(roles), str(person.decisions))
        parts: list[RenderableType] = [table]
        for needed in self.score.load.unstaffed_needed:
            parts.append(
                Text(
                    f"Unstaffed but needed: {self.role_name(needed.role)} ({plural(needed.answers, 'decision')})",
                    style="#f0b429",
                )
            )
        if self.score.consensus is not None:
            consensus = self.score.consensus
            parts.append(
                Text(f"Consensus: {consensus.mean_share:.0%} of ballots matched the team's answer", style="bold")
            )
            if consensus.ambiguous:
                parts.append(
                    Text(
                        f"Ambiguous ownership (room split): {self.questions_list(consensus.ambiguous)}",
                        style="#f0b429",
                    )
                )
        return Group(*parts)

    @work(exclusive=True, thread=True, name="write-reports")
    def action_write_reports(self) -> list[Path]:
        try:
            written = write_reports(self.session, self.score)
        except OSError as error:  # a full disk, a read-only folder: say so, the journal is untouched
            self.app.call_from_thread(
                self.notify,
                f"Reports not written: {error}",
                severity="error",
                timeout=12,
                markup=False,
            )
            return []
        self.app.call_from_thread(self._written, written)
        return written

    def _written(self, paths: list[Path]) -> None:
        listing = "\n".join(f"  {p}" for p in paths)
        self.query_one("#debrief-written", Static).update(Text(f"Reports written:\n{listing}", style="#7bc67b"))
        self.notify(f"{len(paths)} report files written to {self.session.folder}", timeout=6, markup=False)

    def action_hotwash(self) -> None:
        from simulator.tui.screens.hotwash import HotwashScreen

        items = hotwash_items(self.session.engine, self.score)
        self.app.push_screen(HotwashScreen(self.session.engine.title, items, self._map_is_wrong_at))

    def _map_is_wrong_at(self, answer_key: str) -> None:
        from simulator.tui.screens.map_revision import MapRevisionScreen

        self.app.push_screen(MapRevisionScreen(self.session, self.score, marked=answer_key))

    def action_new_exercise(self) -> None:
        """Asks first: the debrief is where the room's discussion happens, and `n` is one keypress."""
        folder = self.session.folder

        def decided(leave: bool | None) -> None:
            if leave:
                self.app.new_exercise()  # type: ignore[attr-defined]

        self.app.push_screen(
            ConfirmScreen(
                f"Leave this debrief and start a new exercise?\n\nThe session is saved in {folder};"
                f" ttx resume {folder} shows this debrief again.",
                yes="New exercise",
                no="Stay",
            ),
            decided,
        )

    def action_map_is_wrong(self) -> None:
        from simulator.tui.screens.map_revision import MapRevisionScreen

        self.app.push_screen(MapRevisionScreen(self.session, self.score))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only a completed exercise can be reopened: one ended early keeps its answers (DESIGN §5.1)."""
        if action == "withdraw_last":
            return self.session.engine.end_reason == "completed"
        return True

    def action_withdraw_last(self) -> None:
        """The last answer was mis-keyed: withdraw it (the journal keeps both) and go back to that decision."""
        engine = self.session.engine
        if engine.end_reason != "completed" or not engine.answers:
            return
        last = engine.answers[-1]
        said = "time ran out" if last.timed_out else role_names(engine.authority_map, last.roles)
        label = f"Last answer: {said} — to “{self.question(last.decision)}”"
        self.app.push_screen(WithdrawScreen([("answer", label)]), self._withdrawn)

    def _withdrawn(self, choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        try:
            record = self.session.engine.withdraw_answer(choice[1])
        except EngineError as error:
            self.notify(str(error), severity="warning", timeout=6, markup=False)
            return
        except OSError as error:
            self.app.journal_failed(error)  # type: ignore[attr-defined]
            return
        said = "time ran out" if record.timed_out else role_names(self.session.engine.authority_map, record.roles)
        self.app.show_play()  # type: ignore[attr-defined]
        self.app.notify(f"Withdrawn: {said}. Answer this decision again.", timeout=5, markup=False)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Write reports", "Write the report files for this session", self.action_write_reports)
        yield SystemCommand("Hotwash", "Step through every decision, for the discussion", self.action_hotwash)
        yield SystemCommand("New exercise", "Back to the scenario list", self.action_new_exercise)
        if self.session.engine.end_reason == "completed":
            yield SystemCommand(
                "Withdraw the last answer", "Correct the answer that ended the exercise", self.action_withdraw_last
            )
