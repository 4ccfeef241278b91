"""Checking the data read from a sheet as a scenario file is checked, with findings at sheet cells.

The model validation and cross-reference checks of `simulator.loading` locate problems through a
Document's positions; here those positions are (row, column) of the cells each value came from,
and each finding is prefixed with the column's header as the sheet spells it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from simulator import schema
from simulator.loading.checks import check_scenario
from simulator.loading.findings import Finding, did_you_mean
from simulator.loading.shape import findings_from
from simulator.loading.yamlsource import Document, Path
from simulator.model import Scenario
from simulator.msel.sheet import SheetError
from simulator.templating import placeholders


@dataclass
class SheetDocument(Document):
    """A Document whose positions are sheet cells; findings name the column as the sheet does."""

    labels: dict[Path, str] = field(default_factory=dict)

    def finding(self, path: Path, message: str, *, key: bool = False) -> Finding:
        line, column = self.locate(path, key=key)
        for end in range(len(path), -1, -1):
            label = self.labels.get(path[:end])
            if label:
                return Finding(self.file, line, column, f"{label}: {message}")
        return Finding(self.file, line, column, message)


def validate(file: str, data: dict[str, Any], marks: dict[Path, tuple[int, int]], labels: dict[Path, str]) -> Scenario:
    """The Scenario `data` describes, or a SheetError with every finding at its cell."""
    document = SheetDocument(file, data, "", dict(marks), dict(marks), labels=labels)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise SheetError(findings_from(error, document, schema.Scenario)) from None
    findings = check_scenario(document, scenario) + _template_findings(document, data)
    if findings:
        raise SheetError(findings)
    return scenario


def _template_findings(document: SheetDocument, data: dict[str, Any]) -> list[Finding]:
    declared = set(data.get("variables", {}))
    findings: list[Finding] = []

    def visit(value: Any, path: Path) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))
        elif isinstance(value, str) and "{{" in value and path[:1] != ("variables",):
            for _offset, raw, name in placeholders(value):
                if name is None:
                    message = f"template '{raw}' is not a plain variable name; expected '{{{{ name }}}}'"
                elif name not in declared:
                    message = (
                        f"undeclared template variable '{name}'{did_you_mean(name, declared)}; declare it on the"
                        " 'Scenario' sheet (a 'variable NAME' row) or write the name out"
                    )
                else:
                    continue
                findings.append(document.finding(path, message))

    visit(data, ())
    return findings
