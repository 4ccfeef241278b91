"""Headless play: `ttx run`, `ttx resume`, `ttx report`, session folders, and crash safety."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE, bundled_scenarios, resolve_map
from simulator.cli import main
from simulator.engine import Engine
from simulator.engine.scripted import autoplay
from simulator.journal import read_journal
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.outcome import classify
from simulator.records import AnswerRecord
from simulator.sessions import create_session, list_sessions, unfinished_sessions

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
REPO = Path(__file__).resolve().parent.parent
SCENARIOS = bundled_scenarios()

LOOP_ANSWERS = """\
who-triages: analyst
who-confirms: nobody
who-rates: [analyst, observer]
who-authorises: lead
who-leads: analyst
"""


def ttx(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def run_loop(scenario: Path, authority_map: Path, answers: Path, out: Path) -> Result:
    return ttx("run", scenario, "--map", authority_map, "--seed", "1", "--out", out, "--answers", answers)


def only_session(workspace: Path) -> Path:
    folders = [p for p in workspace.iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


def answers_of(folder: Path) -> list[AnswerRecord]:
    return [AnswerRecord.from_json(e) for e in read_journal(folder / "journal.jsonl").of_type("answer_recorded")]


def event_types(folder: Path) -> list[str]:
    return [e["type"] for e in read_journal(folder / "journal.jsonl").events]


def truncate_after_answers(folder: Path, kept_answers: int) -> None:
    """Simulate a crash: keep the header and the events up to the k-th answer_recorded."""
    path = folder / "journal.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep, seen = 1, 0
    for index, line in enumerate(lines[1:], start=1):
        if seen == kept_answers:
            break
        if json.loads(line)["type"] == "answer_recorded":
            seen += 1
            keep = index + 1
    path.write_text("".join(lines[:keep]), encoding="utf-8")
    (folder / "report.json").unlink(missing_ok=True)


@pytest.fixture
def loop_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The loop scenario, its map and an answers file, copied where a test may change them."""
    scenario = shutil.copy(FIXTURES / "loop.yaml", tmp_path / "loop.yaml")
    authority_map = shutil.copy(FIXTURES / "tiny-map.yaml", tmp_path / "tiny-map.yaml")
    answers = tmp_path / "answers.yaml"
    answers.write_text(LOOP_ANSWERS, encoding="utf-8")
    return Path(scenario), Path(authority_map), answers


# --- every bundled scenario finishes on both maps -------------------------------


@pytest.mark.parametrize("strategy", ["map", "nobody"])
@pytest.mark.parametrize("map_id", ["msp", "saas"])
@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_autoplay_finishes(scenario_path: Path, map_id: str, strategy: str, tmp_path: Path) -> None:
    scenario = load_scenario(scenario_path)
    authority_map = load_map(resolve_map(map_id))
    # Drive the engine directly first, with a cap, so a loop fails instead of hanging.
    engine = Engine(scenario, authority_map, Roster(participants=[Participant(name="T", roles=[])]), seed=11)
    engine.start()
    answer = autoplay(strategy, 11)
    cap = len(scenario.decisions) * (len(scenario.consequences) + 1)
    for _ in range(cap):
        if engine.finished:
            break
        pending = engine.pending_decision
        assert pending is not None
        engine.answer(answer(engine, pending))
    assert engine.finished, f"still playing after {cap} answers"

    result = ttx("run", scenario_path, "--map", map_id, "--seed", "11", "--out", tmp_path, "--autoplay", strategy)
    assert result.exit_code == 0, result.output
    folder = only_session(tmp_path)
    contents = read_journal(folder / "journal.jsonl")
    assert contents.events[-1]["type"] == "session_ended" and contents.events[-1]["reason"] == "completed"
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["format"] == "ttx-report/1"
    answers = answers_of(folder)
    assert {a.decision for a in answers} <= {d.id for d in scenario.decisions} and answers
    decisions = {d.id: d for d in scenario.decisions}
    for record in answers:
        outcome = classify(decisions[record.decision], record.roles, authority_map)
        if strategy == "map":
            assert outcome.outcome == "aligned" or outcome.map_gap, record
        else:
            assert record.roles == () and outcome.outcome == "gap"


# --- crash safety -----------------------------------------------------------------


def _scenario_with_jumps() -> Path:
    for path in SCENARIOS:
        if any(c.goto for c in load_scenario(path).consequences.values()):
            return path
    return SCENARIOS[0]


