"""Fuzzing the commands with damaged scenario, map, roster and answers files.

Each example mutates a bundled file: its bytes (inserted, replaced, cut), its keys (renamed,
deleted), its values (other types, huge numbers, very long text, control characters, deep
nesting). Whatever comes out, a command must end with exit 0, or 1 or 2 and a message located
as file:line:column, never a traceback; each example runs under a Hypothesis deadline.
"""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.bundled import MAP_DIR, SCENARIO_DIR
from simulator.cli import main
from tests.reports_support import FIXTURES

SCENARIO = (SCENARIO_DIR / "ransomware-file-server.yaml").read_text(encoding="utf-8")
MAP = (MAP_DIR / "msp.yaml").read_text(encoding="utf-8")
ROSTER = (FIXTURES / "roster.yaml").read_text(encoding="utf-8")
_DECISIONS = [d["id"] for step in yaml.safe_load(SCENARIO)["steps"] for d in step.get("decisions", [])]
ANSWERS = yaml.safe_dump(dict.fromkeys(_DECISIONS, "nobody"))

LOCATED = re.compile(r"^\S[^\n]*:\d+:\d+: \S", re.MULTILINE)
HOSTILE_VALUES: list[Any] = [
    None,
    True,
    -1,
    0.5,
    float("inf"),
    "",
    "x" * 20_000,
    "\x1b]52;c;ZXZpbA==\x07\x1b[2J",
    "\x9b31m\x85\u2028",
    "{{ undeclared }}",
    "Day 99999 02:14",
    [],
    [[[[[[]]]]]],
    {"k": {"k": {"k": {}}}},
]
HUGE_NUMBERS = ["9" * 5000, "0x" + "f" * 3600, "1" * 4301, "-" + "7" * 30, "1e999"]
# Hypothesis fails an example that takes longer (and confirms it on a rerun): bounded time, with room
# for a loaded 2-core machine.
FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def damaged_text(draw: st.DrawFn, source: str) -> bytes:
    """`source` with its data or its bytes damaged."""
    if draw(st.booleans()):
        return _damaged_bytes(draw, source.encode())
    data = yaml.safe_load(source)
    for _ in range(draw(st.integers(1, 3))):
        data = _damaged_data(draw, data)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    for number in HUGE_NUMBERS:  # a YAML number as written, not a quoted string
        text = text.replace(f"'{number}'", number)
    return text.encode()


def _damaged_data(draw: st.DrawFn, data: Any) -> Any:
    data = copy.deepcopy(data)
    paths = _paths(data)
    if not paths:
        return data
    path = draw(st.sampled_from(paths))
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = draw(st.sampled_from(["delete", "value", "huge", "key", "text"]))
    if action == "delete":
        del parent[last]
    elif action == "value":
        parent[last] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))
    elif action == "huge":
        parent[last] = draw(st.sampled_from(HUGE_NUMBERS))
    elif action == "key" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["", "on", "x" * 300, "\x1b[2J", "steps", "roles", "participants"]))] = parent.pop(
            last
        )
    elif isinstance(parent[last], str):
        parent[last] = parent[last] + draw(st.text(max_size=20))
    return data


def _damaged_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    action = draw(st.sampled_from(["insert", "replace", "cut"]))
    at = draw(st.integers(0, len(raw)))
    if action == "cut":
        return raw[:at]
    junk = draw(st.binary(min_size=1, max_size=8) | st.sampled_from([b"\x1b[2J", b"\x07", b"\t", b"\xff", b"\x00"]))
    return raw[:at] + junk + raw[at + (len(junk) if action == "replace" else 0) :]


def check(result: Result, verdict: str = "") -> None:
    """No traceback; success, or a refusal that says where (or gives the command's own `verdict`)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exit_code in (0, 1, 2), result.exit_code
    if result.exit_code != 0:
        located = LOCATED.search(output) or output.startswith(("Usage:", "Error:"))
        assert located or (verdict and verdict in output), output[:500]


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@FUZZ
@given(damaged_text(SCENARIO))
def test_damaged_scenarios(place: Path, raw: bytes) -> None:
    (place / "scenario.yaml").write_bytes(raw)
    check(CliRunner().invoke(main, ["validate", "scenario.yaml"]))
    check(CliRunner().invoke(main, ["graph", "scenario.yaml"]))


@FUZZ
@given(damaged_text(MAP))
def test_damaged_maps(place: Path, raw: bytes) -> None:
    (place / "map.yaml").write_bytes(raw)
    check(CliRunner().invoke(main, ["validate", "map.yaml"]))
    check(CliRunner().invoke(main, ["map", "check", "map.yaml"]), verdict="Not ready: ")


@FUZZ
@given(damaged_text(ROSTER))
def test_damaged_rosters(place: Path, raw: bytes) -> None:
    (place / "roster.yaml").write_bytes(raw)
    check(CliRunner().invoke(main, ["validate", "roster.yaml"]))
    check(
        CliRunner().invoke(main, ["map", "check", str(FIXTURES / "map.yaml"), "--roster", "roster.yaml"]),
        verdict="Not ready: ",
    )


@FUZZ
@given(damaged_text(ANSWERS))
def test_damaged_answers(place: Path, raw: bytes) -> None:
    (place / "answers.yaml").write_bytes(raw)
    check(CliRunner().invoke(main, ["run", "ransomware-file-server", "--answers", "answers.yaml", "--seed", "1"]))
