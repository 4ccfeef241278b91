"""The story so far: step injects, their artifacts, and consequences, each visibly different."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator.engine import ShownArtifact, ShownItem

# Colours tell artifact kinds apart at a glance; plain text labels avoid emoji width trouble in terminals.
ARTIFACT_COLOUR = {
    "log": "grey62",
    "alert": "red",
    "email": "cyan",
    "chat": "magenta",
    "phone": "yellow",
    "document": "white",
    "ticket": "blue",
    "screenshot": "white",
    "news": "yellow",
}


def artifact_panel(artifact: ShownArtifact) -> Panel:
    colour = ARTIFACT_COLOUR.get(artifact.kind, "white")
    body: RenderableType
    if artifact.kind == "log":
        body = Syntax(artifact.body.rstrip("\n"), "text", word_wrap=True, theme="ansi_dark", background_color="default")
    else:
        body = Text(artifact.body.rstrip("\n"))
    title = Text.assemble((f"{artifact.kind.upper()} ", f"bold {colour}"), (artifact.title, "bold"))
    return Panel(body, title=title, title_align="left", border_style=colour, padding=(0, 1))


def item_renderable(item: ShownItem) -> RenderableType:
    if item.kind == "consequence":
        heading = Text.assemble(("CONSEQUENCE ", "bold #f0b429"), (item.title or "Meanwhile", "bold"))
        if item.clock:
            heading.append(f"   {item.clock}", style="dim")
        return Panel(
            Text(item.text.strip()),
            title=heading,
            title_align="left",
            border_style="bold #f0b429",
            style="on #2a2110",
            padding=(0, 1),
        )
    heading = Text()
    if item.clock:
        heading.append(f"{item.clock}  ", style="bold #5fafff")
    heading.append(item.title or item.id.replace("-", " ").capitalize(), style="bold")
    if item.attempt > 1:
        heading.append(f"  (again, #{item.attempt})", style="italic dim")
    parts: list[RenderableType] = [heading, Text(item.text.strip())]
    parts.extend(artifact_panel(a) for a in item.artifacts)
    return Group(*parts)


class Story(VerticalScroll):
    """Scrolls to the newest item; older ones stay for reference."""

    DEFAULT_CSS = """
    Story > .story-item { margin-bottom: 1; }
    """

    def add_item(self, item: ShownItem) -> None:
        widget = Static(item_renderable(item), classes=f"story-item story-{item.kind}")
        self.mount(widget)
        self.call_after_refresh(self.scroll_to_widget, widget, top=True, animate=False)

    def add_discussion(self, questions: list[str]) -> None:
        if not questions:
            return
        text = Text("Discuss\n", style="bold #c678dd")
        for question in questions:
            text.append(f" • {question}\n")
        self.mount(Static(text, classes="story-item story-discussion"))
