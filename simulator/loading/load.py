"""Load maps, scenarios and rosters: parse, validate shape, check references."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from simulator import schema
from simulator.frozen import frozen
from simulator.loading.checks import check_map, check_roster, check_scenario
from simulator.loading.findings import Finding, LoadError, with_suggestion_budget
from simulator.loading.raw_checks import raw_map_findings, raw_scenario_findings
from simulator.loading.shape import findings_from
from simulator.loading.yamlsource import Document, parse, read_text
from simulator.model import AuthorityMap, Roster, Scenario

Kind = Literal["map", "scenario", "roster"]
ModelT = TypeVar("ModelT", AuthorityMap, Scenario, Roster)


@frozen
class Loaded:
    """A validated file, with what a journal needs to recognise it later."""

    kind: Kind
    path: Path
    model: AuthorityMap | Scenario | Roster
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def detect_kind(document: Document) -> Kind:
    """Tell a map from a scenario from a roster by its top-level keys."""
    keys = set(document.data)
    if "steps" in keys:
        return "scenario"
    if "assignments" in keys or "roles" in keys or "parties" in keys:
        return "map"
    if "participants" in keys:
        return "roster"
    raise LoadError(
        [
            Finding(
                document.file,
                1,
                1,
                "cannot tell what this file is; expected a scenario (with 'steps'),"
                " an authority map (with 'roles' and 'assignments') or a roster (with 'participants')",
            )
        ]
    )


# The pydantic model that validates each kind of file, and the checks of the raw data it may add.
SCHEMAS: dict[type[AuthorityMap | Scenario | Roster], type[BaseModel]] = {
    Scenario: schema.Scenario,
    AuthorityMap: schema.AuthorityMap,
    Roster: schema.Roster,
}
RAW_CHECKS: dict[type[AuthorityMap | Scenario | Roster], Callable[[Document], list[Finding]]] = {
    Scenario: raw_scenario_findings,
    AuthorityMap: raw_map_findings,
}


def _validate(document: Document, model: type[ModelT]) -> ModelT:
    """The file's data checked in full by the schema, as the runtime record `model`; LoadError when it fails."""
    shape = SCHEMAS[model]
    try:
        validated = shape.model_validate(document.data)
    except ValidationError as error:
        findings = findings_from(error, document, shape)
        raw = RAW_CHECKS.get(model)
        if raw is not None:
            seen = set(findings)  # a set: thousands of findings must not be compared pairwise
            findings += (f for f in raw(document) if f not in seen)
        raise LoadError(findings) from None
    return model.from_data(validated.model_dump())


def _parse(path: str | Path, text: str | None) -> Document:
    file = str(path)
    return parse(file, read_text(file) if text is None else text)


@with_suggestion_budget
def load_scenario(path: str | Path, text: str | None = None) -> Scenario:
    document = _parse(path, text)
    scenario = _validate(document, Scenario)
    findings = check_scenario(document, scenario)
    if findings:
        raise LoadError(findings)
    return scenario


@with_suggestion_budget
def load_map(path: str | Path, text: str | None = None) -> AuthorityMap:
    document = _parse(path, text)
    authority_map = _validate(document, AuthorityMap)
    findings = check_map(document, authority_map)
    if findings:
        raise LoadError(findings)
    return authority_map


@with_suggestion_budget
def load_roster(path: str | Path, authority_map: AuthorityMap | None = None, text: str | None = None) -> Roster:
    document = _parse(path, text)
    roster = _validate(document, Roster)
    findings = check_roster(document, roster, authority_map)
    if findings:
        raise LoadError(findings)
    return roster


@with_suggestion_budget
def load_any(path: str | Path) -> Loaded:
    """Load a file of any of the three kinds, telling which it is."""
    file = Path(path)
    text = read_text(str(file))
    document = parse(str(file), text)
    kind = detect_kind(document)
    model: AuthorityMap | Scenario | Roster
    if kind == "scenario":
        model = _validate(document, Scenario)
        findings = check_scenario(document, model)
    elif kind == "map":
        model = _validate(document, AuthorityMap)
        findings = check_map(document, model)
    else:
        model = _validate(document, Roster)
        findings = check_roster(document, model, None)
    if findings:
        raise LoadError(findings)
    return Loaded(kind, file, model, text)
