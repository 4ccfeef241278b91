"""Hostile and careless inputs: special files, huge numbers, huge maps, full output devices.

Each must end in a located one-line message and exit 1 (2 for an answers file that does not fit
the scenario), never a traceback, a hang or a file read without end. Nothing here measures time:
the work a file can cause is bounded by counts (see benchmarks/bench_validation.py for timings).
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.catalogue import CATALOGUE
from simulator.cli import main
from simulator.loading import LoadError, load_map, load_roster, load_scenario
from simulator.loading import findings as findings_module
from simulator.loading.findings import MAX_FINDINGS_SHOWN, did_you_mean
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO
from tests.reports_support import FIXTURES, make_session


def ttx(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


# --- special files as inputs (item 4) -------------------------------------------------------------


@pytest.fixture(params=["/dev/zero", "/dev/urandom", "fifo"])
def special(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "input.yaml"
    if request.param == "fifo":
        os.mkfifo(path)
        return path, "a FIFO"
    path.symlink_to(request.param)
    return path, "a device"


def test_a_special_file_as_roster_is_refused_at_once(special: tuple[Path, str]) -> None:
    path, kind = special
    result = ttx("run", "ransomware-file-server", "--roster", str(path), "--autoplay", "map")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1:1: not a regular file ({kind}); expected a file on disk\n"


def test_a_special_file_as_answers_is_refused_at_once(special: tuple[Path, str]) -> None:
    path, kind = special
    result = ttx("run", "ransomware-file-server", "--answers", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"{path}:1:1: not a regular file ({kind}); expected a file on disk"


def test_a_special_file_to_validate_is_refused_at_once(special: tuple[Path, str]) -> None:
    path, kind = special
    result = ttx("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == f"{path}:1:1: not a regular file ({kind}); expected a file on disk\n"


@pytest.mark.parametrize(
    "command",
    [["run", "PATH", "--autoplay", "map"], ["graph", "PATH"], ["handout", "PATH"], ["map", "check", "PATH"]],
    ids=lambda command: command[0],
)
def test_a_special_file_as_scenario_or_map_is_refused_at_once(special: tuple[Path, str], command: list[str]) -> None:
    path, kind = special
    result = ttx(*(str(path) if part == "PATH" else part for part in command))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"{path}:1:1: not a regular file ({kind}); expected a file on disk"


def test_a_session_copy_that_is_a_special_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, special: tuple[Path, str]
) -> None:
    folder = make_session(tmp_path / "ws", monkeypatch)
    (folder / "scenario.yaml").unlink()
    (folder / "scenario.yaml").symlink_to(special[0])
    report = ttx("report", str(folder))
    assert report.exit_code == 1
    assert_no_traceback(report)
    assert report.stderr.count("\n") == 1 and "scenario" in report.stderr
    assert not (folder / "report.json").exists()  # so trend must read the session itself
    trend = ttx("trend", str(tmp_path / "ws"))
    assert trend.exit_code == 1
    assert f"warning: skipped {folder}:" in trend.stderr


# --- bounded "did you mean" and findings (item 5) ---------------------------------------------------


def big_map(roles: int = 3000, unknown_per_responsibility: int = 62) -> str:
    """A map of `roles` roles whose assignments name 24 × `unknown_per_responsibility` unknown roles."""
    lines = ["id: big", "title: Big", "parties:", "  p: Party", "roles:"]
    lines += [f"  - {{id: role-{i:04d}, name: Role {i}, party: p}}" for i in range(roles)]
    lines.append("assignments:")
    for k, rid in enumerate(CATALOGUE):
        unknown = ", ".join(f"rol-{k * unknown_per_responsibility + j:04d}x" for j in range(unknown_per_responsibility))
        lines += [f"  {rid}:", f"    A: role-{k:04d}", f"    R: [{unknown}]", "    why: because"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of candidates each hint compared (difflib's work is what grew quadratically)."""
    sizes: list[int] = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        sizes.append(len(possibilities))
        return real(word, possibilities, n=n, cutoff=cutoff)

    monkeypatch.setattr(findings_module.difflib, "get_close_matches", counting)
    return sizes


def test_a_huge_map_with_1488_unknown_roles_gets_bounded_hints_and_a_count(
    tmp_path: Path, comparisons: list[int]
) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(big_map(), encoding="utf-8")
    result = ttx("validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 51
    assert lines[0].endswith(
        "assignments.detection.monitoring.R[0]: unknown role 'rol-0000x' — did you mean 'role-0000'?"
    )
    assert lines[-1].endswith("… and 1,438 more problems from here on; fix the ones above first")
    assert result.stderr == "1 file checked, 1,488 problems\n"
    assert len(comparisons) == 20  # hints for the first 20 unknown roles only
    assert max(comparisons) == 100  # of the 3,000 roles, the 100 most alike are compared


def test_the_same_huge_map_in_roles_keeps_ttx_list_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, comparisons: list[int]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "big.yaml").write_text(big_map(), encoding="utf-8")
    result = ttx("list")
    assert result.exit_code == 0
    assert "invalid: 1488 problems" in result.stdout
    assert len(comparisons) == 20 and max(comparisons) == 100


def test_an_answers_file_with_3000_unknown_decisions_is_bounded(tmp_path: Path, comparisons: list[int]) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("".join(f"dec-{i:04d}: nobody\n" for i in range(3000)), encoding="utf-8")
    result = ttx("run", "ransomware-file-server", "--answers", str(answers))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("… and 2,951 more problems from here on; fix the ones above first")
    assert len(lines) == MAX_FINDINGS_SHOWN + 1
    assert len(comparisons) == 20


