"""The hotwash: every decision of a finished session, one at a time, for the discussion afterwards.

Built from the engine's answers, the scenario, the map and the score; no Textual here, so the
walk-through is tested without a screen. Every string that came from a file or a keyboard is
stripped of control characters; the screen then shows it as plain text, never as markup.
"""

from __future__ import annotations

from simulator.catalogue import CATALOGUE
from simulator.engine import Engine
from simulator.frozen import frozen
from simulator.model import Decision, Step
from simulator.safetext import strip_controls
from simulator.scoring import SessionScore

OUTCOME_WORDS = {
    "aligned": "aligned with the map",
    "overlap": "overlap: several roles claimed it",
    "drift": "drift: someone other than the map's owner",
    "gap": "gap: nobody owned it",
}


def clean(text: str) -> str:
    return strip_controls(text, multiline=False).strip()


@frozen
class Ballot:
    person: str
    roles: str  # role names, or "nobody / not sure"
    agrees: bool  # the same set of roles as the team's answer


@frozen
class HotwashNote:
    clock: str
    by: str
    text: str


@frozen
class HotwashItem:
    """One answered decision, with everything the room needs to talk it through."""

    number: int  # from 1
    answer_key: str  # "decision#attempt": which answer it is, as the map revision names it
    stage: str  # "Containment"
    step_title: str
    clock: str
    question: str
    responsibility: str  # its catalogue title, e.g. "Containment authority"
    critical: bool
    team: str  # role names, "nobody / not sure", or "time ran out"
    answered_by: str
    outcome: str  # aligned, overlap, drift, gap
    map_gap: bool
    ballots: tuple[Ballot, ...]
    owner: str  # the map's accountable role, or "" for a map gap
    responsible: str  # the map's R, names
    why: str
    notes: tuple[HotwashNote, ...]
    discussion: tuple[str, ...]  # the scenario's questions for this step


def _steps_by_decision(engine: Engine) -> dict[str, tuple[Step, Decision]]:
    return {d.id: (step, d) for step in engine.scenario.steps for d in step.decisions}


def decision_titles(engine: Engine) -> dict[str, str]:
    """Decision id → its question as the room read it (rendered with the session's names)."""
    return {d: clean(engine.render(decision.ask)) for d, (_, decision) in _steps_by_decision(engine).items()}


def responsibility_title(responsibility: str) -> str:
    known = CATALOGUE.get(responsibility)
    return known.title if known else responsibility


def hotwash_items(engine: Engine, score: SessionScore) -> list[HotwashItem]:
    """Every answer that stands, in the order it was given."""
    names = {r.id: clean(r.name) for r in engine.authority_map.roles}

    def role_names(roles: tuple[str, ...] | list[str]) -> str:
        return ", ".join(names.get(r, clean(r)) for r in roles) or "nobody / not sure"

    where = _steps_by_decision(engine)
    items: list[HotwashItem] = []
    for number, scored in enumerate(score.answers, start=1):
        record = scored.record
        step, decision = where.get(record.decision, (None, None))
        assignment = engine.authority_map.assignments.get(scored.responsibility)
        final = frozenset(record.roles)
        ballots = tuple(
            Ballot(clean(person), role_names(roles), frozenset(roles) == final)
            for person, roles in record.ballots.items()
        )
        notes = tuple(
            HotwashNote(clean(n.clock), clean(n.author), strip_controls(n.text).strip())
            for n in engine.notes
            if n.decision == record.decision or (n.decision is None and n.step == record.step)
        )
        items.append(
            HotwashItem(
                number=number,
                answer_key=f"{record.decision}#{record.attempt}",
                stage=scored.stage.capitalize(),
                step_title=clean(engine.render(step.title)) if step and step.title else "",
                clock=clean(record.clock),
                question=clean(engine.render(decision.ask)) if decision else clean(record.decision),
                responsibility=responsibility_title(scored.responsibility),
                critical=scored.critical,
                team="time ran out" if record.timed_out else role_names(record.roles),
                answered_by=clean(record.answered_by),
                outcome=scored.outcome,
                map_gap=scored.map_gap,
                ballots=ballots,
                owner=names.get(assignment.A, assignment.A) if assignment else "",
                responsible=role_names(assignment.R) if assignment and assignment.R else "",
                why=clean(assignment.why) if assignment else "",
                notes=notes,
                discussion=tuple(clean(engine.render(q)) for q in step.discussion) if step else (),
            )
        )
    return items