def test_resume_after_every_answer_matches_the_uninterrupted_run(tmp_path: Path) -> None:
    scenario = _scenario_with_jumps()
    whole = tmp_path / "whole"
    result = ttx("run", scenario, "--seed", "4242", "--out", whole, "--autoplay", "random")
    assert result.exit_code == 0, result.output
    reference = only_session(whole)
    expected_answers = answers_of(reference)
    expected_report = json.loads((reference / "report.json").read_text(encoding="utf-8"))
    expected_types = event_types(reference)
    assert len(expected_answers) >= 5
    for kept in range(len(expected_answers) + 1):
        folder = shutil.copytree(reference, tmp_path / f"crash-{kept}" / reference.name)
        truncate_after_answers(folder, kept)
        assert len(answers_of(folder)) == kept
        resumed = ttx("resume", folder, "--autoplay", "random")
        assert resumed.exit_code == 0, (kept, resumed.output)
        assert answers_of(folder) == expected_answers, kept
        assert event_types(folder) == expected_types, kept  # nothing lost, nothing written twice
        assert json.loads((folder / "report.json").read_text(encoding="utf-8")) == expected_report, kept


def test_resume_skips_a_torn_last_line(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    out = tmp_path / "reports"
    assert (
        ttx("run", scenario, "--map", authority_map, "--seed", "1", "--out", out, "--answers", answers).exit_code == 0
    )
    folder = only_session(out)
    expected = answers_of(folder)
    truncate_after_answers(folder, 2)
    with open(folder / "journal.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"type": "answer_recorded", "decision": "who-ra')
    result = ttx("resume", folder.name, "--workspace", out, "--answers", answers)
    assert result.exit_code == 0, result.output
    assert "torn last line" in result.stderr
    assert answers_of(folder) == expected
    assert read_journal(folder / "journal.jsonl").warnings == []


def test_resume_warns_when_the_scenario_changed_and_uses_the_copy(
    tmp_path: Path, loop_files: tuple[Path, Path, Path]
) -> None:
    scenario, authority_map, answers = loop_files
    out = tmp_path / "reports"
    assert (
        ttx("run", scenario, "--map", authority_map, "--seed", "1", "--out", out, "--answers", answers).exit_code == 0
    )
    folder = only_session(out)
    expected = answers_of(folder)
    truncate_after_answers(folder, 3)
    scenario.write_text("this: [is no longer the scenario\n", encoding="utf-8")
    result = ttx("resume", folder, "--answers", answers)
    assert result.exit_code == 0, result.output
    assert (
        "scenario changed since the session started; resuming with the copy kept in the session folder" in result.stderr
    )
    assert "map changed" not in result.stderr
    assert answers_of(folder) == expected


def test_resume_of_a_finished_session_changes_nothing(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    assert ttx("run", scenario, "--map", authority_map, "--out", tmp_path / "r", "--answers", answers).exit_code == 0
    folder = only_session(tmp_path / "r")
    before = (folder / "journal.jsonl").read_bytes()
    result = ttx("resume", folder, "--autoplay", "nobody")
    assert result.exit_code == 0 and "already ended" in result.output
    assert (folder / "journal.jsonl").read_bytes() == before


# --- answers files ------------------------------------------------------------------


def test_answers_file_drives_the_run(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    out = tmp_path / "reports"
    result = ttx("run", scenario, "--map", authority_map, "--seed", "3", "--out", out, "--answers", answers)
    assert result.exit_code == 0, result.output
    folder = only_session(out)
    assert folder.name.endswith("-loop-tiny")
    assert [(a.decision, a.roles, a.attempt) for a in answers_of(folder)] == [
        ("who-triages", ("analyst",), 1),
        ("who-confirms", (), 1),  # gap: retriage jumps back to the alert
        ("who-rates", ("analyst", "observer"), 1),
        ("who-triages", ("analyst",), 2),
        ("who-confirms", (), 2),
        ("who-rates", ("analyst", "observer"), 2),
        ("who-authorises", ("lead",), 1),
        ("who-leads", ("analyst",), 1),
    ]
    assert sorted(p.name for p in folder.iterdir()) == [
        "journal.jsonl",
        "map.yaml",
        "report.json",
        "scenario.yaml",
        "session.lock",
    ]
    assert (folder / "scenario.yaml").read_bytes() == scenario.read_bytes()
    header = read_journal(folder / "journal.jsonl").header
    assert (
        header.seed == 3
        and header.mode == "headless"
        and header.roster == [{"name": "Team", "roles": ["lead", "backup", "analyst", "observer"]}]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LOOP_ANSWERS.replace("who-leads: analyst\n", ""), "no answer for decision who-leads"),
        (
            LOOP_ANSWERS.replace("who-triages:", "who-triage:"),
            "unknown decision 'who-triage' — did you mean 'who-triages'?",
        ),
        (
            LOOP_ANSWERS.replace("who-authorises: lead", "who-authorises: laed"),
            "unknown role 'laed' — did you mean 'lead'?",
        ),
        (
            LOOP_ANSWERS.replace("[analyst, observer]", "[analyst, obsever]"),
            "unknown role 'obsever' — did you mean 'observer'?",
        ),
    ],
    ids=["missing-decision", "unknown-decision", "unknown-role", "unknown-role-in-list"],
)
def test_bad_answers_file_exits_2_before_anything_runs(
    tmp_path: Path, loop_files: tuple[Path, Path, Path], text: str, message: str
) -> None:
    scenario, authority_map, answers = loop_files
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "reports"
    result = ttx("run", scenario, "--map", authority_map, "--out", out, "--answers", answers)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert f"{answers}:" in result.stderr  # file:line:col
    assert "Traceback" not in result.output
    assert not out.exists()


def test_answers_and_autoplay_are_exclusive(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, _, answers = loop_files
    both = ttx("run", scenario, "--out", tmp_path / "r", "--answers", answers, "--autoplay", "map")
    neither = ttx("run", scenario, "--out", tmp_path / "r")
    assert both.exit_code == 2 and neither.exit_code == 2
    assert not (tmp_path / "r").exists()


# --- bad input never shows a traceback ----------------------------------------------


def test_bad_scenario_prints_findings_and_exits_1(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, _ = loop_files
    scenario.write_text(scenario.read_text().replace("detection.triage", "detection.triag"), encoding="utf-8")
    result = ttx("run", scenario, "--map", authority_map, "--out", tmp_path / "r", "--autoplay", "map")
    assert result.exit_code == 1
    assert f"{scenario}:" in result.stderr and "did you mean 'detection.triage'" in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not (tmp_path / "r").exists()


def test_bad_roster_and_unknown_names_exit_1(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, _ = loop_files
    roster = tmp_path / "roster.yaml"
    roster.write_text("participants:\n  - name: Dana\n    roles: [leed]\n", encoding="utf-8")
    bad_roster = ttx("run", scenario, "--map", authority_map, "--roster", roster, "--autoplay", "map")
    assert (
        bad_roster.exit_code == 1 and f"{roster}:3:" in bad_roster.stderr and "did you mean 'lead'" in bad_roster.stderr
    )
    unknown = ttx("run", "ransomware-file-servr", "--autoplay", "map", "--out", tmp_path / "r")
    assert unknown.exit_code == 1 and "did you mean" in unknown.stderr
    bad_map = ttx("run", scenario, "--map", "mps", "--autoplay", "map", "--out", tmp_path / "r")
    assert bad_map.exit_code == 1 and "did you mean 'msp'" in bad_map.stderr
    assert not (tmp_path / "r").exists()


def test_roster_decides_who_is_staffed(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    roster = tmp_path / "roster.yaml"
    roster.write_text("participants:\n  - name: Dana\n    roles: [backup, analyst]\n", encoding="utf-8")
    answers.write_text(LOOP_ANSWERS.replace("who-authorises: lead", "who-authorises: backup"), encoding="utf-8")
    out = tmp_path / "r"
    result = ttx("run", scenario, "--map", authority_map, "--roster", roster, "--out", out, "--answers", answers)
    assert result.exit_code == 0, result.output
    folder = only_session(out)
    assert read_journal(folder / "journal.jsonl").header.roster == [{"name": "Dana", "roles": ["backup", "analyst"]}]
    # The lead is unstaffed, so naming its deputy counts as aligned.
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    authorise = next(d for d in report["decisions"] if d["id"] == "who-authorises")
    assert (authorise["answer"], authorise["outcome"], authorise["via_deputy"]) == (["backup"], "aligned", True)


def test_default_map_comes_from_the_audience_and_the_seed_is_printed(tmp_path: Path) -> None:
    scenario_path = SCENARIOS[0]
    result = ttx("run", scenario_path, "--out", tmp_path, "--autoplay", "map")
    assert result.exit_code == 0, result.output
    header = read_journal(only_session(tmp_path) / "journal.jsonl").header
    assert header.map.id == DEFAULT_MAP_FOR_AUDIENCE[load_scenario(scenario_path).audience]
    assert f"Seed: {header.seed}" in result.output


# --- report -----------------------------------------------------------------------


def test_report_recomputes_from_the_journal(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    out = tmp_path / "reports"
    assert (
        ttx("run", scenario, "--map", authority_map, "--seed", "8", "--out", out, "--answers", answers).exit_code == 0
    )
    folder = only_session(out)
    written = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    (folder / "report.json").unlink()
    scenario.unlink()  # the report needs only the session folder
    as_json = ttx("report", folder.name, "--workspace", out, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == written
    target = tmp_path / "out.json"
    assert ttx("report", folder, "--format", "json", "-o", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == written
    term = tmp_path / "summary.txt"
    assert ttx("report", folder, "-o", term).exit_code == 0
    assert term.read_text(encoding="utf-8").strip()
    missing = ttx("report", "no-such-session", "--workspace", out)
    assert missing.exit_code == 1 and "no session 'no-such-session'" in missing.stderr


def test_report_on_a_damaged_journal_is_a_clear_error(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    out = tmp_path / "reports"
    assert ttx("run", scenario, "--map", authority_map, "--out", out, "--answers", answers).exit_code == 0
    folder = only_session(out)
    lines = (folder / "journal.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3][:10] + "\n"
    (folder / "journal.jsonl").write_text("".join(lines), encoding="utf-8")
    result = ttx("report", folder)
    assert result.exit_code == 1 and "journal.jsonl:4: not a complete JSON line" in result.stderr
    assert "Traceback" not in result.output


# --- session folders ----------------------------------------------------------------


def test_session_folders_are_named_and_unique(tmp_path: Path) -> None:
    scenario = load_scenario(FIXTURES / "loop.yaml")
    authority_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name="Team", roles=authority_map.role_ids)])
    moment = datetime(2026, 11, 23, 2, 14, tzinfo=timezone.utc)
    made = [
        create_session(
            tmp_path,
            FIXTURES / "loop.yaml",
            scenario,
            FIXTURES / "tiny-map.yaml",
            authority_map,
            roster,
            1,
            "solo",
            moment,
        )
        for _ in range(2)
    ]
    made[1].journal.append({"type": "session_ended", "at": "", "reason": "completed", "answers": 0})
    for new in made:
        new.journal.close()
        new.lock.release()
    assert [m.folder.name for m in made] == ["20261123-021400-loop-tiny", "20261123-021400-loop-tiny-2"]
    listed = list_sessions(tmp_path)
    assert [(s.folder.name, s.finished) for s in listed] == [(made[0].folder.name, False), (made[1].folder.name, True)]
    assert [s.folder for s in unfinished_sessions(tmp_path)] == [made[0].folder]


# --- no Textual below the TUI ----------------------------------------------------------

_PROBE = """
import runpy, sys
sys.argv = ["ttx", *sys.argv[1:]]
try:
    runpy.run_module("simulator", run_name="__main__")
except SystemExit as stop:
    code = stop.code
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("TEXTUAL-MODULES:", loaded, "EXIT:", code)
"""


def test_headless_commands_do_not_import_textual(tmp_path: Path, loop_files: tuple[Path, Path, Path]) -> None:
    scenario, authority_map, answers = loop_files
    out = tmp_path / "reports"

    def probe(*args: str | Path) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, *map(str, args)], capture_output=True, text=True, cwd=REPO, check=False
        )
        last = done.stdout.strip().splitlines()[-1]
        assert last == "TEXTUAL-MODULES: [] EXIT: 0" or last == "TEXTUAL-MODULES: [] EXIT: None", done.stderr + last
        return last

    probe("run", scenario, "--map", authority_map, "--out", out, "--answers", answers)
    folder = only_session(out)
    truncate_after_answers(folder, 2)
    probe("resume", folder, "--answers", answers)
    probe("report", folder, "--format", "json")
    probe("report", folder)


def test_a_headless_run_carries_every_decision_for_its_one_participant(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["run", "stolen-laptop", "--autoplay", "nobody", "--seed", "3", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    [person] = report["load"]["people"]
    assert person["name"] == "Team"
    assert person["decisions"] == len(report["decisions"])


def test_run_takes_the_workspace_as_play_and_host_do(tmp_path: Path) -> None:
    """--workspace, as every other command names it; --out, its first name, still works."""
    for flag in ("--workspace", "--out"):
        workspace = tmp_path / flag.strip("-")
        result = CliRunner().invoke(
            main, ["run", "stolen-laptop", "--autoplay", "map", "--seed", "1", flag, str(workspace)]
        )
        assert result.exit_code == 0, result.output
        [folder] = list(workspace.iterdir())
        assert (folder / "report.json").is_file()


def test_resume_after_the_map_copy_was_edited_says_so(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["run", "stolen-laptop", "--autoplay", "map", "--seed", "2", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    journal = folder / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = [i for i, line in enumerate(lines) if '"answer_recorded"' in line][3]
    journal.write_text("".join(lines[: cut + 1]), encoding="utf-8")
    answered_role = json.loads(lines[cut])["roles"][0]
    copy = folder / "map.yaml"
    copy.write_text(copy.read_text(encoding="utf-8").replace(answered_role, "renamed-role"), encoding="utf-8")
    result = runner.invoke(main, ["resume", str(folder), "--autoplay", "map"])
    assert result.exit_code == 1
    assert "does not replay against this scenario and map" in result.output
    assert "Traceback" not in result.output
