"""Mermaid diagrams: a scenario's flow of steps, and the stage state machine.

Node ids are generated (`s_`/`c_` plus the id with anything but letters, digits
and '_' replaced), never the author's ids as-is: Mermaid reads `end` as a
keyword and an id starting with `o` or `x` after `--` as an edge head.
Labels go in quotes with Mermaid's entity codes for the characters that would
end them.
"""

from __future__ import annotations

import re
from itertools import pairwise

from simulator.catalogue import BACK_MOVES, STAGES, Stage
from simulator.model import Scenario

BACK_MOVE_REASONS: dict[tuple[Stage, Stage], str] = {
    ("confirmation", "detection"): "re-triage",
    ("containment", "confirmation"): "re-scope",
    ("investigation", "containment"): "new indicator",
}


def label(*lines: str) -> str:
    """`lines` as one quoted Mermaid label (joined by line breaks) that cannot break out of its quotes."""
    codes = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;"}
    # One pass per character, so the '#' of an inserted code is never escaped again.
    escaped = ("".join(codes.get(char, char) for char in " ".join(line.split())) for line in lines)
    return '"' + "<br/>".join(escaped) + '"'


class _Ids:
    """Mermaid-safe, unique node ids for author ids, stable within one diagram."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.known: dict[str, str] = {}

    def __call__(self, author_id: str) -> str:
        if author_id not in self.known:
            base = self.prefix + re.sub(r"[^A-Za-z0-9_]", "_", author_id)
            node, n = base, 2
            while node in self.known.values():
                node, n = f"{base}_{n}", n + 1
            self.known[author_id] = node
        return self.known[author_id]


def scenario_flowchart(scenario: Scenario) -> str:
    """`flowchart TD`: steps grouped by stage, the file order, and every consequence a decision fires."""
    step_id, consequence_id = _Ids("s_"), _Ids("c_")
    lines = ["flowchart TD"]
    for stage in scenario.stages:
        lines.append(f"  subgraph stage_{stage}[{label(stage.capitalize())}]")
        for step in (s for s in scenario.steps if s.stage == stage):
            details = " · ".join(
                part
                for part in (step.clock or "", f"{len(step.decisions)} decision{'s' * (len(step.decisions) != 1)}")
                if part
            )
            name = f"{step.title} ({step.id})" if step.title else step.id
            lines.append(f"    {step_id(step.id)}[{label(name, details)}]")
        lines.append("  end")
    # A consequence without a goto is drawn as its own node: it adds story, play goes on in order.
    for cid, consequence in scenario.consequences.items():
        if consequence.goto is None:
            extra = f" +{consequence.clock_advance}" if consequence.clock_advance else ""
            lines.append(f"  {consequence_id(cid)}([{label(cid + extra)}])")
    for previous, step in pairwise(scenario.steps):
        lines.append(f"  {step_id(previous.id)} --> {step_id(step.id)}")
    for step in scenario.steps:
        for decision in step.decisions:
            for outcome, cids in decision.on.items():
                for cid in cids:
                    consequence = scenario.consequences[cid]
                    text = label(f"{decision.id}: {outcome} → {cid}")
                    target = consequence_id(cid) if consequence.goto is None else step_id(consequence.goto)
                    lines.append(f"  {step_id(step.id)} -.->|{text}| {target}")
    return "\n".join(lines) + "\n"


def machine_diagram() -> str:
    """`stateDiagram-v2` of the stage machine: briefing, the stage order, the allowed moves back, debrief."""
    lines = [
        "stateDiagram-v2",
        "  [*] --> briefing",
        f"  briefing --> {STAGES[0]}",
    ]
    for source, dest in pairwise(STAGES):
        lines.append(f"  {source} --> {dest}")
    for source, dest in sorted(BACK_MOVES, key=lambda move: (STAGES.index(move[0]), STAGES.index(move[1]))):
        reason = BACK_MOVE_REASONS.get((source, dest), "updates alongside")
        lines.append(f"  {source} --> {dest}: {reason}")
    lines += [
        f"  {STAGES[-1]} --> debrief",
        "  debrief --> [*]",
        f"  note right of {STAGES[0]}",
        "    Forward moves may skip stages;",
        "    a session may open at any stage",
        "    and end early from any stage.",
        "  end note",
    ]
    return "\n".join(lines) + "\n"
