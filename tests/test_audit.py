"""`ttx map check`: the readiness audit of an authority map, as functions and as a command."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.audit import AuditSettings, Gap, Overload, PlaceholderWhy, audit_map
from simulator.bundled import bundled_maps
from simulator.cli import main
from simulator.loading import load_map, load_roster

FIXTURES = Path(__file__).parent / "fixtures" / "audit"
Write = Callable[..., Path]


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["map", "check", *args], env={"COLUMNS": "120"})


def flat(result: Result) -> str:
    """The output with Rich's line wrapping undone, to search for whole sentences."""
    return " ".join(result.output.split())


@pytest.mark.parametrize("path", bundled_maps(), ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["term", "md"])
def test_bundled_maps_are_ready(path: Path, fmt: str) -> None:
    result = check(path.stem, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Ready: no problems" in result.output
    assert "Who authorises containment?" in result.output


def test_a_clean_fixture_has_no_findings_at_all() -> None:
    audit = audit_map(load_map(FIXTURES / "ready.yaml"), load_roster(FIXTURES / "roster-full.yaml"))
    assert audit.findings == ()
    assert check(str(FIXTURES / "ready.yaml"), "--roster", str(FIXTURES / "roster-full.yaml")).exit_code == 0


@pytest.mark.parametrize(
    ("fixture", "kind", "subject", "detail"),
    [
        ("gap", "map gap", "investigation.rca", "nobody owns it"),
        ("overload", "overload", "Security analyst (analyst)", "7 responsibilities, more than 6"),
        ("idle-role", "role owns nothing", "auditor", "only consulted or informed on documentation.archive"),
        ("placeholder-why", "placeholder why", "2 assignments", "detection.triage, communication.contact"),
    ],
)
@pytest.mark.parametrize("fmt", ["term", "md"])
def test_each_problem_fails_the_check_and_is_named(
    fixture: str, kind: str, subject: str, detail: str, fmt: str
) -> None:
    result = check(str(FIXTURES / f"{fixture}.yaml"), "--format", fmt)
    assert result.exit_code == 1, result.output
    assert kind in flat(result)
    assert subject in flat(result)
    assert detail in flat(result)
    assert "Not ready: 1 problem." in result.output


def test_cross_party_approval_is_named_but_informational() -> None:
    result = check(str(FIXTURES / "cross-party.yaml"))
    assert result.exit_code == 0, result.output
    assert "cross-party approval" in result.output
    assert "Client IT lead (client-lead), of Client, approves work done by Operations" in flat(result)
    assert "Ready: no problems (1 note, informational)." in result.output


def test_unstaffed_accountable_role_fails_with_a_roster_only() -> None:
    assert check(str(FIXTURES / "ready.yaml")).exit_code == 0
    result = check(str(FIXTURES / "ready.yaml"), "--roster", str(FIXTURES / "roster-unstaffed.yaml"))
    assert result.exit_code == 1, result.output
    assert "unstaffed owner" in result.output
    assert "Incident lead (incident-lead) is accountable for 6 responsibilities" in flat(result)
    assert "give it to someone, or name a deputy" in flat(result)


def test_unstaffed_role_covered_by_its_staffed_deputy_is_a_note() -> None:
    result = check(str(FIXTURES / "ready.yaml"), "--roster", str(FIXTURES / "roster-deputy.yaml"))
    assert result.exit_code == 0, result.output
    assert "unstaffed owner" in result.output
    assert "its deputy Client IT administrator (client-admin) covers it, held by Fay" in flat(result)


def test_deputy_unstaffed_too_is_said(write: Write) -> None:
    roster = write("participants:\n  - {name: Ana, roles: [incident-lead]}\n", "roster.yaml")
    audit = audit_map(load_map(FIXTURES / "ready.yaml"), load_roster(roster))
    messages = [f.message for f in audit.problems]
    assert any("its deputy Client IT administrator (client-admin) is unstaffed too" in m for m in messages)


def test_one_person_holding_too_much_is_an_overload() -> None:
    result = check(str(FIXTURES / "ready.yaml"), "--roster", str(FIXTURES / "roster-one-person.yaml"))
    assert result.exit_code == 1, result.output
    assert "Ana, through the roles they hold, is accountable for 12 responsibilities, more than 8" in flat(result)


def test_thresholds_are_settings() -> None:
    authority_map = load_map(FIXTURES / "ready.yaml")
    strict = audit_map(authority_map, settings=AuditSettings(max_accountable_per_role=4))
    overloaded = {f.name for f in strict.findings if isinstance(f, Overload)}
    assert overloaded == {"Security analyst (analyst)", "Incident lead (incident-lead)"}
    assert audit_map(authority_map).ready


def test_reflection_answers_from_the_map_and_shows_gaps(write: Write) -> None:
    text = (FIXTURES / "ready.yaml").read_text(encoding="utf-8")
    without = re.sub(r"  containment\.authorize:\n(    .*\n)+", "", text)
    audit = audit_map(load_map(write(without, "m.yaml")))
    owners = {o.responsibility: o for o in audit.reflection}
    assert owners["containment.authorize"].accountable is None
    assert any(isinstance(f, Gap) and f.responsibility == "containment.authorize" for f in audit.problems)
    lead = owners["investigation.lead"]
    assert (lead.accountable, lead.accountable_party, lead.responsible) == (
        "Incident lead",
        "Operations",
        ("Duty engineer",),
    )
    assert lead.why == "Investigation lead sits with the incident lead."
    result = check(str(write(without, "m.yaml")), "--format", "md")
    assert "| Who authorises containment? | — map gap — |" in result.output


def test_markdown_escapes_user_text_in_tables() -> None:
    result = check(str(FIXTURES / "markdown-text.yaml"), "--format", "md")
    assert result.exit_code == 0, result.output
    assert r"Incident \| lead \*bold\* \<b\>" in result.output
    assert r"Pipes \| and \[links\](http://x) and \`code\`" in result.output
    for line in result.output.splitlines():
        if line.startswith("|"):
            # Every row of the reflection table has exactly its four cells.
            assert len(re.findall(r"(?<!\\)\|", line)) == 5, line


def test_placeholder_why_is_found_in_what_new_map_writes(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    assert CliRunner().invoke(main, ["new", "map", "m", "-o", str(out)]).exit_code == 0
    audit = audit_map(load_map(out))
    assert [type(f) for f in audit.problems] == [PlaceholderWhy]
    problem = audit.problems[0]
    assert isinstance(problem, PlaceholderWhy) and len(problem.responsibilities) == 24


def test_unknown_map_is_a_usage_error() -> None:
    result = check("msq")
    assert result.exit_code == 2
    assert "did you mean 'msp'" in result.output


def test_invalid_map_or_roster_prints_file_line_column(write: Write) -> None:
    bad_map = write("id: x\ntitle: X\nparties: {a: A}\nroles:\n  - {id: r, name: R, party: b}\n", "bad.yaml")
    result = check(str(bad_map))
    assert result.exit_code == 1
    assert f"{bad_map}:5:" in result.output and "unknown party 'b'" in result.output
    roster = write("participants:\n  - {name: Ana, roles: [incident-laed]}\n", "roster.yaml")
    result = check(str(FIXTURES / "ready.yaml"), "--roster", str(roster))
    assert result.exit_code == 1
    assert "did you mean 'incident-lead'" in result.output
