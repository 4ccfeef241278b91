"""A problem found in a file, the error that carries all of them, and bounded "did you mean" hints."""

from __future__ import annotations

import difflib
import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from simulator.safetext import strip_controls

MAX_FINDINGS_SHOWN = 50  # per file; the rest are counted ("… and 1,480 more problems")
# A hint compares the word with every candidate (difflib is quadratic in the worst case), so both the
# candidates per hint and the hints per file are capped: a hostile 3,000-role map stays well under 2 s.
MAX_SUGGESTION_CANDIDATES = 100
MAX_SUGGESTIONS_PER_FILE = 20
MAX_SUGGESTED_WORD = 100  # characters; a longer word is no typo of an id
_CUTOFF = 0.6

_FILE_ORDER = operator.attrgetter("file", "line", "column", "message")

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        # One line, whatever the file or the YAML parser put into it.
        return strip_controls(f"{self.file}:{self.line}:{self.column}: {self.message}", multiline=False)


class LoadError(Exception):
    """Every problem found in one file; never raised with an empty list.

    `findings` holds the first MAX_FINDINGS_SHOWN in file order and, when there were more, a last
    one at the first problem left out that counts them; `total` is the number of problems.
    """

    def __init__(self, findings: list[Finding]) -> None:
        ordered = sorted(findings, key=_FILE_ORDER)  # a C-level key: a file may hold 150,000 findings
        self.total = len(ordered)
        if len(ordered) > MAX_FINDINGS_SHOWN:
            first_left_out = ordered[MAX_FINDINGS_SHOWN]
            rest = len(ordered) - MAX_FINDINGS_SHOWN
            summary = Finding(
                first_left_out.file,
                first_left_out.line,
                first_left_out.column,
                f"… and {rest:,} more problem{'s' if rest != 1 else ''} from here on; fix the ones above first",
            )
            ordered = [*ordered[:MAX_FINDINGS_SHOWN], summary]
        self.findings = ordered
        super().__init__("\n".join(str(f) for f in self.findings))


class UnreadableFile(LoadError):
    """A file that could not be read at all (missing, a device or FIFO, too large, not UTF-8)."""


_suggestions_left: ContextVar[int | None] = ContextVar("suggestions_left", default=None)


@contextmanager
def suggestion_budget(count: int = MAX_SUGGESTIONS_PER_FILE) -> Iterator[None]:
    """Within this block, at most `count` hints are computed; later findings go without one."""
    token = _suggestions_left.set(count)
    try:
        yield
    finally:
        _suggestions_left.reset(token)


def with_suggestion_budget(function: Callable[P, R]) -> Callable[P, R]:
    """Give each call of a loader (one file) its own hint budget."""

    @functools.wraps(function)
    def bounded(*args: P.args, **kwargs: P.kwargs) -> R:
        with suggestion_budget():
            return function(*args, **kwargs)

    return bounded


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' — did you mean 'x'?' for the closest candidate, or '' when none is close.

    Bounded: only candidates whose length allows a match are compared, at most
    MAX_SUGGESTION_CANDIDATES of them (those starting or ending like the word first).
    """
    left = _suggestions_left.get()
    if left is not None:
        if left <= 0:
            return ""
        _suggestions_left.set(left - 1)
    if len(word) > MAX_SUGGESTED_WORD:
        return ""
    # difflib's ratio is 2·matches/(a+b) ≤ 2·min/(a+b), so a ratio ≥ 0.6 needs 3·longer ≤ 7·shorter.
    size = len(word)
    pool = [c for c in candidates if 3 * max(size, len(c)) <= 7 * min(size, len(c))]
    if len(pool) > MAX_SUGGESTION_CANDIDATES:
        start, end = word[:3], word[-3:]
        pool.sort(key=lambda c: (-(c[:3] == start) - (c[-3:] == end), abs(len(c) - size)))
        pool = pool[:MAX_SUGGESTION_CANDIDATES]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=_CUTOFF)
    return f" — did you mean '{matches[0]}'?" if matches else ""
