"""An os.fsync stand-in for the group-commit tests: it counts calls, and can hold those of worker threads."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path


class Fsyncs:
    """Counts fsyncs and what the journal held at each; when `gated`, a worker thread's fsync waits for a permit.

    The event loop's own fsyncs (an answer's group, a note) are never held: the
    test runs on that thread and must be able to let the worker go.
    """

    def __init__(self, journal_path: Path, real: Callable[[int], None] = os.fsync, gated: bool = False) -> None:
        self.journal_path = journal_path
        self.real = real
        self.gated = gated
        self.lines_on_disk: list[int] = []  # the journal's lines at each completed fsync, in order
        self.in_worker: list[bool] = []  # per completed fsync: whether a worker thread made it
        self.waiting = threading.Semaphore(0)  # released each time a worker's fsync starts waiting for a permit
        self._permits = threading.Semaphore(0)
        self.failure: OSError | None = None  # raised by the next fsyncs instead of syncing

    def __call__(self, descriptor: int) -> None:
        worker = threading.current_thread() is not threading.main_thread()
        if worker and self.gated:
            self.waiting.release()
            if not self._permits.acquire(timeout=30):
                raise AssertionError("the test never let this fsync go")
        if self.failure is not None:
            raise self.failure
        self.real(descriptor)
        self.lines_on_disk.append(self.journal_path.read_bytes().count(b"\n"))
        self.in_worker.append(worker)

    async def held(self) -> None:
        """Wait until a worker thread's fsync has begun and is held (bounded: fails rather than hangs)."""
        if not await asyncio.to_thread(self.waiting.acquire, True, 10):
            raise AssertionError("no fsync began in a worker thread")

    def allow(self, count: int = 1) -> None:
        """Let `count` held fsyncs (present or future) go."""
        for _ in range(count):
            self._permits.release()

    def open_gate(self) -> None:
        self.gated = False
        self.allow(100)

    @property
    def count(self) -> int:
        return len(self.lines_on_disk)
