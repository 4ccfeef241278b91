"""A full disk: ttx says what was and was not written, and a complete journal stays complete and resumable.

The disk is simulated: `os.write` is replaced by one that writes at most a budget of bytes into
files under the test's workspace, then fails with ENOSPC (after a short write, as a real disk
does). The lock's holder note, the scenario and map copies and the journal are written with `os.write`.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.cli import main
from simulator.journal import read_journal

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
ANSWERS = """\
who-triages: analyst
who-confirms: nobody
who-rates: [analyst, observer]
who-authorises: lead
who-leads: analyst
"""
EXPECTED_DECISIONS = [
    "who-triages",
    "who-confirms",
    "who-rates",
    "who-triages",
    "who-confirms",
    "who-rates",
    "who-authorises",
    "who-leads",
]
NO_SPACE = os.strerror(errno.ENOSPC)  # "No space left on device"
KEPT_WORDS = {0: "no answer yet", 1: "the first answer"}  # what the journal holds, in words


class SmallDisk:
    """`os.write` for files under `root`: at most `budget` bytes in all, then ENOSPC."""

    def __init__(self, root: Path, budget: int) -> None:
        self.root = str(root)
        self.budget = budget
        self.real_write = os.write

    def write(self, descriptor: int, data: bytes | memoryview) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{descriptor}")
        except OSError:
            target = ""
        if not target.startswith(self.root):
            return self.real_write(descriptor, data)
        if self.budget <= 0:
            raise OSError(errno.ENOSPC, NO_SPACE)
        written = self.real_write(descriptor, bytes(data[: self.budget]))
        self.budget -= written
        return written


def ttx(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def run(workspace: Path, answers: Path) -> Result:
    return ttx("run", FIXTURES / "loop.yaml", "--map", FIXTURES / "tiny-map.yaml", "--seed", "2",
               "--out", workspace, "--answers", answers)  # fmt: skip


def test_every_level_of_free_space_leaves_a_whole_session_or_nothing(
    tmp_path: Path, answers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = run(tmp_path / "measure", answers)
    assert full.exit_code == 0
    [measured] = (tmp_path / "measure").iterdir()
    # Written in this order: who holds the lock (best effort), the two copies, the journal.
    lock = (measured / "session.lock").stat().st_size
    copies = lock + (measured / "scenario.yaml").stat().st_size + (measured / "map.yaml").stat().st_size
    header = len((measured / "journal.jsonl").read_bytes().split(b"\n")[0]) + 1
    needed = copies + (measured / "journal.jsonl").stat().st_size
    report = (measured / "report.json").stat().st_size  # written last, through the same os.write
    levels = sorted(
        {
            0,
            copies - 1,
            copies + header - 1,
            copies + header,
            *range(0, needed, needed // 20),
            needed - 1,
            needed,
            needed + report // 2,
            needed + report - 1,
            needed + report,
            needed + report + 99,
        }
    )
    seen = {"nothing kept": 0, "resumable": 0, "complete": 0, "ended but no report": 0, "report not written": 0}
    for level in levels:
        workspace = tmp_path / f"ws-{level}"
        disk = SmallDisk(workspace, level)
        monkeypatch.setattr(os, "write", disk.write)
        result = run(workspace, answers)
        monkeypatch.setattr(os, "write", disk.real_write)
        assert "Traceback" not in result.output, level
        folders = list(workspace.iterdir()) if workspace.exists() else []
        if level < copies + header:
            # Not even the header fits: nothing half-made is left behind, and the message says so.
            assert result.exit_code == 1, level
            assert folders == [], (level, folders)
            message = result.stderr.strip()
            assert message.startswith("cannot start the session: "), message
            assert f"{NO_SPACE}; nothing was kept (the new session folder " in message, message
            assert message.endswith(" was removed)"), message
            seen["nothing kept"] += 1
            continue
        [folder] = folders
        if level >= needed + report:
            assert result.exit_code == 0, (level, result.output)
            seen["complete"] += 1
        elif level >= needed:
            # The journal is whole; only report.json did not fit, and nothing half-written is left of it.
            assert result.exit_code == 1, level
            assert result.stderr.strip() == (
                f"{folder}: the session is complete: journal.jsonl holds its 8 answers and its end;"
                f" report.json was not written ({NO_SPACE}); 'ttx report {folder} --format json' recomputes it"
            ), level
            assert sorted(p.name for p in folder.iterdir()) == [
                "journal.jsonl",
                "map.yaml",
                "scenario.yaml",
                "session.lock",
            ]
            assert ttx("report", folder, "--format", "json", "-o", folder / "report.json").exit_code == 0
            seen["report not written"] += 1
        else:
            assert result.exit_code == 1, level
            on_disk = read_journal(folder / "journal.jsonl")
            kept = len(on_disk.of_type("answer_recorded"))
            stopped = f"{folder}: the session stopped: cannot write to journal {folder / 'journal.jsonl'}: {NO_SPACE};"
            if on_disk.ended:  # only the newline after the last line was lost: the journal is complete
                assert (
                    result.stderr.strip()
                    == f"{stopped} the session is complete: journal.jsonl holds its 8 answers and its end"
                )
                assert ttx("report", folder, "--format", "json", "-o", folder / "report.json").exit_code == 0
                seen["ended but no report"] += 1
            else:
                assert result.stderr.strip() == (
                    f"{stopped} journal.jsonl holds {KEPT_WORDS.get(kept, f'the first {kept} answers')} and the session"
                    " is resumable:"
                    f" 'ttx resume {folder}' continues it once the disk has room"
                ), level
                seen["resumable"] += 1
                resumed = ttx("resume", folder, "--answers", answers)  # the disk has room again
                assert resumed.exit_code == 0, (level, resumed.output)
        contents = read_journal(folder / "journal.jsonl")
        assert [e["decision"] for e in contents.of_type("answer_recorded")] == EXPECTED_DECISIONS, level
        assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["journal_chain"]["status"] == "verified"
    # needed - 1: every byte but the journal's last newline fits, so the journal is complete.
    assert seen["nothing kept"] >= 3 and seen["resumable"] >= 10 and seen["complete"] == 2, seen
    assert seen["ended but no report"] == 1 and seen["report not written"] == 3, seen


def test_when_only_report_json_fails_the_session_is_reported_complete(
    tmp_path: Path, answers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import simulator.reporting.files

    def full_disk(path: Path, text: str, *, force: bool = False) -> None:
        raise OSError(errno.ENOSPC, NO_SPACE)

    monkeypatch.setattr(simulator.reporting.files, "write_output", full_disk)
    result = run(tmp_path / "ws", answers)
    [folder] = (tmp_path / "ws").iterdir()
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{folder}: the session is complete: journal.jsonl holds its 8 answers and its end;"
        f" report.json was not written ({NO_SPACE}); 'ttx report {folder} --format json' recomputes it"
    )
    assert not (folder / "report.json").exists()
    monkeypatch.undo()
    listed = ttx("resume", folder, "--answers", answers)
    assert listed.exit_code == 0 and "already ended" in listed.output
    report = ttx("report", folder, "--format", "json")
    assert report.exit_code == 0 and "has not ended" not in report.stderr
    assert len(json.loads(report.stdout)["decisions"]) == 8


def test_a_failed_write_stops_the_journal_for_good(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a short write nothing more is appended: a later line would follow a torn one."""
    from simulator.journal import Journal, JournalWriteError, make_event
    from tests.test_journal_chain import header

    path = tmp_path / "journal.jsonl"
    journal = Journal.create(path, header())
    size = path.stat().st_size
    disk = SmallDisk(tmp_path, 10)
    monkeypatch.setattr(os, "write", disk.write)
    event = make_event("note_added", author="F", text="lost", step=None, decision=None, clock="")
    with pytest.raises(JournalWriteError, match=f"cannot write to journal {path}: {NO_SPACE}"):
        journal.append(event)
    disk.budget = 10_000
    with pytest.raises(JournalWriteError, match=f"{path}: not written, an earlier write failed \\({NO_SPACE}\\)"):
        journal.append(event)
    journal.close()
    assert path.stat().st_size == size + 10
    assert read_journal(path).warnings == [f"{path}:2: skipped a torn last line (an interrupted write)"]
