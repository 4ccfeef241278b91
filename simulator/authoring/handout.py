"""The participants' handout of a scenario, in Markdown.

Players see what the room would see during play, and nothing that gives the
answers away: no facilitator notes, no responsibility ids or expected owners,
no weights or critical flags, and no consequence injects (those are reactions
to answers the room has not given yet). All scenario text is escaped, so it
cannot change the document's structure.
"""

from __future__ import annotations

from simulator.model import Artifact, Scenario, Step
from simulator.reporting.markdown_text import escape, fence
from simulator.templating import fill_variables, render

AUDIENCES = {
    "msp": "written for a managed service provider and its partners",
    "saas": "written for a software-as-a-service company",
    "any": "for any organisation",
}
# Machine-made text keeps its layout in a code block; prose reads better quoted.
VERBATIM_KINDS = frozenset({"log", "alert", "chat", "ticket", "email"})

HOW_IT_WORKS = (
    "At each step you read what has happened and look at the evidence. The facilitator then asks "
    "**who acts?** Answer with a role from your organisation's authority map, or say that nobody "
    "knows: finding those gaps is the point of the exercise. Open questions for the room follow "
    "each step."
)


def _quote(text: str) -> str:
    # A backslash at a line's end is a hard break, so each line of the artifact stays a line.
    lines = [escape(line) for line in text.rstrip().splitlines()]
    return "\n".join(
        "> " + line + ("\\" if line and i + 1 < len(lines) and lines[i + 1] else "") if line else ">"
        for i, line in enumerate(lines)
    )


def _artifact(artifact: Artifact, values: dict[str, str]) -> list[str]:
    body = render(artifact.body, values)
    heading = f"**{escape(render(artifact.title, values))}** ({artifact.kind})"
    return [heading, "", fence(body) if artifact.kind in VERBATIM_KINDS else _quote(body), ""]


def _step(number: int, step: Step, values: dict[str, str]) -> list[str]:
    title = escape(render(step.title, values)) if step.title else step.stage.capitalize()
    when = f" — {step.clock}" if step.clock else ""
    lines = [f"## {number}. {title}{when}", "", f"*Stage: {step.stage}*", "", escape(render(step.inject, values)), ""]
    if step.artifacts:
        lines += ["### Evidence", ""]
        for artifact in step.artifacts:
            lines += _artifact(artifact, values)
    if step.decisions:
        lines += ["### Who acts?", ""]
        for decision in step.decisions:
            limit = f" *(answer within {_seconds(decision.time_limit_s)})*" if decision.time_limit_s else ""
            lines.append(f"- {escape(render(decision.ask, values))}{limit}")
        lines.append("")
    if step.discussion:
        lines += ["### For discussion", ""]
        lines += [f"- {escape(render(question, values))}" for question in step.discussion]
        lines.append("")
    return lines


def _seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and not rest:
        return f"{minutes} min"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def handout(scenario: Scenario, seed: int) -> str:
    """The Markdown handout, with the scenario's variables filled for `seed`."""
    values = fill_variables(scenario.variables, seed)
    steps = len(scenario.steps)
    lines = [
        # Invisible when rendered; tells the facilitator which seed makes the names match the session.
        f"<!-- ttx handout: scenario {scenario.id}, seed {seed} -->",
        f"# {escape(render(scenario.title, values))}",
        "",
        f"*Participant briefing, {AUDIENCES[scenario.audience]} · about {scenario.duration_minutes} minutes"
        f" · {steps} step{'s' * (steps != 1)}*",
        "",
    ]
    if scenario.summary:
        lines += [escape(render(scenario.summary, values)), ""]
    lines += ["## How this exercise works", "", HOW_IT_WORKS, ""]
    for number, step in enumerate(scenario.steps, start=1):
        lines += ["---", "", *_step(number, step, values)]
    return "\n".join(lines).rstrip() + "\n"
