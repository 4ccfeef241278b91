"""The columns of an MSEL sheet: what ttx writes as headers and every other name it accepts.

Headers are matched after normalising both sides (case, punctuation, spacing, '#' and 'no.'
read as 'number'), so "Inject #", "inject no." and "INJECT NUMBER" are the same column.
"""

from __future__ import annotations

import re

from simulator.frozen import frozen


@frozen
class Column:
    key: str  # the field's name inside ttx
    header: str  # what ttx writes as the header
    synonyms: tuple[str, ...] = ()
    note_label: str = ""  # non-empty: the text goes to the facilitator notes under this label
    export_only: bool = False  # written for the reader, ignored when importing


COLUMNS: tuple[Column, ...] = (
    Column("number", "Event no.", ("event number", "inject number", "inject id", "msel number",
                                   "serial", "number", "event id", "item")),
    Column("time", "Scenario time", ("time", "clock", "exercise time", "inject time", "event time",
                                     "time of inject", "mission time",
                                     "designated scenario time", "scenario clock", "hh mm")),
    Column("day", "Scenario day", ("day", "date", "exercise day", "scenario date", "event date")),
    Column("stage", "Stage", ("phase", "ttx stage", "exercise phase", "incident phase")),
    Column("step", "Step", ("step id", "ttx step", "scene", "scene id")),
    Column("kind", "Row kind", ("kind", "row type", "entry type", "ttx kind", "record type")),
    Column("title", "Title", ("step title", "event title", "event name", "inject title", "headline", "heading")),
    Column("inject", "Inject", ("event synopsis", "synopsis", "inject description", "description", "inject text",
                                "event description", "narrative", "details", "message", "scenario text",
                                "story", "event", "inject event", "content", "body")),
    Column("method", "Delivery method", ("delivery", "method", "inject type", "inject method", "mode",
                                         "medium", "channel", "artifact kind", "artifact type", "type",
                                         "inject mode", "delivery mode")),
    Column("artifact_title", "Artifact title", ("artifact", "evidence", "evidence title", "document title",
                                                "attachment", "subject")),
    Column("sender", "From", ("originator", "sender", "from originator", "source", "sent by",
                              "simulated entity", "from sender")),
    Column("recipient", "To", ("recipient", "recipients", "intended player", "intended players", "player",
                               "players", "receiver", "sent to", "to recipient", "to player")),
    Column("question", "Decision question", ("decision", "question", "who acts", "ask", "key question",
                                             "ttx question", "decision point")),
    Column("decision_id", "Decision ID", ("decision id", "question id")),
    Column("responsibility", "Responsibility", ("responsibility id", "duty", "raci item", "checklist item",
                                                "owner responsibility")),
    Column("expect", "Expect", ("expects", "expected", "expected owner type", "owner expected")),
    Column("weight", "Weight", ("points", "importance")),
    Column("critical", "Critical", ("critical decision", "is critical", "critical flag")),
    Column("time_limit", "Time limit (s)", ("time limit", "timer", "countdown", "time limit seconds",
                                            "seconds", "time allowed")),
    Column("consequences", "Consequences", ("consequence", "on", "if", "outcome consequences",
                                            "on outcome", "triggers")),
    Column("goto", "Go to step", ("goto", "go to", "jump to", "next step", "jump to step")),
    Column("discussion", "Discussion questions", ("discussion", "discussion question", "discussion prompt",
                                                  "discussion prompts", "prompts", "questions for discussion")),
    Column("facilitator", "Facilitator notes", ("facilitator", "notes", "facilitator note", "ttx notes")),
    Column("expected_action", "Expected player action", ("expected action", "expected actions",
                                                         "expected player actions", "expected outcome",
                                                         "expected response", "player action",
                                                         "expected players action"),
           note_label="Expected player action"),
    Column("controller", "Controller notes", ("controller", "controller note", "controller instructions",
                                              "control notes"), note_label="Controller notes"),
    Column("evaluator", "Evaluator notes", ("evaluator", "evaluator note", "evaluator guidance",
                                            "evaluation notes", "evaluation criteria"), note_label="Evaluator notes"),
    Column("objective", "Objective", ("objectives", "core capability", "core capabilities", "capability",
                                      "capabilities", "exercise objective", "objective core capability",
                                      "objective capability"), note_label="Objective / core capability"),
    Column("owner_a", "Expected owner (A)", ("accountable", "expected owner a", "owner a"), export_only=True),
    Column("owner_r", "Expected owner (R)", ("responsible", "expected owner r", "owner r"), export_only=True),
    Column("why", "Why (from the map)", ("why", "map why", "rationale"), export_only=True),
)  # fmt: skip

BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

# The columns of the key/value "Scenario" sheet (and of CSV rows whose kind is "scenario").
FIELD_HEADERS = ("Field", "Value")


def normalise(header: str) -> str:
    """A header reduced to lower-case words: 'Inject #' -> 'inject number', 'Time-limit (s)' -> 'time limit s'."""
    text = header.lower().replace("#", " number ").replace("№", " number ")
    text = re.sub(r"\bno\b\.?", " number ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.key.replace("_", " "), *_column.synonyms):
        _LOOKUP.setdefault(normalise(_name), _column.key)
# "Time limit (s)" normalises to "time limit s"; "(secs)" and "(seconds)" variants too.
_LOOKUP.setdefault("time limit secs", "time_limit")


def match_header(header: str) -> str | None:
    """The column key a header names, or None when ttx does not know it."""
    return _LOOKUP.get(normalise(header))


def known_headers() -> list[str]:
    """Every accepted header, as written in the docs (for "did you mean")."""
    return [name for column in COLUMNS for name in (column.header, *column.synonyms)]
