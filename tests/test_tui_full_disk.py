"""A full disk during play: the screen says so and closes, and the session resumes from what was saved."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from simulator.journal import Journal, read_journal
from simulator.sessions import load_session
from simulator.tui.screens.play import PlayScreen
from tests.tui_support import begin_play, make_app, nobody, settle


def _answers(workspace: Path) -> list[dict[str, Any]]:
    [folder] = [p for p in workspace.iterdir() if p.is_dir()]
    return read_journal(folder / "journal.jsonl").of_type("answer_recorded")


async def test_an_answer_on_a_full_disk_closes_the_screen_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, scenario="ransomware-file-server", mode="assessment", player="Ana", seed=9)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        for _ in range(2):
            await nobody(pilot)
        assert isinstance(app.screen, PlayScreen)
        pending = app.screen.engine.pending_decision
        assert pending is not None

        def full(_journal: Journal, _event: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(Journal, "append", full)
        await nobody(pilot)
    assert app.return_code == 1
    assert app.return_value is not None
    assert app.return_value.startswith("Could not save to the session journal: No space left on device.")
    assert "ttx resume " in app.return_value

    monkeypatch.undo()
    assert len(_answers(tmp_path)) == 2
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    session = load_session(folder)
    assert not session.finished
    resumed = make_app(tmp_path, resume=folder)
    async with resumed.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(resumed.screen, PlayScreen)
        again = resumed.screen.engine.pending_decision
        assert again is not None and again.decision.id == pending.decision.id


async def test_writing_reports_on_a_full_disk_says_so_and_the_debrief_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from simulator.cli import main
    from simulator.tui.screens.debrief import DebriefScreen

    workspace = tmp_path / "ws"
    played = CliRunner().invoke(main, ["run", "ransomware-file-server", "--autoplay", "map", "--out", str(workspace)])
    assert played.exit_code == 0, played.output
    [folder] = list(workspace.iterdir())
    before = sorted(p.name for p in folder.iterdir())

    def full(_descriptor: int, _data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("simulator.safewrite._write_all", full)
    app = make_app(workspace, resume=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        messages = [n.message for n in app._notifications]
        assert messages == [f"Reports not written: cannot write {folder / 'report.json'}: No space left on device"]
    assert sorted(p.name for p in folder.iterdir()) == before  # no temporary file left behind
