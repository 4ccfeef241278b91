"""Answers that come from a file or a strategy instead of a room: headless runs and tests."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.engine.session import Engine, EngineError
from simulator.engine.views import PendingDecision
from simulator.loading.findings import Finding, LoadError, did_you_mean, with_suggestion_budget
from simulator.model import AuthorityMap, Scenario

if TYPE_CHECKING:
    from simulator.loading.yamlsource import Document

NOBODY = "nobody"
AUTOPLAY_STRATEGIES = ("map", "nobody", "random")

Answerer = Callable[[Engine, PendingDecision], tuple[str, ...]]


@with_suggestion_budget
def load_answers(
    path: str | Path, scenario: Scenario, authority_map: AuthorityMap, complete: bool = True
) -> dict[str, tuple[str, ...]]:
    """Read `decision-id: role | [roles] | nobody`, checking every decision is answered with known roles.

    With `complete=False` (a hosted exercise: the ballots' majority answers the rest) decisions may be left out.

    Raises LoadError with file:line:column findings, so nothing runs on a bad file.
    """
    from simulator.loading.yamlsource import parse, read_text  # YAML only for runs that read answers

    file = str(path)
    document = parse(file, read_text(file))  # LoadError unless the top level is a mapping
    return _checked_answers(document, scenario, authority_map, complete)


def _checked_answers(
    document: Document, scenario: Scenario, authority_map: AuthorityMap, complete: bool
) -> dict[str, tuple[str, ...]]:
    # Apart from the decorated loader: mutmut leaves a decorated function unmutated (tests/MUTANTS.md).
    file = document.file
    data = document.data
    decision_ids = [d.id for d in scenario.decisions]
    known_decisions = set(decision_ids)
    role_ids = authority_map.role_ids
    known_roles = set(role_ids)
    findings: list[Finding] = []
    answers: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if key not in known_decisions:
            findings.append(
                document.finding(
                    (key,),
                    f"unknown decision '{key}'{did_you_mean(key, decision_ids)};"
                    f" expected a decision of scenario '{scenario.id}'",
                    key=True,
                )
            )
            continue
        if value is None or value == NOBODY:
            answers[key] = ()
            continue
        roles = [value] if isinstance(value, str) else value
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            findings.append(document.finding((key,), "expected a role id, a list of role ids, or 'nobody'"))
            continue
        for index, role in enumerate(roles):
            if role not in known_roles:
                where = (key, index) if isinstance(value, list) else (key,)
                findings.append(
                    document.finding(
                        where,
                        f"unknown role '{role}'{did_you_mean(role, role_ids)};"
                        f" expected a role of map '{authority_map.id}'",
                    )
                )
        answers[key] = tuple(dict.fromkeys(roles))
    missing = [d for d in decision_ids if d not in data]
    if missing and complete:
        findings.append(
            Finding(
                file,
                1,
                1,
                f"no answer for decision{'s' if len(missing) > 1 else ''} {', '.join(missing)};"
                f" expected every decision of scenario '{scenario.id}' (write 'nobody' for no one)",
            )
        )
    if findings:
        raise LoadError(findings)
    return answers


def from_answers(answers: dict[str, tuple[str, ...]]) -> Answerer:
    """The same answer each time a decision is asked, replays included."""
    return lambda _engine, pending: answers[pending.decision.id]


def autoplay(strategy: str, seed: int) -> Answerer:
    """`map`: the map's accountable role (aligned for both expect kinds); `nobody`; `random`: 0-2 roles."""
    if strategy == "map":

        def owner(engine: Engine, pending: PendingDecision) -> tuple[str, ...]:
            assignment = engine.authority_map.assignments.get(pending.decision.responsibility)
            return (assignment.A,) if assignment else ()

        return owner
    if strategy == "nobody":
        return lambda _engine, _pending: ()
    if strategy == "random":

        def pick(engine: Engine, pending: PendingDecision) -> tuple[str, ...]:
            # Seeded per asking, so a resumed session picks what the uninterrupted one would have.
            rng = random.Random(f"{seed}:{pending.step}:{pending.decision.id}:{pending.attempt}")
            return tuple(rng.sample(engine.authority_map.role_ids, rng.randint(0, 2)))

        return pick
    raise ValueError(f"unknown autoplay strategy '{strategy}'; expected one of: {', '.join(AUTOPLAY_STRATEGIES)}")


def play_to_end(engine: Engine, answerer: Answerer, answered_by: str = "team") -> None:
    """Answer every pending decision until debrief; terminates because each consequence fires at most once."""
    if not engine.started:
        engine.start()
    while not engine.finished:
        pending = engine.pending_decision
        if pending is None:
            raise EngineError(f"nothing to answer in state {engine.state}, yet the session has not ended")
        engine.answer(answerer(engine, pending), answered_by=answered_by)
