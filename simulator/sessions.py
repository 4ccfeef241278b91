"""Session folders under a workspace.

    reports/20261123-021400-ransomware-file-server-msp/
        journal.jsonl     the single source of truth
        scenario.yaml     copy of the scenario as played
        map.yaml          copy of the authority map as played
        report.json       written when the session ends (recomputable from the three above)
        session.lock      held (an OS lock) by the one process playing the session

The copies let a session be resumed and re-scored after the originals moved or changed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from simulator.corrections import standing_answers
from simulator.frozen import frozen
from simulator.journal import Journal, JournalContents, JournalError, read_journal, write_all
from simulator.limits import ID_PATTERN, MAX_ID_LENGTH
from simulator.loading.cache import load_map_cached, load_scenario_cached
from simulator.loading.findings import did_you_mean
from simulator.model import AuthorityMap, Participant, Roster, Scenario
from simulator.records import MAP_COPY as MAP_COPY  # re-exported: the names live next to the header
from simulator.records import SCENARIO_COPY as SCENARIO_COPY
from simulator.records import Header, Mode, SourceFile, joined_roster
from simulator.safefiles import InputFileError, read_regular
from simulator.safetext import strip_controls

if sys.platform != "win32":
    import fcntl  # POSIX only: on Windows a session is not locked (docs/journal.md)

DEFAULT_WORKSPACE = Path("reports")
JOURNAL_NAME = "journal.jsonl"
REPORT_JSON = "report.json"
SEATS_JSON = "seats.json"  # a hosted session's seats (`ttx host`): its room code and each seat's secret
LOCK_NAME = "session.lock"


class SessionError(Exception):
    """A session folder that cannot be found, created or read."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _new_folder(workspace: Path, base: str) -> Path:
    """Create a folder named `base`, or `base-2`, `base-3`, ... when it is taken."""
    workspace.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        folder = workspace / (base if n == 1 else f"{base}-{n}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise SessionError(f"cannot find a free session folder name for {base} in {workspace}")


class SessionBusy(SessionError):
    """Another process is playing the session: one writer at a time."""


class SessionLock:
    """The one-writer lock of a session folder: `flock` on `session.lock`, held until released.

    The OS releases it when the process ends, however it ends (kill -9 included), so
    a stale `session.lock` file is harmless: only the lock on it counts. Readers
    (`ttx report`, `ttx trend`) never take it. The holder writes its PID and command
    into the file so that a refused process can say who holds the session.
    """

    def __init__(self, folder: Path, descriptor: int) -> None:
        self.folder = folder
        self._descriptor: int | None = descriptor

    @classmethod
    def acquire(cls, folder: Path) -> SessionLock:
        """Take the lock without waiting; SessionBusy names the process holding it."""
        path = folder / LOCK_NAME
        flags = (
            os.O_RDWR
            | os.O_CREAT
            | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0)
        )
        try:
            descriptor = os.open(path, flags, 0o644)
        except OSError as error:
            raise SessionError(
                f"{folder}: cannot open the session lock {LOCK_NAME}: {error.strerror or error}"
            ) from None
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise SessionError(f"{path}: not a regular file; a session's lock is a plain file")
            try:
                if sys.platform != "win32":
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise SessionError(f"{path}: cannot lock the session: {error.strerror or error}") from None
                raise SessionBusy(
                    f"{folder}: the session is being played by another process ({_holder(descriptor)});"
                    " one process writes a session at a time: close that one first"
                    " ('ttx report' can read the session meanwhile)"
                ) from None
            _claim(descriptor)
        except BaseException:
            os.close(descriptor)
            raise
        return cls(folder, descriptor)

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor releases the lock
            self._descriptor = None


def _claim(descriptor: int) -> None:
    """Write who holds the lock; best effort (a full disk must not stop play that needs no new block)."""
    who = {"pid": os.getpid(), "command": " ".join(["ttx", *sys.argv[1:]])[:300]}
    with contextlib.suppress(OSError):
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        write_all(descriptor, json.dumps(who).encode("utf-8"))


def _holder(descriptor: int) -> str:
    """ "PID 1234: ttx resume …" from the lock file, as far as it can be read."""
    try:
        os.lseek(descriptor, 0, os.SEEK_SET)
        data = json.loads(os.read(descriptor, 4096).decode("utf-8"))
        pid = data["pid"]
        command = strip_controls(str(data.get("command", "")), multiline=False)[:200]
    except (OSError, ValueError, KeyError, TypeError):
        return "PID unknown"
    if not isinstance(pid, int) or isinstance(pid, bool):
        return "PID unknown"
    return f"PID {pid}: {command}" if command else f"PID {pid}"


