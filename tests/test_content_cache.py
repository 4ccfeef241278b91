"""The validated-content cache: a hit skips validation, anything else validates in full."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from simulator.bundled import bundled_maps, bundled_scenarios
from simulator.loading import LoadError, load_map, load_roster, load_scenario
from simulator.loading import load as loaders
from simulator.loading.cache import (
    load_map_cached,
    load_roster_cached,
    load_scenario_cached,
    read_source,
    rebuild,
)
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.play import whole_team
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """A copy of a bundled scenario, outside the package, that a test may edit."""
    target = tmp_path / "scenario.yaml"
    shutil.copyfile(bundled_scenarios()[0], target)
    return target


@pytest.fixture
def count_validations(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the full validations the cached loaders run (they call these loaders on a miss)."""
    counts = {"scenario": 0, "map": 0, "roster": 0}

    def counting(kind: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[kind] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(loaders, "load_scenario", counting("scenario", loaders.load_scenario))
    monkeypatch.setattr(loaders, "load_map", counting("map", loaders.load_map))
    monkeypatch.setattr(loaders, "load_roster", counting("roster", loaders.load_roster))
    return counts


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def test_a_second_load_of_the_same_bytes_is_answered_from_the_cache(
    scenario_file: Path, private_content_cache: Path, count_validations: dict[str, int]
) -> None:
    first = load_scenario_cached(scenario_file)
    second = load_scenario_cached(scenario_file)
    assert count_validations["scenario"] == 1
    assert first == second == load_scenario(scenario_file)
    assert first.id == "bec-finance-mailbox"
    [entry] = entries(private_content_cache)
    assert entry.name.startswith("scenario-")


def test_a_file_edited_after_it_was_cached_is_validated_again_with_its_located_error(
    scenario_file: Path, private_content_cache: Path
) -> None:
    load_scenario_cached(scenario_file)
    assert len(entries(private_content_cache)) == 1
    text = scenario_file.read_text(encoding="utf-8")
    line = next(n for n, content in enumerate(text.splitlines(), 1) if "responsibility:" in content)
    scenario_file.write_text(text.replace("responsibility: ", "responsibility: x", 1), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_scenario_cached(scenario_file)
    assert [str(f) for f in caught.value.findings] == [
        f"{scenario_file}:{line}:25: steps[0].decisions[0].responsibility:"
        " unknown responsibility 'xdetection.triage' — did you mean 'detection.triage'?"
    ]
    # The plain loader reports exactly the same findings.
    with pytest.raises(LoadError) as plain:
        load_scenario(scenario_file)
    assert plain.value.findings == caught.value.findings


def test_a_corrupt_entry_is_ignored_and_replaced(
    scenario_file: Path, private_content_cache: Path, count_validations: dict[str, int]
) -> None:
    load_scenario_cached(scenario_file)
    [entry] = entries(private_content_cache)
    entry.write_bytes(b"\x80\x04\x95 not json, and never unpickled")
    assert load_scenario_cached(scenario_file).id == "bec-finance-mailbox"
    assert count_validations["scenario"] == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == "ttx-content-cache/1"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rules", "written-by-another-version"),
        ("format", "ttx-content-cache/0"),
        ("sha256", "0" * 64),
        ("kind", "map"),
        ("data_sha256", "0" * 64),
    ],
)
def test_an_entry_that_does_not_match_is_ignored(
    scenario_file: Path,
    private_content_cache: Path,
    count_validations: dict[str, int],
    field: str,
    value: str,
) -> None:
    load_scenario_cached(scenario_file)
    [entry] = entries(private_content_cache)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored[field] = value
    entry.write_text(json.dumps(stored), encoding="utf-8")
    load_scenario_cached(scenario_file)
    assert count_validations["scenario"] == 2


def test_stored_data_that_does_not_fit_the_models_is_ignored(
    scenario_file: Path, private_content_cache: Path, count_validations: dict[str, int]
) -> None:
    load_scenario_cached(scenario_file)
    [entry] = entries(private_content_cache)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    data = json.loads(stored["data"])
    data["steps"][0]["decisions"][0]["weight"] = "heavy"  # not an int
    stored["data"] = json.dumps(data)
    stored["data_sha256"] = hashlib.sha256(stored["data"].encode()).hexdigest()
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert load_scenario_cached(scenario_file).steps[0].decisions[0].weight == 2  # as the file says
    assert count_validations["scenario"] == 2