def test_a_hint_is_still_found_among_thousands_of_alike_candidates() -> None:
    candidates = [f"role-{i:04d}" for i in range(3000)]
    assert did_you_mean("rol-2999", candidates) == " — did you mean 'role-2999'?"
    assert did_you_mean("x" * 500, candidates) == ""


# --- numbers, clocks and ids that run could not play (item 6) --------------------------------------


def _findings(loader: object, path: Path) -> list[str]:
    with pytest.raises(LoadError) as caught:
        loader(path)  # type: ignore[operator]
    return [str(f) for f in caught.value.findings]


def test_a_number_of_5000_digits_is_a_located_finding(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL_SCENARIO.replace("title:", f"duration_minutes: {'9' * 5000}\ntitle:", 1), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("duration_minutes"))
    assert _findings(load_scenario, path) == [
        f"{path}:{line}:19: duration_minutes: number 99999999999999999... is too large (5,000 characters);"
        " expected a number of at most 9,007,199,254,740,991 — put it in quotes if it is text"
    ]


def test_a_hex_number_as_a_roster_name_is_a_located_finding(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(f"participants:\n  - name: 0x{'f' * 3600}\n    roles: [a]\n", encoding="utf-8")
    [finding] = _findings(load_roster, path)
    assert finding.startswith(f"{path}:2:11: participants[0].name: number 0xfffffffffffffff... is too large")


def test_a_large_but_short_number_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        MINIMAL_SCENARIO.replace("title:", "duration_minutes: 9007199254740992\ntitle:", 1), encoding="utf-8"
    )
    [finding] = _findings(load_scenario, path)
    assert "number 9007199254740992 is too large (16 characters)" in finding


def test_a_clock_day_of_4301_digits_is_refused_by_validate(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    text = (FIXTURES / "scenario.yaml").read_text(encoding="utf-8")
    first_clock = next(line for line in text.splitlines() if "clock:" in line)
    path.write_text(text.replace(first_clock, f'    clock: "Day {"1" * 4301} 02:14"', 1), encoding="utf-8")
    [finding] = _findings(load_scenario, path)
    assert 'expected a clock "HH:MM" or "Day N HH:MM" (N from 1 to 999), e.g. "02:14"; got' in finding
    assert finding.count("\n") == 0


def test_an_id_too_long_for_a_folder_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MINIMAL_MAP.replace("id: tiny", f"id: {'m' * 300}", 1), encoding="utf-8")
    [finding] = _findings(load_map, path)
    assert finding == (
        f"{path}:1:5: id: expected at most 64 characters (an id must fit in a session folder's name);"
        " got 300 characters"
    )


def test_a_seed_beyond_the_json_safe_range_is_a_usage_error() -> None:
    result = ttx("run", "ransomware-file-server", "--autoplay", "map", "--seed", "9" * 5000)
    assert result.exit_code == 2
    assert_no_traceback(result)


def test_a_control_character_in_yaml_is_reported_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(b"id: mini\ntitle: ok\nparties: {a: \x07A}\n")
    [finding] = _findings(load_map, path)
    assert finding.startswith(f"{path}:3:14: invalid YAML: control character U+0007 is not allowed")


# --- output to a full device (item 6) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["list"], ["validate", "SCENARIO"], ["graph", "--machine"], ["report", "SESSION", "--format", "md"]],
    ids=lambda args: args[0],
)
def test_stdout_to_a_full_device_is_one_line_and_exit_1(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_session(tmp_path / "ws", monkeypatch)
    args = [str(folder) if a == "SESSION" else str(FIXTURES / "scenario.yaml") if a == "SCENARIO" else a for a in args]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "simulator", *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert done.returncode == 1
    assert done.stderr == "ttx: cannot write to standard output: No space left on device\n"


def test_nesting_and_alias_bombs_are_reported_where_they_go_too_far(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("id: x\nsteps: " + "[" * 70 + "]" * 70 + "\n", encoding="utf-8")
    # the 65th bracket opens at column 8 + 64
    assert _findings(load_scenario, deep) == [
        f"{deep}:2:72: document is nested more than 64 levels deep; expected a flatter file"
    ]
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [finding] = _findings(load_scenario, bomb)
    assert finding.startswith(f"{bomb}:")
    assert finding.endswith(
        "document expands to more than 100,000 values; expected a hand-written file"
        " — remove repeated YAML aliases (*name)"
    )


def test_unclosed_template_braces_do_not_hide_a_later_placeholder() -> None:
    from simulator.templating import placeholders

    # The pattern never runs over another "{{", which keeps a line of 300,000 of them linear to scan.
    assert list(placeholders("{{ " * 1000 + "{{ x }} and {{ a {{ b }}")) == [
        (3000, "{{ x }}", "x"),
        (3017, "{{ b }}", "b"),
    ]


def test_positions_of_many_template_findings_are_exact(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    inject = "\\n".join("{{ x }}" for _ in range(3000))
    path.write_text(f'id: x\ntitle: t\nsteps:\n  - id: s\n    stage: detection\n    inject: "{inject}"\n')
    with pytest.raises(LoadError) as caught:
        load_scenario(path)
    assert caught.value.total == 3001  # 3,000 placeholders and the missing decision
    first, second = caught.value.findings[1:3]
    assert (first.line, first.column, second.line, second.column) == (6, 14, 6, 23)


def test_a_clock_pushed_past_day_999_by_play_still_reads_back() -> None:
    from simulator.model import clock_minutes, format_clock

    # A file may write Day 1 to 999; consequences may carry play further, and reports read it back.
    assert clock_minutes("Day 1500 02:00") == 1499 * 1440 + 120
    assert format_clock(1499 * 1440 + 120) == "Day 1500 02:00"
    with pytest.raises(ValueError, match="not a clock"):
        clock_minutes(f"Day {'1' * 4301} 02:14")
