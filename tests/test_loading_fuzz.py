"""Random damage to valid files only ever produces the loader's own error."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simulator.bundled import bundled_scenarios
from simulator.loading import LoadError, load_map, load_scenario
from simulator.model import AuthorityMap, Scenario
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

SOURCES = [MINIMAL_SCENARIO] + [p.read_text(encoding="utf-8") for p in bundled_scenarios()[:1]]
REPLACEMENTS: list[Any] = [None, 0, -3, 2.5, True, "", "x", "containment.authorise", [], ["a", 1], {}, {"k": "v"}]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _typo(text: str, position: int) -> str:
    if len(text) < 2:
        return text + "x"
    i = position % (len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _mutate(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "typo"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            # a fresh copy: later mutations must never reach into the shared REPLACEMENTS values
            parent[last] = copy.deepcopy(draw(st.sampled_from(REPLACEMENTS)))
        elif isinstance(parent[last], str):
            parent[last] = _typo(parent[last], draw(st.integers(0, 100)))
        elif isinstance(parent, dict) and isinstance(last, str):
            parent[_typo(last, draw(st.integers(0, 100)))] = parent.pop(last)
    return data


@st.composite
def damaged(draw: st.DrawFn, sources: list[str]) -> str:
    source = draw(st.sampled_from(sources))
    return yaml.safe_dump(_mutate(yaml.safe_load(source), draw), sort_keys=False)


def _loaded_or_located(load: Callable[..., Scenario | AuthorityMap], text: str) -> str:
    """Either the damaged file still loads, as what it says, or every finding has a place and a message."""
    try:
        loaded = load("damaged.yaml", text=text)
    except LoadError as error:
        assert error.findings
        assert all(f.line >= 1 and f.column >= 1 and f.message for f in error.findings)
        return "rejected"
    assert loaded.id == yaml.safe_load(text)["id"]
    return "loaded"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(SOURCES))
def test_damaged_scenarios_fail_only_with_findings(text: str) -> None:
    event(_loaded_or_located(load_scenario, text))


@settings(max_examples=200, deadline=None)
@given(damaged([MINIMAL_MAP]))
def test_damaged_maps_fail_only_with_findings(text: str) -> None:
    event(_loaded_or_located(load_map, text))


@pytest.mark.parametrize(
    ("load", "source", "damage"),
    [
        (load_scenario, MINIMAL_SCENARIO, ("steps", 0, "stage")),
        (load_map, MINIMAL_MAP, ("roles", 1, "party")),
    ],
    ids=["scenario", "map"],
)
def test_a_damaged_file_is_rejected_at_the_damage(
    load: Callable[..., Scenario | AuthorityMap], source: str, damage: tuple[Any, ...]
) -> None:
    """The damage the fuzz tests apply does reach the loader: a wrong value is a located finding."""
    data = yaml.safe_load(source)
    parent = data
    for part in damage[:-1]:
        parent = parent[part]
    parent[damage[-1]] = ["a", 1]
    assert _loaded_or_located(load, yaml.safe_dump(data, sort_keys=False)) == "rejected"
