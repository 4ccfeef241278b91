"""The six stages, the legal moves between them, and the 24 responsibilities."""

from __future__ import annotations

from typing import Literal, get_args

from simulator.frozen import frozen

Stage = Literal[
    "detection",
    "confirmation",
    "containment",
    "communication",
    "investigation",
    "documentation",
]
STAGES: tuple[Stage, ...] = get_args(Stage)

# Real incidents loop: these are the only moves allowed against the stage order.
BACK_MOVES: frozenset[tuple[Stage, Stage]] = frozenset(
    {
        ("confirmation", "detection"),
        ("containment", "confirmation"),
        ("investigation", "containment"),
        ("communication", "containment"),
        ("communication", "investigation"),
        ("containment", "communication"),
        ("investigation", "communication"),
    }
)


def is_legal_move(source: Stage, dest: Stage) -> bool:
    """True when a session may go from stage `source` straight to stage `dest`."""
    if source == dest:
        return True
    if STAGES.index(dest) > STAGES.index(source):
        return True
    return (source, dest) in BACK_MOVES


@frozen
class Responsibility:
    id: str
    stage: Stage
    title: str
    description: str


def _r(id_: str, title: str, description: str) -> Responsibility:
    stage = id_.split(".", 1)[0]
    assert stage in STAGES, id_
    return Responsibility(id_, stage, title, description)


CATALOGUE: dict[str, Responsibility] = {
    r.id: r
    for r in (
        _r("detection.monitoring", "Alert monitoring", "Security alerts are watched continuously."),
        _r("detection.triage", "Alert triage", "Analysts triage incoming alerts."),
        _r("detection.criteria", "Incident criteria", "Decides real incident vs false positive."),
        _r("detection.thresholds", "Escalation thresholds", "Defines when an alert must escalate."),
        _r("confirmation.confirm", "Incident confirmation", "Confirms that an incident is real."),
        _r("confirmation.severity", "Severity classification", "Classifies the incident's severity."),
        _r("confirmation.escalate", "Escalation process", "Runs the escalation process."),
        _r("confirmation.senior", "Senior responders", "Calls in senior responders."),
        _r("containment.authorize", "Containment authority", "Authorises containment actions."),
        _r("containment.procedure", "Containment playbook", "Runs the playbook for the attack type."),
        _r("containment.isolate", "System isolation", "Isolates endpoints and systems."),
        _r("containment.emergency", "Emergency authority", "Holds emergency authority to act."),
        _r("communication.contact", "Client contact", "Talks to the client or customer."),
        _r("communication.timeline", "Update timeline", "Agrees and keeps the update timelines."),
        _r("communication.updates", "Escalation updates", "Sends structured escalation updates."),
        _r("communication.report", "Incident report", "Writes the report in a consistent format."),
        _r("investigation.lead", "Investigation lead", "Leads the investigation."),
        _r("investigation.evidence", "Evidence handling", "Collects and preserves evidence."),
        _r("investigation.correlate", "Event correlation", "Correlates events across systems."),
        _r("investigation.rca", "Root-cause analysis", "Establishes the root cause."),
        _r("documentation.record", "Incident record", "Keeps the incident documentation."),
        _r("documentation.retention", "Evidence retention", "Retains evidence for as long as required."),
        _r("documentation.compliance", "Regulatory reporting", "Handles compliance and regulatory reporting."),
        _r("documentation.archive", "Audit archive", "Stores records for audits."),
    )
}

# The four questions every report answers, map vs team.
REFLECTION_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("confirmation.confirm", "Who owns incident confirmation?"),
    ("containment.authorize", "Who authorises containment?"),
    ("investigation.lead", "Who leads the investigation?"),
    ("communication.contact", "Who communicates with the client during escalation?"),
)