def _keep_copy(source: Path, folder: Path, copy_name: str, model_id: str) -> SourceFile:
    try:
        data = read_regular(source)
    except InputFileError as error:
        raise SessionError(f"cannot read {source}: {error}") from None
    try:
        descriptor = os.open(
            folder / copy_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644
        )
        try:
            write_all(descriptor, data)  # the very bytes that were hashed
            os.fsync(descriptor)  # on disk before the journal that names it
        finally:
            os.close(descriptor)
    except OSError as error:
        raise SessionError(f"cannot write {folder / copy_name}: {error.strerror or error}") from None
    return SourceFile(id=model_id, path=str(source.resolve()), sha256=sha256_of(data), copy=copy_name)


ID_RE = re.compile(ID_PATTERN)


def roster_to_json(roster: Roster) -> list[dict[str, object]]:
    return [{"name": p.name, "roles": list(p.roles)} for p in roster.participants]


def roster_from_json(data: list[dict[str, object]]) -> Roster:
    """The roster a journal header lists, held to the rules of a roster file (ValueError when it breaks one).

    It may be empty: `ttx host` without a roster starts with nobody, and everyone who takes part
    joins during play (their `participant_joined` events name them).
    """
    if data == []:
        return Roster(participants=[])
    people = _plainly_valid_people(data)
    if people is not None:  # every header ttx writes: no need to load the schema (pydantic) for it
        return Roster(participants=people)
    return Roster.model_validate({"participants": data})  # the schema says what is wrong, and where


def _plainly_valid_people(data: object) -> list[Participant] | None:
    """The participants when `data` plainly passes the roster schema; None when unsure (the schema then decides)."""
    if not isinstance(data, list) or not data:
        return None
    people = []
    for person in data:
        if not isinstance(person, dict) or set(person) != {"name", "roles"}:
            return None
        name, roles = person["name"], person["roles"]
        if type(name) is not str or not name or type(roles) is not list:
            return None
        if not all(type(role) is str and len(role) <= MAX_ID_LENGTH and ID_RE.fullmatch(role) for role in roles):
            return None
        people.append(Participant(name=name, roles=list(roles)))
    return people


def with_joined(roster: Roster, events: Iterable[Mapping[str, Any]]) -> Roster:
    """`roster` and everyone who joined during play (`participant_joined`), in the order they joined."""
    joined = joined_roster(roster_to_json(roster), events)
    return roster if len(joined) == len(roster.participants) else roster_from_json(joined)


@dataclass
class NewSession:
    folder: Path
    header: Header
    journal: Journal
    lock: SessionLock


def create_session(
    workspace: Path,
    scenario_path: Path,
    scenario: Scenario,
    map_path: Path,
    authority_map: AuthorityMap,
    roster: Roster,
    seed: int,
    mode: Mode,
    now: datetime | None = None,
) -> NewSession:
    """Make the session folder, keep copies of the files, and open its journal with the header written.

    The folder is locked from the moment it exists. When anything fails before the
    header is on disk, every file this call wrote is removed again, and the folder
    too: the SessionError says so (nothing half-made is left to resume).
    """
    moment = now or datetime.now(timezone.utc)
    try:
        folder = _new_folder(workspace, f"{_stamp(moment)}-{scenario.id}-{authority_map.id}")
    except OSError as error:
        raise SessionError(f"cannot create a session folder in {workspace}: {error.strerror or error}") from None
    lock = SessionLock.acquire(folder)
    try:
        header = Header(
            scenario=_keep_copy(scenario_path, folder, SCENARIO_COPY, scenario.id),
            map=_keep_copy(map_path, folder, MAP_COPY, authority_map.id),
            seed=seed,
            roster=roster_to_json(roster),
            mode=mode,
            started_at=moment.astimezone(timezone.utc).isoformat(timespec="seconds"),
        )
        journal = Journal.create(folder / JOURNAL_NAME, header)
    except (SessionError, JournalError) as error:
        lock.release()
        _remove_made(folder)
        raise SessionError(f"{error}; nothing was kept (the new session folder {folder} was removed)") from None
    return NewSession(folder, header, journal, lock)


def _remove_made(folder: Path) -> None:
    """Remove a session folder `create_session` made and could not finish: only the files it writes."""
    for name in (JOURNAL_NAME, SCENARIO_COPY, MAP_COPY, LOCK_NAME):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty: never what someone else put there


