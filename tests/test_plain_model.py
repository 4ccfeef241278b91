"""The runtime model is plain frozen records; the pydantic schema validates, and agrees with them field for field."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from simulator import schema
from simulator.bundled import bundled_maps, bundled_scenarios
from simulator.datarecord import RecordMismatch
from simulator.loading import load_map, load_scenario
from simulator.loading.cache import rebuild
from simulator.model import Assignment, AuthorityMap, Decision, Participant, Roster, Scenario, Step
from simulator.sessions import roster_from_json

ROSTER = [{"name": "Ana", "roles": ["lead", "backup"]}, {"name": "Bo", "roles": []}]


def yaml_data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_a_validated_scenario_dumps_exactly_as_the_schema_does(path: Path) -> None:
    validated = schema.Scenario.model_validate(yaml_data(path))
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.model_dump() == validated.model_dump()
    assert scenario.model_dump(exclude_defaults=True) == validated.model_dump(exclude_defaults=True)
    assert list(scenario.model_dump()) == list(validated.model_dump())  # the same key order, for YAML output


@pytest.mark.parametrize("path", bundled_maps(), ids=lambda p: p.stem)
def test_a_validated_map_dumps_exactly_as_the_schema_does(path: Path) -> None:
    validated = schema.AuthorityMap.model_validate(yaml_data(path))
    authority_map = load_map(path)
    assert isinstance(authority_map, AuthorityMap)
    assert authority_map.model_dump() == validated.model_dump()
    assert authority_map.model_dump(exclude_defaults=True) == validated.model_dump(exclude_defaults=True)


def test_every_schema_model_has_a_record_with_the_same_fields_in_the_same_order() -> None:
    from simulator import model

    names = ["Role", "Assignment", "ExtraResponsibility", "AuthorityMap", "Participant", "Roster"]
    names += ["Artifact", "Decision", "Step", "Consequence", "FakerVariable", "ChoiceVariable", "Scenario"]
    for name in names:
        assert [f.name for f in dataclasses.fields(getattr(model, name))] == list(getattr(schema, name).model_fields)


def test_model_validate_applies_the_schema_rules_and_returns_records() -> None:
    assignment = Assignment.model_validate({"A": ["lead"], "R": "backup", "why": "it is theirs"})
    assert assignment == Assignment(A="lead", R=["backup"], why="it is theirs")
    with pytest.raises(ValidationError):
        Assignment.model_validate({"A": ["lead", "backup"], "why": "two accountable"})
    with pytest.raises(ValidationError):
        Roster.model_validate({"participants": []})


def test_records_are_frozen() -> None:
    person = Participant(name="Ana", roles=["lead"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.name = "Bo"  # type: ignore[misc]


def test_exclude_defaults_leaves_out_defaults_at_every_depth() -> None:
    decision = Decision(id="d", ask="Who?", responsibility="detection.triage", weight=3)
    step = Step(id="s", stage="detection", inject="An alert.", decisions=[decision])
    assert step.model_dump(exclude_defaults=True) == {
        "id": "s",
        "stage": "detection",
        "inject": "An alert.",
        "decisions": [{"id": "d", "ask": "Who?", "responsibility": "detection.triage", "weight": 3}],
    }


def test_model_copy_replaces_only_the_fields_given() -> None:
    person = Participant(name="Ana", roles=["lead"])
    assert person.model_copy(update={"name": "Bo"}) == Participant(name="Bo", roles=["lead"])
    assert person.model_copy() == person


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Ana"},  # a field missing
        {"name": "Ana", "roles": [], "age": 3},  # a field too many
        {"name": 7, "roles": []},  # a number for text
        {"name": "Ana", "roles": "lead"},  # text for a list
        {"name": "Ana", "roles": [True]},  # a flag for text
    ],
)
def test_from_data_refuses_data_of_another_shape(data: dict[str, Any]) -> None:
    with pytest.raises(RecordMismatch):
        Participant.from_data(data)
    assert rebuild(Participant, data) is None


def test_from_data_refuses_a_value_outside_a_literal() -> None:
    data = {"id": "s", "stage": "lunch", "title": "", "clock": None, "inject": "x", "artifacts": []}
    data |= {"facilitator_notes": "", "discussion": [], "decisions": []}
    assert rebuild(Step, {**data, "stage": "detection"}) == Step(id="s", stage="detection", inject="x")
    assert rebuild(Step, data) is None


def test_a_journal_roster_reads_the_same_with_or_without_the_schema() -> None:
    assert roster_from_json(ROSTER) == Roster.model_validate({"participants": ROSTER})
    assert roster_from_json(ROSTER) == Roster(
        participants=[Participant(name="Ana", roles=["lead", "backup"]), Participant(name="Bo", roles=[])]
    )


def test_an_empty_journal_roster_is_a_room_that_started_with_nobody() -> None:
    # `ttx host` without --roster writes `roster: []`; everyone then joins during play.
    assert roster_from_json([]) == Roster(participants=[])


@pytest.mark.parametrize(
    "roster",
    [
        [{"name": "", "roles": ["lead"]}],  # no name
        [{"name": "Ana", "roles": ["Lead Role"]}],  # not a role id
        [{"name": "Ana", "roles": ["lead\n"]}],  # a role id with a line break after it
        [{"name": "Ana", "roles": ["x" * 65]}],  # a role id too long for a folder name
        [{"name": "Ana", "roles": ["lead"], "extra": 1}],  # an unknown key
    ],
)
def test_a_journal_roster_that_breaks_a_rule_is_refused(roster: list[dict[str, object]]) -> None:
    with pytest.raises(ValueError):
        roster_from_json(roster)


PLAY_HEADLESS = """
import sys, runpy
sys.argv = ["ttx", "run", "stolen-laptop", "--autoplay", "map", "--seed", "1", "--out", sys.argv[1]]
try:
    runpy.run_module("simulator", run_name="__main__")
except SystemExit as end:
    assert not end.code, end.code
heavy = sorted(m for m in ("pydantic", "yaml", "simulator.schema", "textual") if m in sys.modules)
print("loaded:", ",".join(heavy) or "none", file=sys.stderr)
"""


def test_a_headless_run_of_validated_files_loads_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    env = dict(os.environ, TTX_CACHE_DIR=str(tmp_path / "cache"))

    def run() -> str:
        argv = [sys.executable, "-c", PLAY_HEADLESS, str(tmp_path / "sessions")]
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        return done.stderr.strip().splitlines()[-1]

    assert run() == "loaded: pydantic,simulator.schema,yaml"  # nothing cached yet: every file is validated
    assert run() == "loaded: none"
