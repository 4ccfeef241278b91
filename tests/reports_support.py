"""A fixed, seeded session for the report tests: every outcome kind, ballots, notes, a map gap.

The journal's clock is replaced by a counter, so the same session gives byte-identical reports.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
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


def make_session(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    hostile: bool = False,
    started: datetime = STARTED,
    changes: dict[str, list[str]] | None = None,
) -> Path:
    """Play the fixture scenario with scripted answers, ballots and notes; returns the session folder.

    `changes` replaces the roles answered to some decisions (decision id -> roles).
    """
    moments = (started + timedelta(seconds=5 + 37 * n) for n in range(10_000))
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
        workspace, scenario_path, scenario, map_path, authority_map, roster, 42, "facilitated", now=started
    )
    script = _answers(names)
    for decision, roles in (changes or {}).items():
        script[decision] = {**script[decision], "roles": roles, "timed_out": False}
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


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FETCHING = {"script", "img", "iframe", "link", "object", "embed", "audio", "video", "source", "image", "use"}
URL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


class StrictChecker(HTMLParser):
    """Fails on anything a strict reading of the document would: bad nesting, stray end tags, fetches."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.tags: set[str] = set()
        self.doctype = False
        self.in_style = False
        self.styles: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in FETCHING:
            self.problems.append(f"<{tag}> would fetch or run something")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            linking = name in ("src", "href", "xlink:href", "action", "formaction", "poster", "srcset")
            if linking and value and (URL.match(value) or value.lower().startswith(("javascript:", "data:text"))):
                self.problems.append(f"<{tag} {name}={value!r}> points outside the document")
            if name == "style" and value and ("url(" in value or "@import" in value):
                self.problems.append(f"inline style with a url on <{tag}>")
            if name == "id" and value:
                if value in self.ids:
                    self.problems.append(f"duplicate id {value}")
                self.ids.add(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.styles.append(data)


def check_html(document: str) -> StrictChecker:
    """Parse strictly; fail on bad nesting, stray end tags, anything fetched or run, a stylesheet that loads."""
    checker = StrictChecker()
    checker.feed(document)
    checker.close()
    assert checker.doctype, "no <!DOCTYPE html>"
    assert not checker.stack, f"unclosed elements: {checker.stack}"
    assert not checker.problems, checker.problems
    css = "".join(checker.styles)
    assert "@import" not in css and not re.search(r"url\(", css), "the stylesheet loads something"
    return checker
