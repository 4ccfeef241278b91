"""Cross-reference checks that the models' shapes cannot express."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from simulator.catalogue import CATALOGUE, is_legal_move
from simulator.loading.findings import Finding, did_you_mean
from simulator.loading.yamlsource import Document, Path, format_path
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.templating import FAKER_PROVIDERS, placeholders, provider_of


def _duplicates(document: Document, ids: Iterable[tuple[Path, str]], what: str) -> Iterator[Finding]:
    first: dict[str, Path] = {}
    for path, id_ in ids:
        if id_ in first:
            line = document.locate(first[id_])[0]
            yield document.finding(path, f"duplicate {what} id '{id_}' (first at line {line}); expected unique ids")
        else:
            first[id_] = path


def check_map(document: Document, authority_map: AuthorityMap) -> list[Finding]:
    findings: list[Finding] = []
    role_ids = authority_map.role_ids
    known_roles = set(role_ids)
    findings += _duplicates(document, ((("roles", i, "id"), r.id) for i, r in enumerate(authority_map.roles)), "role")

    def unknown_role(path: Path, role: str) -> None:
        if role not in known_roles:
            findings.append(document.finding(path, f"unknown role '{role}'{did_you_mean(role, role_ids)}"))

    for index, role in enumerate(authority_map.roles):
        if role.party not in authority_map.parties:
            hint = did_you_mean(role.party, authority_map.parties)
            findings.append(
                document.finding(
                    ("roles", index, "party"),
                    f"unknown party '{role.party}'; expected one of: {', '.join(authority_map.parties)}{hint}",
                )
            )
        if role.deputy is not None:
            if role.deputy == role.id:
                findings.append(document.finding(("roles", index, "deputy"), "a role cannot be its own deputy"))
            unknown_role(("roles", index, "deputy"), role.deputy)

    extra_ids = [e.id for e in authority_map.extra_responsibilities]
    for index, extra in enumerate(authority_map.extra_responsibilities):
        if extra.id in CATALOGUE:
            findings.append(
                document.finding(
                    ("extra_responsibilities", index, "id"),
                    f"'{extra.id}' is already in the catalogue; expected a new id",
                )
            )
    findings += _duplicates(
        document, ((("extra_responsibilities", i, "id"), x) for i, x in enumerate(extra_ids)), "responsibility"
    )
    known = [*CATALOGUE, *extra_ids]
    for rid, assignment in authority_map.assignments.items():
        if rid not in known:
            findings.append(
                document.finding(
                    ("assignments", rid),
                    f"unknown responsibility '{rid}'{did_you_mean(rid, known)}"
                    " (declare custom ones under extra_responsibilities)",
                    key=True,
                )
            )
        unknown_role(("assignments", rid, "A"), assignment.A)
        for letter in ("R", "C", "I"):
            for index, role in enumerate(getattr(assignment, letter)):
                unknown_role(("assignments", rid, letter, index), role)
    return findings


def check_scenario(document: Document, scenario: Scenario) -> list[Finding]:
    findings: list[Finding] = []
    steps = {step.id: step for step in scenario.steps}
    step_ids = list(steps)
    findings += _duplicates(document, ((("steps", i, "id"), s.id) for i, s in enumerate(scenario.steps)), "step")
    findings += _duplicates(
        document,
        (
            (("steps", i, "decisions", j, "id"), d.id)
            for i, s in enumerate(scenario.steps)
            for j, d in enumerate(s.decisions)
        ),
        "decision",
    )

    for name, spec in scenario.variables.items():
        provider = provider_of(spec)
        if provider is not None and provider not in FAKER_PROVIDERS:
            path: Path = ("variables", name) if isinstance(spec, str) else ("variables", name, "faker")
            findings.append(
                document.finding(
                    path,
                    f"Faker provider '{provider}' is not allowed{did_you_mean(provider, FAKER_PROVIDERS)};"
                    f" expected one of: {', '.join(sorted(FAKER_PROVIDERS))}",
                )
            )

    if not scenario.decisions:
        findings.append(
            document.finding(
                ("steps",),
                "the scenario asks no decision; expected at least one step with 'decisions:' (who acts?)",
                key=True,
            )
        )
    fired: set[str] = set()
    for i, step in enumerate(scenario.steps):
        if i > 0:
            previous = scenario.steps[i - 1]
            if not is_legal_move(previous.stage, step.stage):
                findings.append(
                    document.finding(
                        ("steps", i, "stage"),
                        f"step '{step.id}' moves from {previous.stage} (step '{previous.id}') back to {step.stage},"
                        " which is not an allowed move; expected the stage order or an allowed back-move"
                        " (re-triage, re-scope, new indicator, communication alongside)",
                    )
                )
        for j, decision in enumerate(step.decisions):
            base: Path = ("steps", i, "decisions", j)
            if decision.responsibility not in CATALOGUE:
                findings.append(
                    document.finding(
                        (*base, "responsibility"),
                        f"unknown responsibility '{decision.responsibility}'"
                        f"{did_you_mean(decision.responsibility, CATALOGUE)}",
                    )
                )
            for outcome, consequence_ids in decision.on.items():
                for k, consequence_id in enumerate(consequence_ids):
                    fired.add(consequence_id)
                    where: Path = (*base, "on", outcome, k)
                    if where not in document.value_marks:
                        where = (*base, "on", outcome)
                    consequence = scenario.consequences.get(consequence_id)
                    if consequence is None:
                        findings.append(
                            document.finding(
                                where,
                                f"unknown consequence '{consequence_id}'"
                                f"{did_you_mean(consequence_id, scenario.consequences)}",
                            )
                        )
                    elif consequence.goto in steps and not is_legal_move(step.stage, steps[consequence.goto].stage):
                        target = steps[consequence.goto]
                        findings.append(
                            document.finding(
                                where,
                                f"consequence '{consequence_id}' jumps from {step.stage} (step '{step.id}') to"
                                f" {target.stage} (step '{target.id}'), which is not an allowed stage move",
                            )
                        )

    for cid, consequence in scenario.consequences.items():
        if consequence.goto is not None and consequence.goto not in steps:
            findings.append(
                document.finding(
                    ("consequences", cid, "goto"),
                    f"goto to unknown step '{consequence.goto}'{did_you_mean(consequence.goto, step_ids)}",
                )
            )
        if cid not in fired:
            findings.append(
                document.finding(
                    ("consequences", cid),
                    f"consequence '{cid}' is never fired; expected a decision's 'on:' to name it",
                    key=True,
                )
            )

    findings += check_templates(document, set(scenario.variables))
    return findings


def check_templates(document: Document, declared: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path, (start, end) in document.spans.items():
        value = document.text[start:end]
        if "{{" not in value:
            continue
        where = f"{format_path(path)}: "
        for offset, raw, name in placeholders(value):
            line, column = document.offset_position(start + offset)
            if name is None:
                message = (
                    f"template '{raw}' is not a plain variable name; expected '{{{{ name }}}}'"
                    " — templates substitute declared variables only"
                )
            elif name not in declared:
                message = (
                    f"undeclared template variable '{name}'{did_you_mean(name, declared)}; declare it under 'variables'"
                )
            else:
                continue
            findings.append(Finding(document.file, line, column, where + message))
    return findings


def check_roster(document: Document, roster: Roster, authority_map: AuthorityMap | None) -> list[Finding]:
    findings: list[Finding] = []
    names: list[tuple[Path, str]] = [(("participants", i, "name"), p.name) for i, p in enumerate(roster.participants)]
    findings += (
        document.finding(path, f"duplicate participant '{name}'; expected each person once")
        for path, name in _dupes(names)
    )
    if authority_map is not None:
        role_ids = authority_map.role_ids
        known_roles = set(role_ids)
        for i, participant in enumerate(roster.participants):
            for j, role in enumerate(participant.roles):
                if role not in known_roles:
                    findings.append(
                        document.finding(
                            ("participants", i, "roles", j),
                            f"unknown role '{role}' in map '{authority_map.id}'{did_you_mean(role, role_ids)}",
                        )
                    )
    return findings


def _dupes(items: Iterable[tuple[Path, str]]) -> Iterator[tuple[Path, str]]:
    seen: set[str] = set()
    for path, name in items:
        if name in seen:
            yield path, name
        seen.add(name)