def test_an_unwritable_cache_location_only_costs_validation(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count_validations: dict[str, int]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TTX_CACHE_DIR", str(blocker / "cache"))
    assert load_scenario_cached(scenario_file).id == "bec-finance-mailbox"
    assert load_scenario_cached(scenario_file).id == "bec-finance-mailbox"
    assert count_validations["scenario"] == 2
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_empty_cache_setting_turns_the_cache_off(
    scenario_file: Path, private_content_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTX_CACHE_DIR", "")
    load_scenario_cached(scenario_file)
    assert entries(private_content_cache) == []


def test_a_cached_roster_is_checked_again_against_another_map(
    write: Any, private_content_cache: Path, count_validations: dict[str, int]
) -> None:
    map_path = write(MINIMAL_MAP, "map.yaml")
    roster_path = write("participants:\n  - {name: Dana, roles: [soc-analyst, client-it-lead]}\n", "roster.yaml")
    authority_map = load_map_cached(map_path)
    assert load_roster_cached(roster_path, authority_map) == load_roster(roster_path, authority_map)
    assert load_roster_cached(roster_path, authority_map).participants[0].name == "Dana"
    assert count_validations["roster"] == 1
    smaller = write(
        "id: solo\ntitle: SOC only\nparties: {soc: Backend SOC}\n"
        "roles:\n  - {id: soc-analyst, name: SOC analyst, party: soc}\n",
        "smaller.yaml",
    )
    with pytest.raises(LoadError) as caught:
        load_roster_cached(roster_path, load_map(smaller))
    assert [str(f) for f in caught.value.findings] == [
        f"{roster_path}:2:39: participants[0].roles[1]: unknown role 'client-it-lead' in map 'solo'"
    ]


def test_an_unreadable_file_gets_the_loaders_own_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_map_cached(tmp_path / "missing.yaml")
    assert "cannot read file" in str(caught.value)


def test_rebuilt_models_equal_validated_ones_for_all_bundled_content() -> None:
    for path in bundled_scenarios():
        scenario = load_scenario(path)
        assert rebuild(Scenario, json.loads(json.dumps(scenario.model_dump(mode="json")))) == scenario
    for path in bundled_maps():
        authority_map = load_map(path)
        assert rebuild(AuthorityMap, json.loads(json.dumps(authority_map.model_dump(mode="json")))) == authority_map


def test_variables_of_every_kind_survive_the_cache(write: Any) -> None:
    path = write(MINIMAL_SCENARIO.replace("  client: company", "  client: company\n  shift: {choice: [night, day]}"))
    first = load_scenario_cached(path)
    second = load_scenario_cached(path)
    assert second == first
    assert second.variables["client"] == "company"
    assert second.variables["host"].faker == "hostname"  # type: ignore[union-attr]
    assert second.variables["host"].prefix == "FS-"  # type: ignore[union-attr]
    assert second.variables["shift"].choice == ["night", "day"]  # type: ignore[union-attr]


def test_the_source_is_hashed_once_as_read(write: Any) -> None:
    path = write("id: x\n")
    source = read_source(path)
    assert source is not None
    assert source.raw == b"id: x\n"
    assert source.sha256 == hashlib.sha256(b"id: x\n").hexdigest()


def test_the_whole_team_roster_is_the_validated_one() -> None:
    authority_map = load_map(bundled_maps()[0])
    expected = Roster.model_validate({"participants": [{"name": "Ana", "roles": authority_map.role_ids}]})
    assert whole_team(authority_map, "Ana") == expected
    assert whole_team(authority_map).participants == [Participant(name="Team", roles=authority_map.role_ids)]
    # Built without validation, so the name is cleaned here: a blank one gets a name, controls go.
    assert whole_team(authority_map, " \t").participants[0].name == "Player"
    assert whole_team(authority_map, "Ana\x1b[2J").participants[0].name == "Ana[2J"


def test_ttx_run_uses_the_cache_and_still_reports_a_file_edited_since(
    scenario_file: Path, private_content_cache: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from simulator.cli import main

    args = ["run", str(scenario_file), "--autoplay", "map", "--seed", "4", "--out", str(tmp_path / "ws")]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert [p.name.split("-")[0] for p in entries(private_content_cache)] == ["map", "scenario"]
    assert CliRunner().invoke(main, args).exit_code == 0  # answered from the cache
    text = scenario_file.read_text(encoding="utf-8")
    line = next(n for n, content in enumerate(text.splitlines(), 1) if "stage:" in content)
    scenario_file.write_text(text.replace("stage: ", "stage: x", 1), encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"{scenario_file}:{line}:" in result.output
    assert "expected one of: detection, confirmation, containment" in result.output
