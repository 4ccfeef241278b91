"""Group commit: ballots that arrive together share one fsync, and each is acknowledged only after it.

A ballot's line is written to the journal as soon as it arrives (in order, on
the event loop, without its fsync: `Engine.cast_ballot(..., fsync=False)`).
Its acknowledgement waits in `GroupCommit.durable(line)`. One committer task
runs `Journal.sync` in a worker thread, so the event loop keeps taking (and
writing) the ballots of the next group meanwhile; when the fsync returns, every
waiter whose line it covered is released, and the next group gets its fsync.
Any other fsync of the journal (a team answer's group, a note) covers the
ballot lines written before it just as well.
"""

from __future__ import annotations

import asyncio

from simulator.journal import Journal


class GroupCommit:
    """Waits for a journal line to be fsynced, with one fsync in flight at a time for all the waiters."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []  # (journal line, released once it is synced)
        self._committer: asyncio.Task[None] | None = None

    async def durable(self, line: int) -> None:
        """Return once journal line `line` is on disk; JournalWriteError when the fsync failed (it never will be)."""
        if self.journal.lines_synced >= line:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append((line, waiter))
        if self._committer is None:
            self._committer = asyncio.create_task(self._commit())
        await waiter

    async def _commit(self) -> None:
        try:
            while self._waiting:
                if self.journal.lines_synced < max(line for line, _ in self._waiting):
                    # Off the event loop: ballots arriving during this fsync are written for the next one.
                    await asyncio.to_thread(self.journal.sync)
                self._release()
        except Exception as error:  # every waiter must hear of it, or its seat would wait forever
            self._fail(error)
        except asyncio.CancelledError:
            self._fail(None)
            raise
        finally:
            self._committer = None

    def _release(self) -> None:
        synced = self.journal.lines_synced
        still: list[tuple[int, asyncio.Future[None]]] = []
        for line, waiter in self._waiting:
            if line > synced:
                still.append((line, waiter))
            elif not waiter.done():  # done: its seat's handler was cancelled (the connection went away)
                waiter.set_result(None)
        self._waiting = still

    def _fail(self, error: Exception | None) -> None:
        waiting, self._waiting = self._waiting, []
        for _, waiter in waiting:
            if waiter.done():
                continue
            if error is None:
                waiter.cancel()
            else:
                waiter.set_exception(error)
