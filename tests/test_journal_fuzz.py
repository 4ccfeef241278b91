"""Fuzzing the journal: mutated, cut, duplicated and re-chained lines, huge numbers and wrong types.

Whatever the journal holds, `ttx report` and `ttx resume` end with exit 0 or with exit 1 and a
one-line message that names the journal and the line at fault; never a traceback, never a hang
(a watchdog stops an example that runs for more than a generous bound).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.play import start_session

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
WATCHDOG_SECONDS = 30  # a hang guard, not a performance bound: one example takes well under a second
LOCATED = re.compile(r"journal\.jsonl(:\d+: |: journal line \d+: |: journal is empty|: the session stopped)")

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["analyst", "lead", "who-rates", "confirm", "completed", "stopped", "\x1b]52;c;aGk=\x07"]),
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)  # fmt: skip
KEYS = [
    "type", "at", "roles", "latency_ms", "attempt", "decision", "step", "stage", "ballots", "timed_out", "text",
    "author", "participant", "reason", "answers", "clock", "consequence", "outcome", "goto", "clock_advance",
    "responsibility", "answered_by", "seed", "roster", "mode", "scenario", "map", "format", "started_at",
]  # fmt: skip


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, int, Any]:
    kind = draw(st.sampled_from(["set", "delete", "huge", "cut", "duplicate", "remove", "swap", "bytes"]))
    where = draw(st.integers(min_value=0, max_value=10_000))
    if kind == "set":
        return kind, where, (draw(st.sampled_from(KEYS)), draw(json_values))
    if kind == "delete":
        return kind, where, draw(st.sampled_from(KEYS))
    if kind == "huge":
        return kind, where, (draw(st.sampled_from(KEYS)), draw(st.integers(min_value=4000, max_value=6000)))
    if kind == "cut":
        return kind, where, draw(st.integers(min_value=0, max_value=400))
    if kind == "bytes":
        return kind, where, draw(st.binary(max_size=40))
    return kind, where, None


def mutate(lines: list[bytes], change: tuple[str, int, Any]) -> list[bytes]:
    kind, where, detail = change
    index = where % len(lines)
    lines = list(lines)
    if kind in ("set", "delete", "huge"):
        try:
            record = json.loads(lines[index])
        except ValueError:
            return lines  # an earlier change made the line unreadable: nothing to edit in it
        if not isinstance(record, dict):
            return lines
        if kind == "set":
            key, value = detail
            record[key] = value
            lines[index] = json.dumps(record).encode()
        elif kind == "delete":
            record.pop(detail, None)
            lines[index] = json.dumps(record).encode()
        else:
            key, digits = detail
            record[key] = "@@HUGE@@"
            lines[index] = json.dumps(record).encode().replace(b'"@@HUGE@@"', b"9" * digits)
    elif kind == "cut":
        lines[index] = lines[index][:detail]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "remove" and len(lines) > 1:
        del lines[index]
    elif kind == "swap" and index + 1 < len(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    elif kind == "bytes":
        lines[index] = detail
    return lines


def rechain(lines: list[bytes]) -> list[bytes]:
    """What a careful editor does: recompute every later line's hash (lines that are not objects stay)."""
    out = lines[:1]
    for line in lines[1:]:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            out.append(line)
            continue
        if isinstance(record, dict):
            record["prev_sha256"] = hashlib.sha256(out[-1]).hexdigest()
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
        out.append(line)
    return out


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished facilitated session of the loop scenario with two people, ballots and notes."""
    root = tmp_path_factory.mktemp("fuzz")
    scenario_path, map_path = FIXTURES / "loop.yaml", FIXTURES / "tiny-map.yaml"
    authority_map = load_map(map_path)
    roster = Roster(
        participants=[Participant(name="Ana", roles=["lead", "backup"]), Participant(name="Bo", roles=["analyst"])]
    )
    with start_session(
        workspace=root / "ws", scenario_path=scenario_path, scenario=load_scenario(scenario_path),
        map_path=map_path, authority_map=authority_map, roster=roster, seed=5, mode="facilitated",
    ) as playable:  # fmt: skip
        engine = playable.engine
        engine.start()
        engine.note("the room is ready")
        while not engine.finished:
            engine.cast_ballot("Ana", ["lead"])
            engine.cast_ballot("Bo", ["analyst"])
            engine.answer(["analyst"], latency_ms=1500)
            engine.note("moving on", author="Bo")
    return playable.folder


@contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"an example ran for more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_clean(result: Result, what: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (what, repr(result.exception))
    assert "Traceback" not in result.output, what
    assert result.exit_code in (0, 1), (what, result.exit_code, result.output)
    if result.exit_code == 1:
        last = result.stderr.strip().splitlines()[-1]
        assert LOCATED.search(last), (what, last)


@settings(
    max_examples=int(os.environ.get("TTX_FUZZ_EXAMPLES", "80")),  # raise it for a longer hunt
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    changes=st.lists(mutation(), min_size=1, max_size=3),
    mended=st.booleans(),
    accept=st.booleans(),
    format_=st.sampled_from(["json", "md", "html", "csv", "term"]),
)
def test_no_journal_makes_report_or_resume_crash(
    played: Path, changes: list[tuple[str, int, Any]], mended: bool, accept: bool, format_: str
) -> None:
    lines = (played / "journal.jsonl").read_bytes().split(b"\n")[:-1]
    for change in changes:
        lines = mutate(lines, change)
    if mended:
        lines = rechain(lines)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(shutil.copytree(played, Path(scratch) / played.name))
        (folder / "journal.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
        flags = ["--accept-tampered"] if accept else []
        runner = CliRunner()
        with watchdog(WATCHDOG_SECONDS):
            reported = runner.invoke(main, ["report", str(folder), "--format", format_, *flags])
            assert_clean(reported, f"report {changes}")
            resumed = runner.invoke(main, ["resume", str(folder), "--autoplay", "map", *flags])
            assert_clean(resumed, f"resume {changes}")
            trend = runner.invoke(main, ["trend", str(folder)])
            assert trend.exception is None or isinstance(trend.exception, SystemExit), repr(trend.exception)
            assert trend.exit_code in (0, 1) and "Traceback" not in trend.output


@pytest.mark.parametrize("bad", [":", "2", True, 0, None, [1]])
@pytest.mark.parametrize("format_", ["json", "md", "html", "csv", "term"])
def test_an_attempt_that_is_not_a_number_is_read_as_the_first(played: Path, bad: object, format_: str) -> None:
    """Found by the fuzz test above: a step shown with attempt ':' crashed the AAR's timeline. Read with
    --accept-tampered, every format reports (a ballot's attempt is checked, and refused with its line, elsewhere)."""
    lines = (played / "journal.jsonl").read_bytes().split(b"\n")[:-1]
    edited = []
    for line in lines:
        record = json.loads(line)
        if record.get("type") == "inject_shown":
            record["attempt"] = bad
            line = json.dumps(record, separators=(",", ":")).encode()
        edited.append(line)
    assert edited != lines
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(shutil.copytree(played, Path(scratch) / played.name))
        (folder / "journal.jsonl").write_bytes(b"".join(line + b"\n" for line in rechain(edited)))
        reported = CliRunner().invoke(main, ["report", str(folder), "--format", format_, "--accept-tampered"])
    assert reported.exit_code == 0, (reported.output, repr(reported.exception))
    assert "Traceback" not in reported.output
