"""Readiness audit of an authority map: is it fit to run an exercise against?

Pure functions over the models; they return dataclasses and never print, so
the terminal and Markdown renderings (and any later report) share one result.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import ClassVar, Literal

from simulator.catalogue import CATALOGUE, REFLECTION_QUESTIONS, STAGES, Stage
from simulator.frozen import frozen
from simulator.model import AuthorityMap, Roster
from simulator.wording import plural

Severity = Literal["problem", "info"]


@frozen
class AuditSettings:
    """Thresholds of the audit; one place to tune them rather than literals in the checks."""

    # More accountable items than this for one role or person is an overload.
    max_accountable_per_role: int = 6
    max_accountable_per_person: int = 8


@frozen
class Gap:
    """A responsibility nobody is accountable for."""

    kind: ClassVar[str] = "gap"
    severity: ClassVar[Severity] = "problem"
    responsibility: str
    stage: Stage
    title: str

    @property
    def subject(self) -> str:
        return self.responsibility

    @property
    def message(self) -> str:
        return f"{self.title}: nobody owns it; add an assignment with one A and a why"


@frozen
class Unstaffed:
    """An accountable role nobody in the roster holds."""

    kind: ClassVar[str] = "unstaffed"
    role: str
    role_name: str
    responsibilities: tuple[str, ...]
    deputy: str | None
    deputy_name: str | None
    deputy_holders: tuple[str, ...]

    @property
    def severity(self) -> Severity:
        # A staffed deputy acts and scores as the owner, so the room can still play.
        return "info" if self.deputy_holders else "problem"

    @property
    def subject(self) -> str:
        return self.role

    @property
    def message(self) -> str:
        text = (
            f"{self.role_name} ({self.role}) is accountable for {plural(len(self.responsibilities), 'responsibility')}"
            f" ({', '.join(self.responsibilities)}) but nobody in the roster holds it"
        )
        if self.deputy is None:
            return text + "; give it to someone, or name a deputy in the map"
        deputy = f"its deputy {self.deputy_name} ({self.deputy})"
        if self.deputy_holders:
            return text + f"; {deputy} covers it, held by {', '.join(self.deputy_holders)}"
        return text + f"; {deputy} is unstaffed too"


@frozen
class Overload:
    """One role, or one person across their roles, accountable for too much."""

    kind: ClassVar[str] = "overload"
    severity: ClassVar[Severity] = "problem"
    holder: Literal["role", "person"]
    name: str
    responsibilities: tuple[str, ...]
    limit: int

    @property
    def subject(self) -> str:
        return self.name

    @property
    def message(self) -> str:
        who = self.name if self.holder == "role" else f"{self.name}, through the roles they hold,"
        return (
            f"{who} is accountable for {len(self.responsibilities)} responsibilities, more than {self.limit}"
            f" ({', '.join(self.responsibilities)}); one owner for this much is a single point of failure"
        )


@frozen
class CrossParty:
    """An approval that crosses organisational lines: the A sits in another party from every R."""

    kind: ClassVar[str] = "cross-party"
    severity: ClassVar[Severity] = "info"
    responsibility: str
    accountable: str
    accountable_party: str
    responsible_parties: tuple[str, ...]

    @property
    def subject(self) -> str:
        return self.responsibility

    @property
    def message(self) -> str:
        doers = " and ".join(self.responsible_parties)
        return (
            f"{self.accountable}, of {self.accountable_party}, approves work done by {doers};"
            " make sure the hand-off across that boundary is agreed and reachable at 2 a.m."
        )


@frozen
class IdleRole:
    """A role that is neither A nor R anywhere: nobody can name it as the one who acts."""

    kind: ClassVar[str] = "idle-role"
    severity: ClassVar[Severity] = "problem"
    role: str
    role_name: str
    consulted_or_informed: tuple[str, ...]

    @property
    def subject(self) -> str:
        return self.role

    @property
    def message(self) -> str:
        where = (
            f"only consulted or informed on {', '.join(self.consulted_or_informed)}"
            if self.consulted_or_informed
            else "not named in any assignment"
        )
        return (
            f"{self.role_name} ({self.role}) owns nothing (neither A nor R anywhere; {where}); give it work or drop it"
        )


@frozen
class PlaceholderWhy:
    """Assignments whose why is still a TODO, as `ttx new map` leaves them: the report quotes the why."""

    kind: ClassVar[str] = "placeholder-why"
    severity: ClassVar[Severity] = "problem"
    responsibilities: tuple[str, ...]

    @property
    def subject(self) -> str:
        return plural(len(self.responsibilities), "assignment")

    @property
    def message(self) -> str:
        return (
            f"the why is still a TODO placeholder for {', '.join(self.responsibilities)};"
            " write the reason each owner owns it, the report quotes it to the team"
        )


AuditFinding = Gap | Unstaffed | Overload | CrossParty | IdleRole | PlaceholderWhy


@frozen
class Owner:
    """The map's answer to one reflection question."""

    question: str
    responsibility: str
    accountable: str | None  # role name, None for a map gap
    accountable_party: str | None
    responsible: tuple[str, ...]
    why: str


@frozen
class Audit:
    map_id: str
    map_title: str
    roles: int
    assigned: int  # catalogue and extra responsibilities with an owner
    total: int
    findings: tuple[AuditFinding, ...]
    reflection: tuple[Owner, ...]
    with_roster: bool
    settings: AuditSettings = field(default_factory=AuditSettings)

    @property
    def problems(self) -> tuple[AuditFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "problem")

    @property
    def notes(self) -> tuple[AuditFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "info")

    @property
    def ready(self) -> bool:
        return not self.problems


