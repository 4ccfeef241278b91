"""The annotated starter map `ttx new map` writes: every responsibility assigned, every why a TODO.

Assignments are a first guess from the role names (an "analyst" triages, an
"admin" isolates, "legal" files with the regulator), spread so no role exceeds
the audit's overload threshold while another could take the item. The author
is expected to review every line; the file is valid from the start.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from simulator.audit import AuditSettings
from simulator.catalogue import CATALOGUE, STAGES
from simulator.frozen import frozen

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

Category = Literal["legal", "exec", "comms", "lead", "ops", "analyst"]

# Checked in this order, so "Communications lead" is comms and "Security lead" a lead.
KEYWORDS: tuple[tuple[Category, frozenset[str]], ...] = (
    ("legal", frozenset({"legal", "compliance", "dpo", "privacy", "counsel", "regulatory", "risk", "audit"})),
    ("exec", frozenset({"exec", "executive", "ciso", "cto", "ceo", "cio", "sponsor", "director", "vp", "board"})),
    ("comms", frozenset({"comms", "communications", "communication", "pr", "support", "account", "liaison",
                         "customer", "press", "relations"})),
    ("lead", frozenset({"lead", "commander", "ic", "manager", "head", "coordinator", "chief", "duty"})),
    ("ops", frozenset({"admin", "administrator", "ops", "operations", "engineer", "sre", "platform", "it",
                       "sysadmin", "infra", "infrastructure", "devops", "cloud", "network", "helpdesk"})),
    ("analyst", frozenset({"analyst", "soc", "security", "forensic", "forensics", "responder", "threat",
                           "detection", "l1", "l2", "l3", "hunter"})),
)  # fmt: skip

# Per responsibility: who should be accountable, then who does it, by category in order of preference.
PREFERENCES: dict[str, tuple[tuple[Category, ...], tuple[Category, ...]]] = {
    "detection.monitoring": (("analyst", "lead", "ops"), ("analyst", "ops")),
    "detection.triage": (("analyst", "lead"), ("analyst", "ops")),
    "detection.criteria": (("lead", "analyst"), ("analyst",)),
    "detection.thresholds": (("lead", "analyst", "exec"), ("analyst",)),
    "confirmation.confirm": (("lead", "analyst"), ("analyst",)),
    "confirmation.severity": (("lead", "analyst"), ("analyst", "lead")),
    "confirmation.escalate": (("lead",), ("lead", "ops")),
    "confirmation.senior": (("lead",), ("lead",)),
    "containment.authorize": (("lead", "exec"), ("ops",)),
    "containment.procedure": (("ops", "analyst"), ("ops",)),
    "containment.isolate": (("ops",), ("ops",)),
    "containment.emergency": (("exec", "lead"), ("ops", "lead")),
    "communication.contact": (("comms", "lead"), ("comms",)),
    "communication.timeline": (("comms", "lead"), ("comms",)),
    "communication.updates": (("comms", "lead"), ("comms", "lead")),
    "communication.report": (("lead", "comms"), ("comms", "analyst")),
    "investigation.lead": (("lead", "analyst"), ("analyst",)),
    "investigation.evidence": (("analyst",), ("analyst", "ops")),
    "investigation.correlate": (("analyst",), ("analyst",)),
    "investigation.rca": (("analyst", "lead"), ("analyst", "ops")),
    "documentation.record": (("lead",), ("analyst", "comms")),
    "documentation.retention": (("legal", "lead"), ("analyst", "ops")),
    "documentation.compliance": (("legal", "exec", "lead"), ("legal",)),
    "documentation.archive": (("legal", "ops", "lead"), ("ops",)),
}


@frozen
class RoleSpec:
    id: str
    party: str
    name: str


DEFAULT_PARTIES: dict[str, str] = {
    "security": "Security team",
    "it": "IT operations",
    "business": "Business functions",
}
DEFAULT_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec("incident-lead", "security", "Incident lead"),
    RoleSpec("security-analyst", "security", "Security analyst"),
    RoleSpec("it-admin", "it", "IT administrator"),
    RoleSpec("comms-lead", "business", "Communications lead"),
    RoleSpec("executive", "business", "Executive sponsor"),
    RoleSpec("compliance-officer", "business", "Compliance officer"),
)


class SpecError(ValueError):
    """A --party or --role option that cannot be used."""


def parse_party(text: str) -> tuple[str, str]:
    party, sep, title = text.partition("=")
    party, title = party.strip(), title.strip()
    if not sep or not title:
        raise SpecError(f"expected --party id=Title, e.g. --party soc='Backend SOC'; got '{text}'")
    if not ID_RE.match(party):
        raise SpecError(f"party id '{party}' must be lower-case letters, digits, '-' or '_'")
    return party, title


def parse_role(text: str) -> RoleSpec:
    parts = [part.strip() for part in text.split(":", 2)]
    if len(parts) != 3 or not all(parts):
        raise SpecError(f"expected --role id:party:Name, e.g. --role soc-analyst:soc:'SOC analyst'; got '{text}'")
    role_id, party, name = parts
    for what, value in (("role id", role_id), ("party id", party)):
        if not ID_RE.match(value):
            raise SpecError(f"{what} '{value}' must be lower-case letters, digits, '-' or '_'")
    return RoleSpec(role_id, party, name)


def category_of(role: RoleSpec) -> Category | None:
    tokens = set(re.split(r"[^a-z0-9]+", f"{role.id} {role.name}".lower()))
    for category, words in KEYWORDS:
        if tokens & words:
            return category
    return None


@dataclass
class _Plan:
    accountable: dict[str, str]
    responsible: dict[str, list[str]]


def plan_assignments(roles: tuple[RoleSpec, ...], settings: AuditSettings | None = None) -> _Plan:
    """A and R for every catalogue responsibility, guessed from the roles' names."""
    limit = (settings or AuditSettings()).max_accountable_per_role
    by_category: dict[Category | None, list[str]] = {}
    for role in roles:
        by_category.setdefault(category_of(role), []).append(role.id)
    load = {role.id: 0 for role in roles}
    plan = _Plan({}, {})

    def least_loaded(candidates: list[str]) -> str:
        return min(candidates, key=lambda r: (load[r], candidates.index(r)))

    for rid in CATALOGUE:
        owners, doers = PREFERENCES[rid]
        free = [[r for r in by_category.get(c, []) if load[r] < limit] for c in owners]
        # The first preferred kind of role with room takes it; otherwise whoever carries least,
        # so nobody is overloaded while someone else is free.
        accountable = least_loaded(next((group for group in free if group), list(load)))
        load[accountable] += 1
        plan.accountable[rid] = accountable
        for category in doers:
            if by_category.get(category):
                plan.responsible[rid] = [by_category[category][0]]
                break
        else:
            plan.responsible[rid] = [accountable]

    # A role nobody can name as the one who acts is an audit problem: give it a hand somewhere.
    party = {role.id: role.party for role in roles}
    acting = set(plan.accountable.values()) | {r for rs in plan.responsible.values() for r in rs}
    for role in roles:
        if role.id in acting:
            continue
        same_party = [rid for rid, a in plan.accountable.items() if party[a] == party[role.id]]
        pool = same_party or list(CATALOGUE)
        for rid in sorted(pool, key=lambda r: len(plan.responsible[r]))[:2]:
            plan.responsible[rid].append(role.id)
    return plan


