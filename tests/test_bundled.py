"""The bundled maps, scenarios and schemas are valid and current."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from simulator.bundled import MAP_DIR, SCHEMA_DIR, bundled_maps, bundled_scenarios, resolve_map, resolve_scenario
from simulator.catalogue import CATALOGUE, REFLECTION_QUESTIONS, STAGES
from simulator.cli.content import schemas
from simulator.loading import load_map, load_scenario


@pytest.mark.parametrize("path", bundled_maps(), ids=lambda p: p.stem)
def test_bundled_map_is_valid_and_complete(path: Path) -> None:
    authority_map = load_map(path)
    assert set(authority_map.assignments) == set(CATALOGUE)
    assert all(a.why.strip() for a in authority_map.assignments.values())


def test_both_maps_are_bundled() -> None:
    assert {p.stem for p in bundled_maps()} >= {"msp", "saas"}
    msp = load_map(MAP_DIR / "msp.yaml")
    assert set(msp.parties.values()) == {
        "MSP operations",
        "Backend SOC",
        "Technology vendor",
        "Client-side administrators",
    }
    assert len(msp.roles) >= 6
    saas = load_map(MAP_DIR / "saas.yaml")
    assert {r.name for r in saas.roles} >= {
        "Incident Commander",
        "Security Lead",
        "Executive Sponsor",
        "Forensic Analyst",
        "Communications Lead",
        "Customer Support Liaison",
    }


SCENARIOS = bundled_scenarios()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenario_is_rich_enough(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.id == path.stem
    assert set(scenario.stages) == set(STAGES)
    assert scenario.variables
    assert any(step.artifacts for step in scenario.steps)
    asked = {d.responsibility for d in scenario.decisions}
    assert {rid for rid, _ in REFLECTION_QUESTIONS} <= asked
    order = [STAGES.index(step.stage) for step in scenario.steps]
    gotos_back = any(
        STAGES.index(scenario.step(c.goto).stage) < STAGES.index(step.stage)
        for step in scenario.steps
        for d in step.decisions
        for ids in d.on.values()
        for c in (scenario.consequences[i] for i in ids)
        if c.goto
    )
    assert gotos_back or any(b < a for a, b in itertools.pairwise(order)), "needs a back-move"


@pytest.mark.parametrize("path", [*bundled_maps(), *SCENARIOS], ids=lambda p: p.name)
def test_bundled_file_names_its_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = "map" if path.parent == MAP_DIR else "scenario"
    assert first == f"# yaml-language-server: $schema=../schemas/ttx-{kind}.schema.json"


def test_committed_schemas_are_current() -> None:
    for name, schema in schemas().items():
        on_disk = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        assert on_disk == schema, f"schemas/{name} is stale: run 'ttx schema --out schemas'"


def test_names_resolve_to_bundled_files() -> None:
    assert resolve_map("saas") == MAP_DIR / "saas.yaml"
    with pytest.raises(LookupError, match="did you mean 'saas'"):
        resolve_map("sass")
    assert resolve_scenario(SCENARIOS[0].stem) == SCENARIOS[0]