def _label(authority_map: AuthorityMap, role_id: str) -> str:
    return f"{authority_map.role(role_id).name} ({role_id})"


def responsibilities_of(authority_map: AuthorityMap) -> list[tuple[str, Stage, str]]:
    """(id, stage, title) of every responsibility the map should cover, in stage order."""
    items = [(r.id, r.stage, r.title) for r in CATALOGUE.values()]
    items += [(x.id, x.stage, x.title) for x in authority_map.extra_responsibilities]
    return sorted(items, key=lambda item: STAGES.index(item[1]))


def find_gaps(authority_map: AuthorityMap) -> list[Gap]:
    return [
        Gap(rid, stage, title)
        for rid, stage, title in responsibilities_of(authority_map)
        if rid not in authority_map.assignments
    ]


def _accountable_for(authority_map: AuthorityMap) -> dict[str, list[str]]:
    owned: dict[str, list[str]] = {role.id: [] for role in authority_map.roles}
    for rid, assignment in authority_map.assignments.items():
        owned.setdefault(assignment.A, []).append(rid)
    return owned


def find_unstaffed(authority_map: AuthorityMap, roster: Roster) -> list[Unstaffed]:
    staffed = roster.staffed
    found: list[Unstaffed] = []
    for role_id, responsibilities in _accountable_for(authority_map).items():
        if not responsibilities or role_id in staffed:
            continue
        role = authority_map.role(role_id)
        deputy_name = authority_map.role(role.deputy).name if role.deputy in authority_map.role_ids else None
        holders = tuple(roster.holders(role.deputy)) if role.deputy else ()
        found.append(Unstaffed(role_id, role.name, tuple(responsibilities), role.deputy, deputy_name, holders))
    return found


def find_overloads(authority_map: AuthorityMap, roster: Roster | None, settings: AuditSettings) -> list[Overload]:
    owned = _accountable_for(authority_map)
    found = [
        Overload("role", _label(authority_map, role_id), tuple(rids), settings.max_accountable_per_role)
        for role_id, rids in owned.items()
        if len(rids) > settings.max_accountable_per_role
    ]
    for person in roster.participants if roster else ():
        rids = tuple(dict.fromkeys(rid for role in person.roles for rid in owned.get(role, ())))
        if len(rids) > settings.max_accountable_per_person:
            found.append(Overload("person", person.name, rids, settings.max_accountable_per_person))
    return found


def find_cross_party(authority_map: AuthorityMap) -> list[CrossParty]:
    party = {role.id: role.party for role in authority_map.roles}
    found: list[CrossParty] = []
    for rid, assignment in authority_map.assignments.items():
        doers = {party[r] for r in assignment.R}
        # With no R the A does it alone: nothing crosses.
        if doers and party[assignment.A] not in doers:
            titles = tuple(authority_map.parties[p] for p in sorted(doers))
            accountable = _label(authority_map, assignment.A)
            found.append(CrossParty(rid, accountable, authority_map.parties[party[assignment.A]], titles))
    return found


def find_idle_roles(authority_map: AuthorityMap) -> list[IdleRole]:
    acting = {a.A for a in authority_map.assignments.values()} | {
        r for a in authority_map.assignments.values() for r in a.R
    }
    found: list[IdleRole] = []
    for role in authority_map.roles:
        if role.id in acting:
            continue
        listed = tuple(rid for rid, a in authority_map.assignments.items() if role.id in a.C or role.id in a.I)
        found.append(IdleRole(role.id, role.name, listed))
    return found


def find_placeholder_whys(authority_map: AuthorityMap) -> list[PlaceholderWhy]:
    todo = tuple(rid for rid, a in authority_map.assignments.items() if a.why.strip().upper().startswith("TODO"))
    return [PlaceholderWhy(todo)] if todo else []


def reflection(authority_map: AuthorityMap) -> list[Owner]:
    """The four reflection questions answered from the map alone."""
    answers: list[Owner] = []
    for rid, question in REFLECTION_QUESTIONS:
        assignment = authority_map.assignments.get(rid)
        if assignment is None:
            answers.append(Owner(question, rid, None, None, (), ""))
            continue
        owner = authority_map.role(assignment.A)
        doers = tuple(authority_map.role(r).name for r in assignment.R if r != assignment.A)
        answers.append(
            Owner(question, rid, owner.name, authority_map.parties[owner.party], doers, assignment.why.strip())
        )
    return answers


def _ordered(findings: list[AuditFinding]) -> Iterator[AuditFinding]:
    # Problems first, then notes; within each, the order the checks found them.
    yield from (f for f in findings if f.severity == "problem")
    yield from (f for f in findings if f.severity == "info")


def audit_map(
    authority_map: AuthorityMap, roster: Roster | None = None, settings: AuditSettings | None = None
) -> Audit:
    """Every readiness finding for `authority_map` (and `roster`, when one is given)."""
    settings = settings or AuditSettings()
    findings: list[AuditFinding] = [*find_gaps(authority_map)]
    if roster is not None:
        findings += find_unstaffed(authority_map, roster)
    findings += find_overloads(authority_map, roster, settings)
    findings += find_idle_roles(authority_map)
    findings += find_placeholder_whys(authority_map)
    findings += find_cross_party(authority_map)
    everything = responsibilities_of(authority_map)
    return Audit(
        map_id=authority_map.id,
        map_title=authority_map.title,
        roles=len(authority_map.roles),
        assigned=sum(1 for rid, _, _ in everything if rid in authority_map.assignments),
        total=len(everything),
        findings=tuple(_ordered(findings)),
        reflection=tuple(reflection(authority_map)),
        with_roster=roster is not None,
        settings=settings,
    )