def _q(text: str) -> str:
    # A JSON string is a valid YAML scalar and quotes whatever the user typed.
    return json.dumps(text, ensure_ascii=False)


def _commented(line: str, comment: str) -> str:
    return f"{line.ljust(34)}# {comment}" if comment else line


def map_text(map_id: str, title: str, parties: dict[str, str], roles: tuple[RoleSpec, ...], schema: str) -> str:
    """The annotated YAML of a new map; `roles` must reference `parties`."""
    names = {role.id: role.name for role in roles}
    plan = plan_assignments(roles)
    out = [
        f"# yaml-language-server: $schema={schema}",
        "# A starter authority map written by `ttx new map`. Assignments are a first guess",
        "# from the role names: review every one and replace each 'TODO' why with the reason",
        "# this role owns the item. Check it with `ttx validate FILE` and `ttx map check FILE`.",
        "",
        _commented(f"id: {map_id}", "lower-case id: letters, digits, '-' and '_'"),
        f"title: {_q(title)}",
        "description: >-",
        "  TODO: one paragraph on the organisation this map describes.",
        "",
        "# Organisations taking part, id: name. Work crossing parties is 'boundary' drift.",
        "parties:",
        *(f"  {party}: {_q(party_title)}" for party, party_title in parties.items()),
        "",
        "# Named positions. A role may be held by several people and a person may hold several roles.",
        "roles:",
    ]
    for index, role in enumerate(roles):
        out += [
            _commented(f"  - id: {role.id}", "unique role id; assignments refer to it" if index == 0 else ""),
            f"    name: {_q(role.name)}",
            _commented(f"    party: {role.party}", "one of the parties above" if index == 0 else ""),
            f"    summary: {_q('TODO: what this role does in an incident.')}",
        ]
        if index == 0:
            out.append(_commented("    # deputy: other-role-id", "optional: who acts when this role is unstaffed"))
    out += [
        "",
        "# For each responsibility: A is the one accountable role (owns and authorises it), R the",
        "# roles that do it, C those consulted, I those informed, and why, one line of reasoning",
        "# that the report quotes. Leaving a responsibility out is allowed but is a map gap.",
        "assignments:",
    ]
    for stage in STAGES:
        out.append(f"  # --- {stage} ---")
        for rid, item in CATALOGUE.items():
            if item.stage != stage:
                continue
            accountable = plan.accountable[rid]
            why = f"TODO: why {names[accountable]} is accountable for {item.title.lower()}."
            out += [
                _commented(f"  {rid}:", f"{item.title}: {item.description}"),
                f"    A: {accountable}",
                f"    R: [{', '.join(plan.responsible[rid])}]",
                "    C: []",
                "    I: []",
                f"    why: {_q(why)}",
            ]
        out.append("")
    return "\n".join(out)
