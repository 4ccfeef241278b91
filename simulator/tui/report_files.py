"""Write a session's report files; no Textual here."""

from __future__ import annotations

from pathlib import Path

from simulator.journal import JournalError, read_journal
from simulator.map_revisions import resolved_by_map
from simulator.play import PlayableSession
from simulator.reporting.files import SessionReport, write_session_reports
from simulator.scoring import SessionScore
from simulator.sessions import JOURNAL_NAME


def write_reports(session: PlayableSession, score: SessionScore) -> list[Path]:
    """Every report format, into the session folder; returns the paths written.

    The timeline reads the journal on disk, whose times are those of play; a
    resumed engine's own events were replayed just now.
    """
    engine = session.engine
    try:
        events = read_journal(session.folder / JOURNAL_NAME).events
    except JournalError:
        events = engine.events
    resolved = resolved_by_map(session.folder)
    report = SessionReport(session.header, engine.scenario, engine.authority_map, events, score, resolved)
    return write_session_reports(report, session.folder)