@dataclass
class Session:
    """A session read back from its folder: header, events, and the copies it was played with."""

    folder: Path
    contents: JournalContents
    scenario: Scenario
    authority_map: AuthorityMap
    roster: Roster
    warnings: list[str] = field(default_factory=list)

    @property
    def header(self) -> Header:
        return self.contents.header

    @property
    def journal_path(self) -> Path:
        return self.folder / JOURNAL_NAME

    @property
    def finished(self) -> bool:
        return self.contents.ended


def _changed(source: SourceFile, folder: Path, what: str, purpose: str) -> list[str]:
    """Tell the user when the original or the kept copy no longer matches the journal's hash."""
    notes: list[str] = []
    original = Path(source.path)
    shown = strip_controls(str(original), multiline=False)
    if original.is_file():
        try:
            if sha256_of(read_regular(original)) != source.sha256:
                notes.append(
                    f"{what} changed since the session started;"
                    f" {purpose} with the copy kept in the session folder (original: {shown})"
                )
        except InputFileError:
            pass  # gone, unreadable or too big: the copy is what counts
    copy = folder / source.copy
    try:
        if copy.is_file() and sha256_of(read_regular(copy)) != source.sha256:
            notes.append(f"the {what} copy in the session folder ({copy}) was edited after the session started")
    except InputFileError:
        pass  # loading the copy says why it cannot be read
    return notes


def load_session(folder: Path, purpose: str = "resuming", accept_tampered: bool = False) -> Session:
    """Read a session folder. Raises SessionError, JournalError, or LoadError for a bad copy.

    `purpose` words the warning about changed originals ("resuming", "reporting").
    A journal whose hash chain breaks is refused (TamperedJournal) unless `accept_tampered`.
    """
    journal_path = folder / JOURNAL_NAME
    if not journal_path.is_file():
        raise SessionError(f"{folder} is not a session folder: no {JOURNAL_NAME}")
    contents = read_journal(journal_path, accept_tampered)
    header = contents.header
    for source, what in ((header.scenario, "scenario"), (header.map, "map")):
        if not (folder / source.copy).is_file():
            raise SessionError(f"{folder}: the {what} copy '{source.copy}' is missing")
    # The copies are the played files' bytes: usually validated before, so answered from the cache.
    scenario = load_scenario_cached(folder / header.scenario.copy)
    authority_map = load_map_cached(folder / header.map.copy)
    try:
        roster = roster_from_json(header.roster)
    except ValueError as error:
        raise JournalError(f"{journal_path}:1: malformed roster in the header ({error})") from None
    warnings = list(contents.warnings) + [
        f"{problem} (read anyway: --accept-tampered)" for problem in contents.tampered
    ]
    warnings += _changed(header.scenario, folder, "scenario", purpose)
    warnings += _changed(header.map, folder, "map", purpose)
    return Session(folder, contents, scenario, authority_map, roster, warnings)


def find_session(reference: str, workspace: Path = DEFAULT_WORKSPACE) -> Path:
    """A session folder from a path or a folder name under the workspace."""
    path = Path(reference).expanduser()
    if (path / JOURNAL_NAME).is_file():
        return path
    candidate = workspace / reference
    if (candidate / JOURNAL_NAME).is_file():
        return candidate
    names = [p.name for p in session_folders(workspace)]
    raise SessionError(f"no session '{reference}' (looked for {path} and {candidate}){did_you_mean(reference, names)}")


def session_folders(workspace: Path = DEFAULT_WORKSPACE) -> list[Path]:
    """Session folders in the workspace, oldest first (names start with the UTC start time)."""
    if not workspace.is_dir():
        return []
    return sorted(p for p in workspace.iterdir() if (p / JOURNAL_NAME).is_file())


@frozen
class SessionSummary:
    folder: Path
    header: Header | None  # None when the journal cannot be read
    answers: int
    finished: bool
    problem: str = ""


def list_sessions(workspace: Path = DEFAULT_WORKSPACE) -> list[SessionSummary]:
    """One line of facts per session, without loading the copies; a damaged journal is listed, not fatal."""
    summaries: list[SessionSummary] = []
    for folder in session_folders(workspace):
        try:
            contents = read_journal(folder / JOURNAL_NAME)
        except JournalError as error:
            summaries.append(SessionSummary(folder, None, 0, False, str(error)))
            continue
        answers = len(standing_answers(contents.events))  # a withdrawn answer does not count
        summaries.append(SessionSummary(folder, contents.header, answers, contents.ended))
    return summaries


def unfinished_sessions(workspace: Path = DEFAULT_WORKSPACE) -> list[SessionSummary]:
    return [s for s in list_sessions(workspace) if s.header is not None and not s.finished]


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` in one step by ttx's output rules (simulator.safewrite); never a journal or a copy."""
    from simulator.safewrite import write_output

    write_output(path, text, force=True)
