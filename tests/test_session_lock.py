"""One writer per session: the folder's OS lock, held by ttx run/resume and the exercise screen.

The cross-process tests start real processes on one session folder: the first holds the
session (paused inside `ttx resume` just before it plays), the second is refused.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from simulator.cli import main
from simulator.journal import read_journal
from simulator.play import reopen_session
from simulator.sessions import SessionBusy, SessionLock, load_session
from tests.tui_support import make_app, settle

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
REPO = Path(__file__).resolve().parent.parent

# `ttx resume FOLDER --autoplay map`, paused after taking the lock and replaying, until stdin has a line.
HOLDER = """
import sys
import simulator.cli.session as cli_session

real_play = cli_session.play_to_end

def paused(*args, **kwargs):
    print("HOLDING", flush=True)
    sys.stdin.readline()
    return real_play(*args, **kwargs)

cli_session.play_to_end = paused
sys.argv = ["ttx", "resume", sys.argv[1], "--autoplay", "map"]
from simulator.cli import main
main()
"""


def ttx(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def unfinished(tmp_path: Path) -> Path:
    """A loop session stopped after two of its five answers (autoplay map)."""
    result = ttx("run", FIXTURES / "loop.yaml", "--map", FIXTURES / "tiny-map.yaml", "--seed", "1",
                 "--out", tmp_path / "ws", "--autoplay", "map")  # fmt: skip
    assert result.exit_code == 0, result.output
    [folder] = (tmp_path / "ws").iterdir()
    lines = (folder / "journal.jsonl").read_bytes().splitlines(keepends=True)
    answers = [i for i, line in enumerate(lines) if json.loads(line)["type"] == "answer_recorded"]
    (folder / "journal.jsonl").write_bytes(b"".join(lines[: answers[1] + 1]))
    (folder / "report.json").unlink()
    return folder


def ttx_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *map(str, args)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip


@pytest.fixture
def holder(unfinished: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(unfinished)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    assert process.stdout is not None
    said: list[str] = []  # "Resuming … (2 answers replayed)", then HOLDING; "" when the process ended
    while not said or (said[-1] not in ("HOLDING\n", "") and len(said) < 10):
        said.append(process.stdout.readline())
    if said[-1] != "HOLDING\n":
        process.kill()
        pytest.fail(f"the holder did not take the session: {said} {process.communicate()[1]}")
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=60)


def test_a_second_resume_is_refused_naming_the_holder_and_the_journal_is_intact(
    unfinished: Path, holder: subprocess.Popen[str]
) -> None:
    before = (unfinished / "journal.jsonl").read_bytes()
    second = ttx_process("resume", unfinished, "--autoplay", "map")
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"{unfinished}: the session is being played by another process"
        f" (PID {holder.pid}: ttx resume {unfinished} --autoplay map);"
        " one process writes a session at a time: close that one first ('ttx report' can read the session meanwhile)"
    )
    assert "Traceback" not in second.stderr
    assert (unfinished / "journal.jsonl").read_bytes() == before  # the refused process wrote nothing

    # A reader does not need the lock.
    report = ttx_process("report", unfinished, "--format", "json")
    assert report.returncode == 0, report.stderr
    assert "note: the session has not ended (2 answers of 5 decisions)" in report.stderr

    # The holder goes on and finishes the session alone.
    assert holder.stdin is not None
    holder.stdin.write("go\n")
    holder.stdin.flush()
    assert holder.wait(timeout=120) == 0, holder.stderr.read() if holder.stderr else ""
    contents = read_journal(unfinished / "journal.jsonl")  # the chain verifies
    assert [e["decision"] for e in contents.of_type("answer_recorded")] == [
        "who-triages",
        "who-confirms",
        "who-rates",
        "who-authorises",
        "who-leads",
    ]
    assert len(contents.of_type("session_ended")) == 1


def test_a_killed_holder_releases_the_session(unfinished: Path, holder: subprocess.Popen[str]) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    assert (unfinished / "session.lock").exists()  # the file stays; the OS lock went with the process
    after = ttx_process("resume", unfinished, "--autoplay", "map")
    assert after.returncode == 0, after.stderr
    assert len(read_journal(unfinished / "journal.jsonl").of_type("answer_recorded")) == 5


def test_two_resumes_started_together_never_both_write(unfinished: Path) -> None:
    command = [sys.executable, "-m", "simulator", "resume", str(unfinished), "--autoplay", "map"]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
            for _ in range(2)]  # fmt: skip
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in both]
    # Either one was refused, or the second came after the first had finished: never two writers.
    for code, stderr in results:
        assert code == 0 or "being played by another process" in stderr, stderr
    contents = read_journal(unfinished / "journal.jsonl")
    assert len(contents.of_type("answer_recorded")) == 5
    assert len(contents.of_type("session_ended")) == 1


def test_the_lock_in_one_process(unfinished: Path) -> None:
    first = SessionLock.acquire(unfinished)
    with pytest.raises(SessionBusy) as refused:
        SessionLock.acquire(unfinished)
    assert f"(PID {os.getpid()}: ttx" in str(refused.value)  # "ttx" and the arguments the process was given
    with pytest.raises(SessionBusy):
        reopen_session(load_session(unfinished))
    first.release()
    assert not first.held
    with reopen_session(load_session(unfinished)) as playable:
        assert playable.lock is not None and playable.lock.held
        with pytest.raises(SessionBusy):
            SessionLock.acquire(unfinished)
    SessionLock.acquire(unfinished).release()  # closing the session released it


def test_a_lock_file_that_is_not_a_file_is_refused(unfinished: Path) -> None:
    (unfinished / "session.lock").unlink()
    (unfinished / "session.lock").symlink_to(unfinished / "journal.jsonl")
    before = (unfinished / "journal.jsonl").read_bytes()
    result = ttx("resume", unfinished, "--autoplay", "map")
    assert result.exit_code == 1
    assert "cannot open the session lock" in result.stderr  # O_NOFOLLOW: a planted link is never followed
    assert (unfinished / "journal.jsonl").read_bytes() == before


def test_a_holder_named_with_escape_sequences_is_shown_without_them(unfinished: Path) -> None:
    lock = unfinished / "session.lock"
    holder = SessionLock.acquire(unfinished)
    lock.write_text(json.dumps({"pid": 77, "command": "ttx \x1b]52;c;aGk=\x07resume"}), encoding="utf-8")
    with pytest.raises(SessionBusy) as refused:
        SessionLock.acquire(unfinished)
    holder.release()
    assert "(PID 77: ttx ]52;c;aGk=resume)" in str(refused.value)
    assert "\x1b" not in str(refused.value) and "\x07" not in str(refused.value)


async def test_the_exercise_screen_holds_the_session_while_it_plays(unfinished: Path) -> None:
    app = make_app(unfinished.parent, resume=unfinished)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.session is not None and app.session.engine.pending_decision is not None
        refused = ttx("resume", unfinished, "--autoplay", "map")
        assert refused.exit_code == 1 and "being played by another process" in refused.stderr
        second = make_app(unfinished.parent, resume=unfinished)
        async with second.run_test(size=(100, 32)) as other:
            await settle(other)
            assert second.session is None  # the second screen was refused, and said so
        app.exit()
    after = ttx("resume", unfinished, "--autoplay", "map")  # the first screen released it on exit
    assert after.exit_code == 0, after.output


def test_ttx_run_holds_its_new_session_while_it_plays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.cli.session as cli_session

    real_play = cli_session.play_to_end
    seen: list[str] = []

    def play_and_probe(engine: Any, *args: Any, **kwargs: Any) -> None:
        [folder] = (tmp_path / "ws").iterdir()
        try:
            SessionLock.acquire(folder).release()
            seen.append("free")
        except SessionBusy:
            seen.append("held")
        real_play(engine, *args, **kwargs)

    monkeypatch.setattr(cli_session, "play_to_end", play_and_probe)
    result = ttx("run", FIXTURES / "loop.yaml", "--map", FIXTURES / "tiny-map.yaml", "--out", tmp_path / "ws",
                 "--autoplay", "map")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert seen == ["held"]
    [folder] = (tmp_path / "ws").iterdir()
    SessionLock.acquire(folder).release()  # released when the run ended


# Appends long notes to the session as fast as it can, holding the session, then exits.
WRITER = """
import sys
from pathlib import Path
from simulator.play import reopen_session
from simulator.sessions import load_session

with reopen_session(load_session(Path(sys.argv[1]))) as playable:
    print("WRITING", flush=True)
    for n in range(400):
        playable.engine.note(f"note {n} " + "x" * 5000)
"""


def test_a_reader_never_takes_a_line_being_written_for_damage(unfinished: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(unfinished)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert writer.stdout is not None and writer.stdout.readline() == "WRITING\n"
    reads = 0
    while writer.poll() is None or reads == 0:
        contents = read_journal(unfinished / "journal.jsonl")  # no lock: raises if it ever sees damage
        assert [a["decision"] for a in contents.of_type("answer_recorded")] == ["who-triages", "who-confirms"]
        reads += 1
    assert writer.wait(timeout=120) == 0
    notes = [e["text"][:9] for e in read_journal(unfinished / "journal.jsonl").of_type("note_added")]
    assert len(notes) == 400 and notes[-1] == "note 399 "
