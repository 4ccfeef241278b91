"""The hotwash screen: step through every decision after the exercise, one per page."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.tui.hotwash import OUTCOME_WORDS, HotwashItem
from simulator.wording import plural

OUTCOME_STYLE = {"aligned": "bold #7bc67b", "overlap": "bold #f0b429", "drift": "bold #e06c75", "gap": "bold #e06c75"}


class HotwashScreen(Screen[None]):
    """One decision at a time: the question, the team's answer, the ballots, the map's owner and why, the notes."""

    BINDINGS = [
        # Priority: the scrolling page would otherwise take the arrows, Home and End for itself.
        Binding("right,space", "step(1)", "Next", id="hotwash-next", tooltip="The next decision", priority=True),
        Binding(
            "left,shift+space",
            "step(-1)",
            "Previous",
            id="hotwash-previous",
            tooltip="The previous decision",
            priority=True,
        ),
        Binding(
            "home", "jump(0)", "First", show=False, id="hotwash-first", tooltip="The first decision", priority=True
        ),
        Binding("end", "jump(-1)", "Last", show=False, id="hotwash-last", tooltip="The last decision", priority=True),
        Binding("escape,b", "back", "Debrief", id="hotwash-back", tooltip="Back to the debrief"),
        Binding(
            "m",
            "map_is_wrong",
            "Map is wrong",
            id="hotwash-map-is-wrong",
            tooltip="The team was right here: carry this answer into a revised map",
        ),
    ]

    def __init__(self, title: str, items: list[HotwashItem], map_is_wrong: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.title_text, self.items = title, items
        self.index = 0
        self.map_is_wrong = map_is_wrong  # given an answer's key; the debrief opens the map revision on it

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "map_is_wrong":
            return self.map_is_wrong is not None and bool(self.items)
        return True

    def action_map_is_wrong(self) -> None:
        """The room decides, on this page, that the team was right and the map wrong: carry it into the map."""
        if self.map_is_wrong is not None and self.items:
            self.map_is_wrong(self.items[self.index].answer_key)

    def compose(self) -> ComposeResult:
        yield Static(id="hotwash-progress")
        with VerticalScroll(id="hotwash"):
            yield Static(id="hotwash-question")
            yield Static(id="hotwash-answers")
            yield Static(id="hotwash-map")
            yield Static(id="hotwash-notes")
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def action_step(self, delta: int) -> None:
        self._go(self.index + delta)

    def action_jump(self, index: int) -> None:
        self._go(index if index >= 0 else len(self.items) - 1)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _go(self, index: int) -> None:
        if not self.items:
            return
        clamped = max(0, min(index, len(self.items) - 1))
        if clamped == self.index and index != clamped:
            self.notify("That was the last decision." if index > clamped else "This is the first decision.", timeout=3)
            return
        self.index = clamped
        self._show()
        self.query_one("#hotwash", VerticalScroll).scroll_home(animate=False)

    # --- what one page shows -------------------------------------------------------------

    def _show(self) -> None:
        if not self.items:
            self.query_one("#hotwash-progress", Static).update(Text(f"Hotwash — {self.title_text}", style="bold"))
            self.query_one("#hotwash-question", Static).update(Text("No decision was answered.", style="bold"))
            return
        item = self.items[self.index]
        progress = Text.assemble(
            (f" Hotwash · decision {item.number} of {len(self.items)} ", "bold"),
            (f" {item.stage} ", "bold reverse"),
            f"  {item.clock}" if item.clock else "",
            (f"  {item.step_title}", "italic") if item.step_title else "",
        )
        self.query_one("#hotwash-progress", Static).update(progress)
        self.query_one("#hotwash-question", Static).update(self._question(item))
        self.query_one("#hotwash-answers", Static).update(self._answers(item))
        self.query_one("#hotwash-map", Static).update(self._map(item))
        self.query_one("#hotwash-notes", Static).update(self._notes(item))

    def _question(self, item: HotwashItem) -> RenderableType:
        question = Text(item.question, style="bold")
        about = Text(item.responsibility, style="dim")
        if item.critical:
            about.append("  · critical decision", style="bold #e06c75")
        return Group(question, about)

    @staticmethod
    def _grid() -> Table:
        """Label on the left, what it says on the right, wrapping under itself at 80 columns."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True, min_width=9)
        grid.add_column(ratio=1)
        return grid

    def _answers(self, item: HotwashItem) -> RenderableType:
        grid = self._grid()
        team = Text(item.team, style="bold")
        if item.answered_by and item.answered_by != "team":
            team.append(f"  (recorded by {item.answered_by})", style="dim")
        grid.add_row("The team", team)
        if item.map_gap:
            verdict = Text("not scored: the map assigns nobody", style="bold #f0b429")
        else:
            verdict = Text(OUTCOME_WORDS.get(item.outcome, item.outcome), style=OUTCOME_STYLE.get(item.outcome, ""))
        grid.add_row("", verdict)
        if not item.ballots:
            grid.add_row("Ballots", Text("none on this decision", style="dim"))
            return grid
        agreeing = sum(1 for b in item.ballots if b.agrees)
        grid.add_row("Ballots", Text(f"{agreeing} of {plural(len(item.ballots), 'ballot')} matched the team's answer"))
        width = max(len(b.person) for b in item.ballots)
        for ballot in item.ballots:
            mark, style = ("✓", "") if ballot.agrees else ("≠", "#f0b429")
            grid.add_row(
                "",
                Text.assemble(
                    (f"{mark} ", style or "#7bc67b"), (ballot.person.ljust(width), "bold"), "  ", (ballot.roles, style)
                ),
            )
        return grid

    def _map(self, item: HotwashItem) -> RenderableType:
        grid = self._grid()
        if not item.owner:
            grid.add_row("The map", Text("assigns nobody: a gap in the map to fix, not the team's", style="#f0b429"))
            return grid
        owner = Text.assemble(("A ", "bold"), (item.owner, "bold #5fafff"))
        owner.append(" · accountable: owns the decision and answers for it", style="dim")
        grid.add_row("The map", owner)
        if item.responsible:
            doers = Text.assemble(("R ", "bold"), item.responsible)
            doers.append(" · responsible: does the work", style="dim")
            grid.add_row("", doers)
        grid.add_row("Why", Text(item.why, style="italic"))
        return grid

    def _notes(self, item: HotwashItem) -> RenderableType:
        parts: list[RenderableType] = []
        if item.notes:
            parts.append(Text(f"Notes taken at this point ({len(item.notes)})", style="bold"))
            for note in item.notes:
                parts.append(Text.assemble((f"{note.clock}  {note.by}: ", "dim"), note.text))
        else:
            parts.append(Text("No note was taken at this point.", style="dim"))
        if item.discussion:
            parts.append(Text("\nTo discuss", style="bold"))
            parts.extend(Text(f"• {question}") for question in item.discussion)
        return Group(*parts)
