"""A fixed, seeded session for the report tests: every outcome kind, ballots, notes, a map gap.

The journal's clock is replaced by a counter, so the same session gives byte-identical reports.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from simulator.engine import Engine
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.sessions import create_session

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
STARTED = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)

NAMES = ("Ana Silva", "Ben Okafor", "Chris Wong")
HOSTILE_NAMES = ("<script>alert(1)</script>", "| pipe | break", "Chris `x` **y** [z](https://evil.example/a)")
HOSTILE_NOTE = (
    "</style><img src=https://evil.example/p.png> # heading\n| a | b |\n[link](https://evil.example/x) <b>bold</b>"
)


def _answers(names: tuple[str, str, str]) -> dict[str, dict[str, Any]]:
    ana, ben, chris = names
    return {
        "who-triages": {
            "roles": ["soc-analyst"],
            "answered_by": ana,
            "latency_ms": 12_000,
            "ballots": {ana: ["soc-analyst"], ben: ["soc-lead"], chris: ["soc-analyst"]},
        },
        "who-confirms": {"roles": ["msp-service-manager"], "answered_by": ben, "latency_ms": 45_000},
        "who-rates": {"roles": ["soc-lead"], "answered_by": ana, "latency_ms": 20_000},
        "who-authorises": {
            "roles": ["client-admin"],
            "answered_by": chris,
            "latency_ms": 95_000,
            "ballots": {ana: ["msp-duty-engineer"], ben: ["client-admin"], chris: ["client-admin"]},
        },
        "who-isolates": {"roles": ["msp-service-manager"], "answered_by": ben, "latency_ms": 30_000},
        "who-speaks": {"roles": ["soc-lead", "msp-service-manager"], "answered_by": ben, "latency_ms": 25_000},
        "who-leads": {"roles": [], "answered_by": "team", "latency_ms": 60_000, "timed_out": True},
        "who-records": {"roles": ["msp-service-manager"], "answered_by": ben, "latency_ms": 8_000},
    }


def _hostile_copies(folder: Path) -> tuple[Path, Path]:
    text = (FIXTURES / "map.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Client IT lead", 'name: "Client <b>IT</b> | lead"')
    text = text.replace("title: Golden MSP map", 'title: "# Map <style>body{display:none}</style>"')
    text = text.replace(
        "why: The client owns its systems; the MSP isolates once the client says go.",
        'why: "Client | owns | it <script>alert(2)</script> `tick` *star* _under_"',
    )
    map_path = folder / "hostile-map.yaml"
    map_path.write_text(text, encoding="utf-8")
    text = (FIXTURES / "scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("client: {choice: [Acme Logistics]}", "client: {choice: ['<script>alert(3)</script> | Acme']}")
    text = text.replace(
        "The ticket was opened as P3.",
        "The ticket was opened as P3. <img src=https://evil.example/i.png> url(https://evil.example/c.css)",
    )
    scenario_path = folder / "hostile-scenario.yaml"
    scenario_path.write_text(text, encoding="utf-8")
    return scenario_path, map_path


def make_session(workspace: Path, monkeypatch: pytest.MonkeyPatch, hostile: bool = False) -> Path:
    """Play the fixture scenario with scripted answers, ballots and notes; returns the session folder."""
    moments = (STARTED + timedelta(seconds=5 + 37 * n) for n in range(10_000))
    monkeypatch.setattr("simulator.journal.utc_now", lambda: next(moments).isoformat(timespec="milliseconds"))
    names = HOSTILE_NAMES if hostile else NAMES
    if hostile:
        workspace.mkdir(parents=True, exist_ok=True)
        scenario_path, map_path = _hostile_copies(workspace)
    else:
        scenario_path, map_path = FIXTURES / "scenario.yaml", FIXTURES / "map.yaml"
    scenario, authority_map = load_scenario(scenario_path), load_map(map_path)
    roster = Roster(
        participants=[
            Participant(name=names[0], roles=["soc-lead", "soc-analyst", "msp-duty-engineer"]),
            Participant(name=names[1], roles=["msp-service-manager"]),
            Participant(name=names[2], roles=["client-admin"]),
        ]
    )
    new = create_session(
        workspace, scenario_path, scenario, map_path, authority_map, roster, 42, "facilitated", now=STARTED
    )
    script = _answers(names)
    with new.journal:
        engine = Engine(scenario, authority_map, roster, 42, journal=new.journal)
        engine.start()
        while not engine.finished:
            pending = engine.pending_decision
            assert pending is not None
            if pending.decision.id == "who-authorises":
                engine.note(HOSTILE_NOTE if hostile else "The room argued about who may isolate.", names[1])
            answer = dict(script[pending.decision.id])
            engine.answer(answer.pop("roles"), **answer)
        engine.note("Hotwash: nobody knew the deputy rule for the client IT lead.", "facilitator")
    return new.folder
