"""The bundled scenario library: every scenario is worth practising on, and every branch can be reached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.bundled import MAP_DIR, bundled_scenarios
from simulator.catalogue import STAGES
from simulator.engine import Engine, PendingDecision
from simulator.engine.scripted import play_to_end
from simulator.loading import load_map, load_scenario
from simulator.model import AuthorityMap, Outcome, Scenario
from simulator.outcome import expected_roles
from simulator.play import whole_team
from simulator.scoring import score_session

SCENARIOS = bundled_scenarios()
MAPS = {name: load_map(MAP_DIR / f"{name}.yaml") for name in ("msp", "saas")}
PATTERNS = {
    "ransomware",
    "bec",
    "rmm",
    "cloud-key",
    "insider",
    "ddos",
    "oss-library",
    "laptop",
}


def test_the_library_covers_the_well_known_patterns() -> None:
    names = " ".join(p.stem for p in SCENARIOS)
    assert len(SCENARIOS) >= 8
    assert all(pattern in names for pattern in PATTERNS), names
    audiences = {load_scenario(p).audience for p in SCENARIOS}
    assert {"msp", "saas"} <= audiences


def answer_for(outcome: Outcome, pending: PendingDecision, authority_map: AuthorityMap) -> tuple[str, ...]:
    """Roles that give `outcome` for this decision against this map."""
    expected = expected_roles(pending.decision, authority_map)
    owner = sorted(expected)[0]
    others = [r for r in authority_map.role_ids if r not in expected]
    if outcome == "aligned":
        return (owner,)
    if outcome == "gap":
        return ()
    if outcome == "drift":
        return (others[0],)
    return (owner, others[0])  # overlap


def play(scenario: Scenario, authority_map: AuthorityMap, choose: Callable[[PendingDecision], Outcome]) -> Engine:
    engine = Engine(scenario, authority_map, whole_team(authority_map), seed=1)
    engine.start()
    play_to_end(engine, lambda _engine, pending: answer_for(choose(pending), pending, authority_map))
    return engine


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("map_name", sorted(MAPS))
def test_map_answers_score_100_and_nobody_scores_0(path: Path, map_name: str) -> None:
    scenario, authority_map = load_scenario(path), MAPS[map_name]
    roster = whole_team(authority_map)
    best = play(scenario, authority_map, lambda _: "aligned")
    assert set(best.stages_visited) == set(STAGES)
    score = score_session(scenario, authority_map, roster, best.answers)
    assert score.overall.clarity == 100 and score.overall.rating == "P"
    worst = play(scenario, authority_map, lambda _: "gap")
    score = score_session(scenario, authority_map, roster, worst.answers)
    assert score.overall.clarity == 0 and score.overall.rating == "U"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_consequence_and_jump_is_reachable(path: Path) -> None:
    scenario = load_scenario(path)
    authority_map = MAPS["saas" if scenario.audience == "saas" else "msp"]
    triggers = [
        (decision.id, outcome, consequence)
        for decision in scenario.decisions
        for outcome, consequences in decision.on.items()
        for consequence in consequences
    ]
    assert {c for _, _, c in triggers} == set(scenario.consequences)
    for decision_id, outcome, consequence_id in triggers:
        engine = play(
            scenario, authority_map, lambda p, d=decision_id, o=outcome: o if p.decision.id == d else "aligned"
        )
        fired = [e for e in engine.events if e["type"] == "consequence_fired"]
        assert consequence_id in {e["consequence"] for e in fired}, (decision_id, outcome)
        goto = scenario.consequences[consequence_id].goto
        if goto:
            shown = [e["step"] for e in engine.events if e["type"] == "inject_shown"]
            at = next(i for i, e in enumerate(fired) if e["consequence"] == consequence_id)
            assert goto in shown, f"{consequence_id} should jump to {goto} (fired #{at})"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_is_ready_for_a_facilitator(path: Path) -> None:
    scenario = load_scenario(path)
    assert len(scenario.decisions) >= 12
    for stage in STAGES:
        steps = [s for s in scenario.steps if s.stage == stage]
        assert any(s.facilitator_notes.strip() for s in steps), f"{stage}: facilitator notes"
        questions = sum(len(s.discussion) for s in steps)
        assert questions >= 2, f"{stage}: {questions} discussion questions"
    assert any(d.time_limit_s for d in scenario.decisions), "time limits on the urgent decisions"
    assert any(d.critical for d in scenario.decisions), "critical decisions flagged"
    assert any(c.goto for c in scenario.consequences.values()), "a branch that changes what happens next"
    kinds = {a.kind for s in scenario.steps for a in s.artifacts}
    assert len(kinds) >= 3, kinds
