"""Session folders under a workspace.

    reports/20261123-021400-ransomware-file-server-msp/
        journal.jsonl     the single source of truth
        scenario.yaml     copy of the scenario as played
        map.yaml          copy of the authority map as played
        report.json       written when the session ends (recomputable from the three above)

The copies let a session be resumed and re-scored after the originals moved or changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from simulator.corrections import standing_answers
from simulator.journal import Journal, JournalContents, JournalError, read_journal
from simulator.loading import load_map, load_scenario
from simulator.loading.findings import did_you_mean
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.records import Header, Mode, SourceFile

DEFAULT_WORKSPACE = Path("reports")
JOURNAL_NAME = "journal.jsonl"
SCENARIO_COPY = "scenario.yaml"
MAP_COPY = "map.yaml"
REPORT_JSON = "report.json"


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


def _keep_copy(source: Path, folder: Path, copy_name: str, model_id: str) -> SourceFile:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise SessionError(f"cannot read {source}: {error.strerror or error}") from None
    (folder / copy_name).write_bytes(data)  # the very bytes that were hashed
    return SourceFile(id=model_id, path=str(source.resolve()), sha256=sha256_of(data), copy=copy_name)


def roster_to_json(roster: Roster) -> list[dict[str, object]]:
    return [{"name": p.name, "roles": list(p.roles)} for p in roster.participants]


def roster_from_json(data: list[dict[str, object]]) -> Roster:
    return Roster.model_validate({"participants": data})


@dataclass
class NewSession:
    folder: Path
    header: Header
    journal: Journal


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
    """Make the session folder, keep copies of the files, and open its journal with the header written."""
    moment = now or datetime.now(timezone.utc)
    folder = _new_folder(workspace, f"{_stamp(moment)}-{scenario.id}-{authority_map.id}")
    header = Header(
        scenario=_keep_copy(scenario_path, folder, SCENARIO_COPY, scenario.id),
        map=_keep_copy(map_path, folder, MAP_COPY, authority_map.id),
        seed=seed,
        roster=roster_to_json(roster),
        mode=mode,
        started_at=moment.astimezone(timezone.utc).isoformat(timespec="seconds"),
    )
    journal = Journal.create(folder / JOURNAL_NAME, header)
    return NewSession(folder, header, journal)


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
    if original.is_file():
        try:
            if sha256_of(original.read_bytes()) != source.sha256:
                notes.append(
                    f"{what} changed since the session started;"
                    f" {purpose} with the copy kept in the session folder (original: {original})"
                )
        except OSError:
            pass
    copy = folder / source.copy
    if copy.is_file() and sha256_of(copy.read_bytes()) != source.sha256:
        notes.append(f"the {what} copy in the session folder ({copy}) was edited after the session started")
    return notes


def load_session(folder: Path, purpose: str = "resuming") -> Session:
    """Read a session folder. Raises SessionError, JournalError, or LoadError for a bad copy.

    `purpose` words the warning about changed originals ("resuming", "reporting").
    """
    journal_path = folder / JOURNAL_NAME
    if not journal_path.is_file():
        raise SessionError(f"{folder} is not a session folder: no {JOURNAL_NAME}")
    contents = read_journal(journal_path)
    header = contents.header
    for source, what in ((header.scenario, "scenario"), (header.map, "map")):
        if not (folder / source.copy).is_file():
            raise SessionError(f"{folder}: the {what} copy '{source.copy}' is missing")
    scenario = load_scenario(folder / header.scenario.copy)
    authority_map = load_map(folder / header.map.copy)
    try:
        roster = roster_from_json(header.roster)
    except ValueError as error:
        raise JournalError(f"{journal_path}:1: malformed roster in the header ({error})") from None
    warnings = list(contents.warnings)
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


@dataclass(frozen=True)
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
    """Replace `path` in one step, so a reader never sees half a report."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a failed write leaves nothing behind
        raise
