"""Reference checks that still run when a file's shape is wrong.

The full checks need a validated model; these read the raw data defensively,
so one pass over a broken file reports a misspelt id next to a misspelt key.
"""

from __future__ import annotations

from typing import Any

from simulator.catalogue import CATALOGUE
from simulator.loading.checks import check_templates
from simulator.loading.findings import Finding, did_you_mean
from simulator.loading.yamlsource import Document


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def raw_scenario_findings(document: Document) -> list[Finding]:
    data = document.data
    variables = data.get("variables")
    findings = check_templates(document, set(variables) if isinstance(variables, dict) else set())
    for i, step in _items(data.get("steps")):
        for j, decision in _items(step.get("decisions")):
            responsibility = decision.get("responsibility")
            if isinstance(responsibility, str) and responsibility not in CATALOGUE:
                findings.append(
                    document.finding(
                        ("steps", i, "decisions", j, "responsibility"),
                        f"unknown responsibility '{responsibility}'{did_you_mean(responsibility, CATALOGUE)}",
                    )
                )
    return findings


def raw_map_findings(document: Document) -> list[Finding]:
    data = document.data
    role_ids = [r["id"] for _, r in _items(data.get("roles")) if isinstance(r.get("id"), str)]
    known_roles = set(role_ids)
    findings: list[Finding] = []
    assignments = data.get("assignments")
    if not isinstance(assignments, dict) or not role_ids:
        return findings
    for rid, assignment in assignments.items():
        if not isinstance(assignment, dict):
            continue
        for letter in ("A", "R", "C", "I"):
            value = assignment.get(letter)
            roles = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            for k, role in enumerate(roles):
                if isinstance(role, str) and role not in known_roles:
                    path = ("assignments", rid, letter) if isinstance(value, str) else ("assignments", rid, letter, k)
                    findings.append(document.finding(path, f"unknown role '{role}'{did_you_mean(role, role_ids)}"))
    return findings
