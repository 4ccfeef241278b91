"""`ttx`, `ttx play` and `ttx resume` hand the right options to the exercise screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulator.cli import main


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("simulator.cli.play.launch", lambda **options: calls.append(options))
    return calls


def test_no_command_opens_the_exercise_screen(launched: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0, result.output
    assert launched == [{}]


def test_play_passes_everything_through(launched: list[dict[str, Any]], tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text("participants:\n  - {name: Dana, roles: [soc-analyst]}\n", encoding="utf-8")
    args = ["play", "bec-finance-mailbox", "--map", "msp", "--mode", "facilitated", "--roster", str(roster)]
    result = CliRunner().invoke(main, [*args, "--seed", "4", "--workspace", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [options] = launched
    assert options["scenario"] == "bec-finance-mailbox" and options["map"] == "msp"
    assert (options["mode"], options["roster"], options["seed"]) == ("facilitated", roster, 4)
    assert options["workspace"] == tmp_path


def test_resume_without_answers_reopens_the_latest_unfinished_session(
    launched: list[dict[str, Any]], tmp_path: Path
) -> None:
    runner = CliRunner()
    for seed in ("1", "2"):
        done = runner.invoke(
            main, ["run", "stolen-laptop", "--autoplay", "map", "--seed", seed, "--out", str(tmp_path)]
        )
        assert done.exit_code == 0, done.output
    # make the second session unfinished: cut its journal after the first answer
    folders = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    journal = folders[-1] / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    first_answer = next(i for i, line in enumerate(lines) if '"answer_recorded"' in line)
    journal.write_text("".join(lines[: first_answer + 1]), encoding="utf-8")

    result = runner.invoke(main, ["resume", "--workspace", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert launched == [{"resume": folders[-1], "workspace": tmp_path}]


def test_resume_with_nothing_unfinished_says_so(launched: list[dict[str, Any]], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["resume", "--workspace", str(tmp_path)])
    assert result.exit_code == 1
    assert "no unfinished session" in result.output
    assert launched == []
