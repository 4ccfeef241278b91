"""Lines written without their fsync, one `sync()` for many, and the GroupCommit that acknowledges after it."""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path

import pytest

from simulator.engine import Engine
from simulator.journal import Journal, JournalWriteError, make_event, read_journal
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.seats.commit import GroupCommit
from tests.fsync_support import Fsyncs
from tests.test_journal import FIXTURES, header


def note(text: str) -> dict[str, object]:
    return make_event("note_added", author="F", text=text, step=None, decision=None, clock="")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.jsonl"


@pytest.fixture
def fsyncs(path: Path, monkeypatch: pytest.MonkeyPatch) -> Fsyncs:
    counted = Fsyncs(path)
    monkeypatch.setattr(os, "fsync", counted)
    return counted


def unsynced_lines(journal: Journal, *texts: str) -> list[int]:
    """Append one note per text without its fsync; their line numbers."""
    lines = []
    with journal.unsynced():
        for text in texts:
            journal.append(note(text))
            lines.append(journal.lines_written)
    return lines


def test_unsynced_lines_are_written_at_once_and_one_sync_covers_them(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        assert (journal.lines_written, journal.lines_synced, fsyncs.count) == (1, 1, 1)
        assert unsynced_lines(journal, "a", "b", "c") == [2, 3, 4]
        assert path.read_bytes().count(b"\n") == 4  # in the file already: a reader sees them
        assert (journal.lines_written, journal.lines_synced, fsyncs.count) == (4, 1, 1)
        journal.sync()
        assert (journal.lines_synced, fsyncs.lines_on_disk) == (4, [1, 4])
    assert [e["text"] for e in read_journal(path).events] == ["a", "b", "c"]  # the hash chain runs through them


def test_any_later_fsync_covers_the_unsynced_lines_before_it(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        unsynced_lines(journal, "ballot 1")
        journal.append(note("a note, fsynced on its own"))
        assert (journal.lines_written, journal.lines_synced) == (3, 3)
        unsynced_lines(journal, "ballot 2")
        with journal.group():
            journal.append(note("answer"))
            journal.append(note("next question"))
        assert (journal.lines_written, journal.lines_synced) == (6, 6)
        assert fsyncs.lines_on_disk == [1, 3, 6]


def test_unsynced_inside_a_group_still_waits_for_the_group(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        with journal.group():
            unsynced_lines(journal, "inside")
            assert path.read_bytes().count(b"\n") == 1  # kept for the group, not written on its own
        assert (journal.lines_written, journal.lines_synced, fsyncs.lines_on_disk) == (2, 2, [1, 2])
        journal.append(note("after"))  # unsynced() is over: fsynced at once again
        assert journal.lines_synced == 3


def test_a_failed_sync_counts_nothing_and_stops_the_journal(path: Path, fsyncs: Fsyncs) -> None:
    journal = Journal.create(path, header())
    unsynced_lines(journal, "ballot")
    fsyncs.failure = OSError(errno.EIO, "Input/output error")
    with pytest.raises(JournalWriteError, match="Input/output error"):
        journal.sync()
    assert journal.lines_synced == 1  # the ballot may be gone: it must never be acknowledged
    fsyncs.failure = None
    with pytest.raises(JournalWriteError, match="an earlier write failed"):
        journal.append(note("later"))
    with pytest.raises(JournalWriteError, match="an earlier write failed"):
        journal.sync()
    assert journal.lines_synced == 1
    journal.close()


def test_close_fsyncs_the_lines_still_unsynced(path: Path, fsyncs: Fsyncs) -> None:
    journal = Journal.create(path, header())
    unsynced_lines(journal, "ballot")
    journal.close()
    assert fsyncs.lines_on_disk == [1, 2]
    with pytest.raises(JournalWriteError, match="closed"):
        journal.sync()


def test_a_reopened_journal_counts_its_lines_as_synced(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        unsynced_lines(journal, "a", "b")
    with Journal.reopen(path) as journal:
        assert (journal.lines_written, journal.lines_synced) == (3, 3)
        journal.append(note("c"))
        assert journal.lines_synced == 4
    assert [e["text"] for e in read_journal(path).events] == ["a", "b", "c"]


async def test_waiters_that_arrive_together_share_one_fsync(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        lines = unsynced_lines(journal, *(f"ballot {n}" for n in range(10)))
        commit = GroupCommit(journal)
        await asyncio.gather(*(commit.durable(line) for line in lines))
        assert fsyncs.lines_on_disk == [1, 11]  # the header's, then one for all ten
        assert fsyncs.in_worker == [False, True]  # off the event loop
        assert journal.lines_synced == 11


async def test_no_waiter_is_released_before_an_fsync_covering_it_returns(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        commit = GroupCommit(journal)
        fsyncs.gated = True
        [first] = unsynced_lines(journal, "ballot 1")
        first_acked = asyncio.create_task(commit.durable(first))
        await fsyncs.held()  # the first fsync has begun, and is held
        [second] = unsynced_lines(journal, "ballot 2")  # written while that fsync is in flight
        second_acked = asyncio.create_task(commit.durable(second))
        await asyncio.sleep(0)
        assert not first_acked.done() and not second_acked.done()
        fsyncs.allow(1)
        await first_acked
        assert not second_acked.done()  # the first fsync began before its line was written
        await fsyncs.held()  # the second fsync, for the second ballot, is held
        assert not second_acked.done()
        fsyncs.allow(1)
        await second_acked
        assert fsyncs.lines_on_disk == [1, 3, 3]
        assert journal.lines_synced == 3


async def test_an_fsync_of_the_event_loop_releases_the_lines_it_covered(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        commit = GroupCommit(journal)
        lines = unsynced_lines(journal, "ballot 1", "ballot 2")
        journal.append(note("a team answer, fsynced before it returns"))
        await asyncio.gather(*(commit.durable(line) for line in lines))
        assert fsyncs.lines_on_disk == [1, 4]  # no fsync of its own was needed


async def test_a_failed_fsync_fails_every_waiter(path: Path, fsyncs: Fsyncs) -> None:
    with Journal.create(path, header()) as journal:
        commit = GroupCommit(journal)
        lines = unsynced_lines(journal, "ballot 1", "ballot 2")
        fsyncs.failure = OSError(errno.ENOSPC, "No space left on device")
        outcomes = await asyncio.gather(*(commit.durable(line) for line in lines), return_exceptions=True)
        assert [type(outcome) for outcome in outcomes] == [JournalWriteError, JournalWriteError]
        assert "No space left on device" in str(outcomes[0])
        fsyncs.failure = None
        with pytest.raises(JournalWriteError, match="an earlier write failed"):
            await commit.durable(lines[-1])  # a later waiter hears it too, instead of waiting forever
        assert journal.lines_synced == 1


def test_an_engine_ballot_without_its_fsync_is_written_in_order_and_the_answer_covers_it(
    path: Path, fsyncs: Fsyncs
) -> None:
    authority_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name=n, roles=authority_map.role_ids) for n in ("Ana", "Bo")])
    journal = Journal.create(path, header())
    engine = Engine(load_scenario(FIXTURES / "loop.yaml"), authority_map, roster, seed=5, journal=journal)
    engine.start()
    before = fsyncs.count
    engine.cast_ballot("Ana", ["analyst"], fsync=False)
    engine.cast_ballot("Bo", ["lead"], fsync=False)
    engine.cast_ballot("Bo", ["analyst"], fsync=False)  # a change of mind: both lines stay, the later one counts
    assert fsyncs.count == before  # written, left for one sync
    assert journal.lines_synced == journal.lines_written - 3
    assert engine.ballots == {"Ana": ("analyst",), "Bo": ("analyst",)}
    engine.answer(["analyst"])  # its group's fsync covers the ballots written before it
    assert fsyncs.count == before + 1 and journal.lines_synced == journal.lines_written
    journal.close()
    on_disk = read_journal(path).events
    assert [e["type"] for e in on_disk] == [e["type"] for e in engine.events]
    [answer] = [e for e in on_disk if e["type"] == "answer_recorded"]
    assert answer["ballots"] == {"Ana": ["analyst"], "Bo": ["analyst"]}


def test_an_engine_ballot_is_fsynced_before_cast_ballot_returns_unless_told_otherwise(
    path: Path, fsyncs: Fsyncs
) -> None:
    """The single-terminal path (a ballot typed on the host's keyboard) has no group to commit it: it syncs itself."""
    authority_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name=n, roles=authority_map.role_ids) for n in ("Ana", "Bo")])
    with Journal.create(path, header()) as journal:
        engine = Engine(load_scenario(FIXTURES / "loop.yaml"), authority_map, roster, seed=5, journal=journal)
        engine.start()
        before = fsyncs.count
        engine.cast_ballot("Ana", ["analyst"])
        assert fsyncs.count == before + 1
        assert journal.lines_synced == journal.lines_written  # the ballot's line is on disk
        assert fsyncs.lines_on_disk[-1] == journal.lines_written


def test_an_engine_without_a_journal_takes_ballots_either_way() -> None:
    authority_map = load_map(FIXTURES / "tiny-map.yaml")
    roster = Roster(participants=[Participant(name="Ana", roles=authority_map.role_ids)])
    engine = Engine(load_scenario(FIXTURES / "loop.yaml"), authority_map, roster, seed=5)
    engine.start()
    engine.cast_ballot("Ana", ["lead"])
    engine.cast_ballot("Ana", ["analyst"], fsync=False)
    assert engine.ballots == {"Ana": ("analyst",)}
    assert engine.played_before == 0.0  # nothing was played before a new engine
