"""A Scenario -> the controller's MSEL rows: events, decisions with their expected owners, scenario fields.

With a seed the names are filled in (the paper copy beside the keyboard matches the session played
with that seed); without one the `{{ placeholders }}` and the variables stay, so the sheet imports
back as the same template.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from simulator.catalogue import CATALOGUE
from simulator.frozen import frozen
from simulator.model import AuthorityMap, Decision, Scenario
from simulator.msel.columns import BY_KEY, FIELD_HEADERS
from simulator.templating import fill_variables, render

EVENT_KEYS = (
    "number", "time", "stage", "step", "kind", "title", "inject", "method", "artifact_title",
    "question", "responsibility", "owner_a", "owner_r", "why", "expect", "weight", "critical", "time_limit",
    "consequences", "goto", "decision_id", "discussion", "facilitator",
)  # fmt: skip
OWNER_HEADERS = (
    "Event no.", "Stage", "Step", "Decision question", "Responsibility", "Responsibility title",
    "Accountable (A)", "Responsible (R)", "Consulted (C)", "Informed (I)", "Why (from the map)",
    "Weight", "Critical",
)  # fmt: skip
NUMERIC_KEYS = frozenset({"number", "weight", "time_limit"})


@frozen
class Sheets:
    """Everything an export writes; CSV puts the scenario fields as 'scenario' rows above the events."""

    event_headers: tuple[str, ...]
    events: list[list[str]]
    owner_headers: tuple[str, ...]
    owners: list[list[str]]
    fields: list[list[str]]  # [field, value]
    map_title: str


def scenario_rows(scenario: Scenario, authority_map: AuthorityMap, seed: int | None) -> Sheets:
    fill: Callable[[str], str]
    if seed is None:

        def fill(text: str) -> str:
            return text
    else:
        values = fill_variables(scenario.variables, seed)

        def fill(text: str) -> str:
            return render(text, values)

    events: list[list[str]] = []
    owners: list[list[str]] = []

    def add(**cells: str) -> None:
        events.append([str(len(events) + 1) if key == "number" else cells.get(key, "") for key in EVENT_KEYS])

    for step in scenario.steps:
        where = {"time": step.clock or "", "stage": step.stage, "step": step.id}
        add(
            **where,
            kind="inject",
            title=fill(step.title),
            inject=fill(step.inject),
            discussion="\n".join(fill(q) for q in step.discussion),
            facilitator=fill(step.facilitator_notes),
        )
        for artifact in step.artifacts:
            add(**where, kind="artifact", method=artifact.kind, artifact_title=fill(artifact.title),
                inject=fill(artifact.body))  # fmt: skip
        for decision in step.decisions:
            a_text, r_text, c_text, i_text, why = _owners(decision, authority_map)
            add(
                **where,
                kind="decision",
                question=fill(decision.ask),
                responsibility=decision.responsibility,
                owner_a=a_text,
                owner_r=r_text,
                why=why,
                expect=decision.expect,
                weight=str(decision.weight),
                critical="yes" if decision.critical else "no",
                time_limit=str(decision.time_limit_s) if decision.time_limit_s else "",
                consequences="; ".join(f"{outcome}: {', '.join(ids)}" for outcome, ids in decision.on.items()),
                decision_id=decision.id,
            )
            responsibility = CATALOGUE.get(decision.responsibility)
            owners.append(
                [
                    str(len(events)),
                    step.stage,
                    step.id,
                    fill(decision.ask),
                    decision.responsibility,
                    responsibility.title if responsibility else "",
                    a_text,
                    r_text,
                    c_text,
                    i_text,
                    why,
                    str(decision.weight),
                    "yes" if decision.critical else "no",
                ]
            )
    for cid, consequence in scenario.consequences.items():
        add(
            kind="consequence",
            step=cid,
            title=fill(consequence.title),
            time=f"+{consequence.clock_advance}" if consequence.clock_advance else "",
            inject=fill(consequence.inject),
            goto=consequence.goto or "",
        )
    fields = [["id", scenario.id], ["title", fill(scenario.title)]]
    if scenario.summary:
        fields.append(["summary", fill(scenario.summary)])
    fields += [["audience", scenario.audience], ["duration_minutes", str(scenario.duration_minutes)]]
    if seed is None:
        for name, spec in scenario.variables.items():
            value = spec if isinstance(spec, str) else json.dumps(spec.model_dump(exclude_defaults=True))
            fields.append([f"variable {name}", value])
    return Sheets(
        tuple(BY_KEY[key].header for key in EVENT_KEYS),
        events,
        OWNER_HEADERS,
        owners,
        [list(FIELD_HEADERS), *fields],
        authority_map.title,
    )


def _owners(decision: Decision, authority_map: AuthorityMap) -> tuple[str, str, str, str, str]:
    """(A, R, C, I, why) as 'Name (Party)' text from the map; a map gap says so."""
    assignment = authority_map.assignments.get(decision.responsibility)
    if assignment is None:
        return (f"not assigned in map '{authority_map.id}' (a map gap)", "", "", "", "")

    def named(role_ids: list[str]) -> str:
        names = []
        for role_id in role_ids:
            try:
                role = authority_map.role(role_id)
            except KeyError:
                names.append(role_id)
                continue
            names.append(f"{role.name} ({authority_map.parties.get(role.party, role.party)})")
        return "; ".join(names)

    return (
        named([assignment.A]),
        named(assignment.R),
        named(assignment.C),
        named(assignment.I),
        " ".join(assignment.why.split()),
    )
