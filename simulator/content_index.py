"""Which scenario and map files a listing shows: each id once, a local file replacing a bundled one.

`ttx list` and the home screen both read the bundled folders and the project's own `./scenarios` and
`./roles`. When both hold the same id, the local file is the one a team has edited for itself, so it
replaces the bundled entry (marked "local") instead of showing the id twice with nothing to tell the
two apart. No Textual and no Rich here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, Literal, TypeVar

from simulator.frozen import frozen

Origin = Literal["bundled", "local"]
T = TypeVar("T")


@frozen
class Entry(Generic[T]):
    """One file of a listing: where it came from, its id, and what reading it gave (a model or an error)."""

    origin: Origin
    path: Path
    id: str
    loaded: T
    replaces_bundled: bool = False  # a local file with the id of a bundled one, listed in its place


def each_id_once(
    bundled: Iterable[Path], local: Iterable[Path], read: Callable[[Path], tuple[str, T]]
) -> list[Entry[T]]:
    """Bundled entries in their order, each replaced by a local file with the same id, then local-only ones.

    `read` gives a file's id (the file stem when it cannot be read) and whatever the caller keeps.
    The same file reached twice (a checkout run from its own folder) counts once, as bundled, and so
    does a local file with the very bytes of the bundled one (a copy of the project, installed and
    run from its own folder): nothing about it is the team's own.
    """
    entries: list[Entry[T]] = []
    position: dict[str, int] = {}
    seen_files: set[Path] = set()
    for origin, paths in (("bundled", bundled), ("local", local)):
        for path in paths:
            resolved = path.resolve()
            if resolved in seen_files:
                continue
            seen_files.add(resolved)
            identifier, loaded = read(path)
            if identifier in position:
                index = position[identifier]
                if (
                    origin == "local"
                    and entries[index].origin == "bundled"
                    and not _same_bytes(path, entries[index].path)
                ):
                    entries[index] = Entry("local", path, identifier, loaded, replaces_bundled=True)
                continue  # a second local file with an id already listed: the first one wins
            position[identifier] = len(entries)
            entries.append(Entry(origin, path, identifier, loaded))  # type: ignore[arg-type]
    return entries


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        return one.stat().st_size == other.stat().st_size and one.read_bytes() == other.read_bytes()
    except OSError:
        return False
