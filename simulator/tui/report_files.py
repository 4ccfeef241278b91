"""Write a session's report files; no Textual here."""

from __future__ import annotations

from pathlib import Path

from simulator.play import PlayableSession
from simulator.reporting.json_report import build_report, dumps_report
from simulator.scoring import SessionScore
from simulator.sessions import REPORT_JSON, write_atomically


def write_reports(session: PlayableSession, score: SessionScore) -> list[Path]:
    """Every report format available, into the session folder; returns the paths written."""
    engine = session.engine
    report = build_report(session.header, engine.scenario, engine.authority_map, score)
    path = session.folder / REPORT_JSON
    write_atomically(path, dumps_report(report))
    return [path]
