"""Rows of an MSEL sheet -> a validated Scenario, every problem located as file:row:column.

One row per event. Rows sharing a step id (or following one without a step id) make one step;
a row's inject text is the step's story, or one of its artifacts when the delivery method is a
kind of evidence (email, phone call, log...); a row with a question is a decision. Expected
player action, controller and evaluator notes, objectives and unknown columns go to the
facilitator notes, labelled, so nothing a planner wrote is lost.

Each value built from the sheet remembers the cell it came from; `simulator.msel.located` then
checks the data as a scenario file is checked, with findings at those cells.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.catalogue import CATALOGUE, STAGES
from simulator.loading.findings import Finding, did_you_mean
from simulator.loading.yamlsource import Path
from simulator.model import Scenario
from simulator.msel import cells
from simulator.msel.columns import BY_KEY, FIELD_HEADERS, match_header, normalise
from simulator.msel.located import validate
from simulator.msel.sheet import Row, SheetError, Table, column_letter

HEADER_SEARCH_ROWS = 10
KINDS = {
    "scenario": "scenario",
    "inject": "inject",
    "step": "inject",
    "event": "inject",
    "narrative": "inject",
    "story": "inject",
    "artifact": "artifact",
    "evidence": "artifact",
    "decision": "decision",
    "question": "decision",
    "consequence": "consequence",
}
# Fields where a second column of the same meaning is kept as notes rather than refused.
TEXT_KEYS = frozenset(
    {"number", "day", "title", "inject", "artifact_title", "discussion", "facilitator", "expected_action",
     "controller", "evaluator", "objective", "owner_a", "owner_r", "why"}
)  # fmt: skip
SCENARIO_FIELDS = ("id", "title", "summary", "audience", "duration_minutes")
_FIELD_ALIASES = {"duration": "duration_minutes", "duration minutes": "duration_minutes", "minutes": "duration_minutes"}


@dataclass
class Imported:
    scenario: Scenario
    notes: list[str]  # what the user should hear about: unknown columns, hidden rows, guesses


@dataclass
class _Step:
    index: int  # position in the scenario's steps
    data: dict[str, Any]
    first_row: int
    notes: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.file = table.file
        self.columns: dict[str, int] = {}
        self.headers: dict[int, str] = {}
        self.unknown: list[int] = []
        self.header_row = 0
        self.marks: dict[Path, tuple[int, int]] = {}
        self.labels: dict[Path, str] = {}
        self.findings: list[Finding] = []
        self.notes: list[str] = list(table.notes)
        self.steps: list[_Step] = []
        self.step_index: dict[str, int] = {}
        self.consequences: dict[str, dict[str, Any]] = {}
        self.meta: dict[str, Any] = {}
        self.variables: dict[str, Any] = {}
        self.first_date: list[str] = []
        self.unknown_methods: set[str] = set()
        self.second_columns: set[int] = set()  # a known field's second column, kept as notes
        self.stage_given: set[int] = set()  # steps whose stage a row wrote (not inherited)

    # --- where things are -------------------------------------------------------------------

    def column_of(self, key: str) -> int:
        return self.columns.get(key, 1)

    def label(self, column: int) -> str:
        return self.headers.get(column) or f"column {column_letter(column)}"

    def mark(self, path: Path, row: int, key: str) -> None:
        column = self.column_of(key)
        self.marks[path] = (row, column)
        self.labels[path] = self.label(column) if key in self.columns else ""

    def error(self, row: int, key: str, message: str) -> None:
        column = self.column_of(key)
        prefix = f"{self.label(column)}: " if key in self.columns else ""
        self.findings.append(Finding(self.file, row, column, prefix + message))

    def cell(self, row: Row, key: str) -> str:
        column = self.columns.get(key)
        return row.get(column).strip() if column else ""

    def text(self, row: Row, key: str) -> str:
        """A multi-line text cell: blank lead-in lines and trailing space dropped, indentation kept."""
        column = self.columns.get(key)
        if not column:
            return ""
        raw = row.get(column)
        lines = raw.rstrip().split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        text = "\n".join(lines)
        # A block that ended with a line break (a log excerpt, an email) keeps one, as YAML's "|" does.
        return text + "\n" if text and raw.rstrip(" \t").endswith("\n") else text

    # --- the header ---------------------------------------------------------------------------

    def find_header(self) -> int:
        """Index in table.rows of the header row: the first of the top rows naming two known columns."""
        for index, row in enumerate(self.table.rows[:HEADER_SEARCH_ROWS]):
            if sum(match_header(cell) is not None for cell in row.cells if cell.strip()) >= 2:
                self.read_header(row)
                return index
        first = self.table.rows[0].number if self.table.rows else 1
        raise SheetError(
            [
                Finding(
                    self.file,
                    first,
                    1,
                    "no header row found in the first rows; expected column names such as 'Scenario time', 'Stage',"
                    " 'Inject', 'Decision question', 'Responsibility' (see docs/msel.md)",
                )
            ]
        )

    def read_header(self, row: Row) -> None:
        self.header_row = row.number
        for column, header in enumerate(row.cells, start=1):
            name = " ".join(header.split())
            if not name:
                continue
            self.headers[column] = name
            key = match_header(name)
            if key is None:
                self.unknown.append(column)
            elif key in self.columns and key in TEXT_KEYS:
                # Two story or note columns ("Event synopsis" and "Message"): the first is the field,
                # the other is kept, labelled, in the facilitator notes.
                self.unknown.append(column)
                self.second_columns.add(column)
                self.notes.append(
                    f"column '{name}' ({column_letter(column)}) also means '{BY_KEY[key].header}'; column"
                    f" {column_letter(self.columns[key])} is used for it and this one kept in the facilitator notes"
                )
            elif key in self.columns:
                other = self.columns[key]
                self.findings.append(
                    Finding(
                        self.file,
                        row.number,
                        column,
                        f"column '{name}' and column '{self.headers[other]}' ({column_letter(other)}) both mean"
                        f" '{BY_KEY[key].header}'; expected one column each — rename or delete one",
                    )
                )
            else:
                self.columns[key] = column
        if "inject" not in self.columns and "question" not in self.columns:
            self.findings.append(
                Finding(
                    self.file,
                    row.number,
                    1,
                    "no 'Inject' column (the story of each event) and no 'Decision question' column; expected at"
                    " least one, e.g. a header 'Event synopsis' or 'Inject'",
                )
            )

    def headerless_columns(self, rows: list[Row]) -> None:
        """Columns holding text under no header are kept like unknown ones."""
        known = set(self.headers)
        for row in rows:
            for column, value in enumerate(row.cells, start=1):
                if value.strip() and column not in known:
                    known.add(column)
                    self.unknown.append(column)
        self.unknown.sort()

    # --- rows -----------------------------------------------------------------------------------

    def row_kind(self, row: Row) -> str | None:
        value = self.cell(row, "kind")
        if not value:
            return None
        kind = KINDS.get(normalise(value))
        if kind is None:
            self.error(
                row.number,
                "kind",
                f"unknown row kind '{value}'{did_you_mean(value.lower(), KINDS)}; expected one of:"
                " inject, artifact, decision, consequence, scenario (or leave it empty)",
            )
        return kind

    def add_row(self, row: Row) -> None:
        kind = self.row_kind(row)
        if kind == "scenario":
            self.scenario_field(row, self.cell(row, "step") or self.cell(row, "title"), self.text(row, "inject"))
            return
        if kind == "consequence":
            self.add_consequence(row)
            return
        story = self.text(row, "inject")
        method = self.cell(row, "method")
        artifact: str | None = None
        if story or kind == "artifact":
            found, known = cells.artifact_kind(method)
            artifact = found if kind != "inject" else None
            if kind == "artifact" and artifact is None:
                artifact = "document"
            if not known and artifact is not None:
                self.unknown_methods.add(method)
        step = self.step_for(row, starts_story=bool(story) and artifact is None)
        if step is None:
            return
        index = step.index
        data = step.data
        title = self.text(row, "title")
        if title and "title" not in data and artifact is None:
            data["title"] = title
            self.mark(("steps", index, "title"), row.number, "title")
        if story and artifact is None:
            if "inject" not in data:
                self.mark(("steps", index, "inject"), row.number, "inject")
            data["inject"] = f"{data['inject']}\n\n{story}" if "inject" in data else story
            self.sender_note(row, step)
        elif artifact is not None:
            self.add_artifact(row, index, artifact, title)
        if self.cell(row, "question"):
            self.add_decision(row, index)
        else:
            for key in ("responsibility", "expect", "weight", "critical", "time_limit", "consequences"):
                if self.cell(row, key):
                    self.error(
                        row.number,
                        key,
                        f"'{self.cell(row, key)}' belongs to a decision but this row has no question; expected the"
                        " question in the 'Decision question' column of the same row",
                    )
                    break
        for question in cells.discussion(self.text(row, "discussion")):
            data.setdefault("discussion", []).append(question)
            self.mark(("steps", index, "discussion", len(data["discussion"]) - 1), row.number, "discussion")
        self.collect_notes(row, step)

    def step_for(self, row: Row, *, starts_story: bool) -> _Step | None:
        step_id = cells.identifier(self.cell(row, "step"))
        current = self.steps[-1] if self.steps else None
        stage = self.cell(row, "stage").lower()
        if "step" in self.columns:
            new = current is None or (bool(step_id) and step_id != current.data.get("id"))
        else:
            new = current is None or starts_story or (bool(stage) and stage != current.data.get("stage"))
        if new:
            if step_id and step_id in self.step_index:
                first = self.steps[self.step_index[step_id]].first_row
                self.error(
                    row.number,
                    "step",
                    f"step '{step_id}' comes back after other steps (it started at row {first}); expected a step's"
                    " rows together — move this row up or give it a new step id",
                )
                return None
            index = len(self.steps)
            data: dict[str, Any] = {}
            if step_id:
                data["id"] = step_id
                self.step_index[step_id] = index
            current = _Step(index, data, row.number)
            self.steps.append(current)
            self.marks[("steps", index)] = (row.number, self.column_of("inject"))
            self.mark(("steps", index, "id"), row.number, "step")
            previous = self.steps[index - 1].data.get("stage") if index else None
            if not stage and previous:
                data["stage"] = previous  # a planner writes the stage where it changes
                self.mark(("steps", index, "stage"), row.number, "stage")
        assert current is not None
        index = current.index
        if stage:
            given = current.data.get("stage")
            if given and given != stage and index in self.stage_given:
                self.error(
                    row.number,
                    "stage",
                    f"stage '{stage}' differs from '{given}' given for this step at row"
                    f" {self.marks[('steps', index, 'stage')][0]}; expected one stage per step — give this row"
                    " its own step id",
                )
            else:
                current.data["stage"] = stage
                self.stage_given.add(index)
                self.mark(("steps", index, "stage"), row.number, "stage")
        time_text = self.cell(row, "time")
        if time_text and "clock" not in current.data:
            day = None
            if self.cell(row, "day"):
                day = cells.day_number(self.cell(row, "day"), self.first_date)
                if day is None or day < 1:
                    self.error(
                        row.number, "day", f"cannot read day '{self.cell(row, 'day')}'; expected 2, Day 2 or a date"
                    )
            current.data["clock"] = cells.clock(time_text, day)
            self.mark(("steps", index, "clock"), row.number, "time")
        return current

    def add_artifact(self, row: Row, index: int, kind: str, title: str) -> None:
        artifacts = self.steps[index].data.setdefault("artifacts", [])
        path: Path = ("steps", index, "artifacts", len(artifacts))
        sender, recipient = self.cell(row, "sender"), self.cell(row, "recipient")
        heading = self.text(row, "artifact_title") or title
        if not heading:
            # "Email from Helpdesk to SOC": the HSEEP way of naming an inject by how it arrives.
            method = self.cell(row, "method") or kind
            parts = [method[:1].upper() + method[1:]]
            parts += [f"from {sender}"] if sender else []
            parts += [f"to {recipient}"] if recipient else []
            heading = " ".join(parts)
        artifacts.append({"kind": kind, "title": heading, "body": self.text(row, "inject")})
        self.marks[path] = (row.number, self.column_of("inject"))
        self.mark((*path, "kind"), row.number, "method")
        self.mark((*path, "title"), row.number, "artifact_title" if "artifact_title" in self.columns else "title")
        self.mark((*path, "body"), row.number, "inject")

    def add_decision(self, row: Row, index: int) -> None:
        decisions = self.steps[index].data.setdefault("decisions", [])
        base: Path = ("steps", index, "decisions", len(decisions))
        ask = self.text(row, "question")
        decision: dict[str, Any] = {"ask": ask}
        self.marks[base] = (row.number, self.column_of("question"))
        self.mark((*base, "ask"), row.number, "question")
        given_id = cells.identifier(self.cell(row, "decision_id"))
        decision["id"] = given_id or ""
        self.mark((*base, "id"), row.number, "decision_id" if given_id else "question")
        responsibility = self.cell(row, "responsibility")
        if not responsibility:
            self.error(
                row.number,
                "responsibility" if "responsibility" in self.columns else "question",
                "no responsibility for this question; expected a catalogue id such as 'containment.authorize'"
                " in a 'Responsibility' column (the 24 ids are listed in docs/msel.md)",
            )
        else:
            rid = cells.responsibility(responsibility)
            decision["responsibility"] = rid
            if rid not in CATALOGUE:
                self.error(
                    row.number,
                    "responsibility",
                    f"unknown responsibility '{responsibility}'; expected a catalogue id (see docs/msel.md)"
                    f"{cells.responsibility_hint(responsibility)}",
                )
            self.mark((*base, "responsibility"), row.number, "responsibility")
        readers: dict[str, Callable[[str], object]] = {
            "expect": cells.expect,
            "weight": str,
            "critical": cells.flag,
            "time_limit": cells.seconds,
        }
        for key, read in readers.items():
            value = self.cell(row, key)
            if value:
                name = "time_limit_s" if key == "time_limit" else key
                decision[name] = read(value)
                self.mark((*base, name), row.number, key)
        consequences = self.cell(row, "consequences")
        if consequences:
            parsed = cells.consequences(consequences)
            if parsed is None:
                self.error(
                    row.number,
                    "consequences",
                    f"cannot read '{consequences}'; expected 'outcome: consequence-id' pairs separated by ';',"
                    " e.g. 'gap: triage-delayed; drift: wrong-team'",
                )
            else:
                decision["on"] = parsed
                self.mark((*base, "on"), row.number, "consequences")
        decisions.append(decision)

    def add_consequence(self, row: Row) -> None:
        cid = cells.identifier(self.cell(row, "step"))
        if not cid:
            self.error(
                row.number,
                "step",
                "a consequence row needs its id in the 'Step' column; expected e.g. 'triage-delayed'",
            )
            return
        if cid in self.consequences:
            self.error(row.number, "step", f"duplicate consequence id '{cid}'; expected each consequence once")
            return
        data: dict[str, Any] = {}
        base: Path = ("consequences", cid)
        self.marks[base] = (row.number, self.column_of("step"))
        self.labels[base] = self.label(self.column_of("step")) if "step" in self.columns else ""
        for key, name, read in (
            ("title", "title", str),
            ("time", "clock_advance", cells.duration),
            ("inject", "inject", str),
            ("goto", "goto", cells.identifier),
        ):
            value = self.text(row, key) if key in ("title", "inject") else self.cell(row, key)
            if value:
                data[name] = read(value)
                self.mark((*base, name), row.number, key)
        self.consequences[cid] = data

    def scenario_field(self, row: Row, name: str, value: str, value_key: str = "inject") -> None:
        words = normalise(name)
        key = _FIELD_ALIASES.get(words, words.replace(" ", "_"))
        if words.startswith("variable "):
            variable = name.strip().split(None, 1)[1].strip()
            spec: Any = value.strip()
            if spec.startswith("{"):
                try:
                    spec = json.loads(spec)
                except ValueError:
                    self.error(
                        row.number,
                        value_key,
                        f"cannot read variable '{variable}': expected a Faker provider name or JSON such as"
                        ' {"faker": "word", "prefix": "fs-"} or {"choice": ["a", "b"]}',
                    )
                    return
            self.variables[variable] = spec
            self.mark(("variables", variable), row.number, value_key)
        elif key in SCENARIO_FIELDS:
            self.meta[key] = value.strip()
            self.mark((key,), row.number, value_key)
        elif name.strip():
            self.notes.append(f"row {row.number}: scenario field '{name.strip()}' is not one ttx knows; ignored")

    def sender_note(self, row: Row, step: _Step) -> None:
        sender, recipient = self.cell(row, "sender"), self.cell(row, "recipient")
        if sender or recipient:
            parts = [f"From: {sender}" if sender else "", f"To: {recipient}" if recipient else ""]
            step.notes.append(" — ".join(part for part in parts if part))

    def collect_notes(self, row: Row, step: _Step) -> None:
        plain = self.text(row, "facilitator")
        if plain:
            step.notes.append(plain)
        for key in ("expected_action", "controller", "evaluator", "objective"):
            value = self.text(row, key)
            if value:
                step.notes.append(f"{BY_KEY[key].note_label}: {value}")
        for column in self.unknown:
            value = row.get(column).strip()
            if value:
                step.notes.append(f"{self.label(column)}: {value}")

    # --- the whole scenario -----------------------------------------------------------------------

    def finish(self, scenario_id: str | None, title: str | None, default_id: str) -> dict[str, Any]:
        taken: set[str] = set()
        decision_ids = {d["id"] for s in self.steps for d in s.data.get("decisions", []) if d["id"]}
        for index, step in enumerate(self.steps):
            data = step.data
            if "stage" not in data:
                self.error(
                    step.first_row,
                    "stage",
                    "no stage for this step"
                    + ("" if "stage" in self.columns else " (the sheet has no 'Stage' column)")
                    + f"; expected one of: {', '.join(STAGES)}",
                )
            if "inject" not in data and data.get("artifacts"):
                # Every row of this step is delivered evidence: the inject announces what arrives.
                data["inject"] = data.get("title") or "\n".join(a["title"] + "." for a in data["artifacts"])
                self.marks[("steps", index, "inject")] = self.marks[("steps", index, "artifacts", 0, "title")]
            if "inject" not in data:
                self.error(
                    step.first_row,
                    "inject",
                    f"step '{data.get('id', index + 1)}' has no inject text; expected the story of the event in"
                    " the 'Inject' column of one of its rows",
                )
            if "id" not in data:
                base = cells.slug(data.get("title") or str(data.get("stage", "step")), 32)
                data["id"] = _unique(base, taken | set(self.step_index))
            taken.add(data["id"])
            for decision in data.get("decisions", []):
                if not decision["id"]:
                    decision["id"] = _unique(cells.slug(decision["ask"]), decision_ids)
                    decision_ids.add(decision["id"])
            if step.notes:
                data["facilitator_notes"] = "\n\n".join(step.notes)
                self.marks.setdefault(("steps", index, "facilitator_notes"), (step.first_row, 1))
        if self.unknown_methods:
            names = ", ".join(f"'{m}'" for m in sorted(self.unknown_methods))
            self.notes.append(f"delivery methods ttx does not know, shown as documents: {names}")
        unknown = [c for c in self.unknown if c not in self.second_columns]
        if unknown:
            names = ", ".join(f"'{self.label(c)}' ({column_letter(c)})" for c in unknown)
            self.notes.append(f"columns ttx does not know, kept in the facilitator notes: {names}")
        out: dict[str, Any] = {
            "id": scenario_id or self.meta.get("id") or default_id,
            "title": title or self.meta.get("title") or default_id.replace("-", " ").capitalize(),
        }
        for key in ("summary", "audience", "duration_minutes"):
            if self.meta.get(key):
                out[key] = self.meta[key]
        if self.variables:
            out["variables"] = self.variables
        out["steps"] = [step.data for step in self.steps]
        if self.consequences:
            out["consequences"] = self.consequences
        return out


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def rows_to_scenario(
    events: Table,
    scenario_sheet: Table | None = None,
    *,
    scenario_id: str | None = None,
    title: str | None = None,
    default_id: str = "imported-msel",
) -> Imported:
    """The scenario an MSEL describes, or a SheetError naming every problem by row and column."""
    builder = _Builder(events)
    header_index = builder.find_header()
    body = events.rows[header_index + 1 :]
    builder.headerless_columns(body)
    if builder.findings:
        raise SheetError(builder.findings)
    if scenario_sheet is not None:
        _read_scenario_sheet(builder, scenario_sheet)
    for row in body:
        builder.add_row(row)
    if not builder.steps:
        builder.findings.append(
            Finding(events.file, builder.header_row, 1, "no events under the header row; expected one row per event")
        )
    data = builder.finish(scenario_id, title, default_id)
    if builder.findings:
        raise SheetError(builder.findings)
    scenario = validate(events.file, data, builder.marks, builder.labels)
    return Imported(scenario, builder.notes)


def _read_scenario_sheet(builder: _Builder, sheet: Table) -> None:
    """The key/value rows of a 'Scenario' sheet (Field | Value); located in that sheet's own rows."""
    rows = sheet.rows
    if rows and [normalise(c) for c in rows[0].cells[:2]] == [normalise(h) for h in FIELD_HEADERS]:
        rows = rows[1:]
    saved = dict(builder.columns), dict(builder.headers)
    builder.columns, builder.headers = {"step": 1, "inject": 2}, {1: f"{sheet.name}!A", 2: f"{sheet.name}!B"}
    for row in rows:
        builder.scenario_field(row, row.get(1), row.get(2))
    builder.columns, builder.headers = saved
