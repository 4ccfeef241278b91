"""One bad file per rejection rule: the message and the exact line:column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.loading import LoadError, load_map, load_roster, load_scenario
from simulator.loading.yamlsource import MAX_BYTES
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

Write = Callable[..., Path]


def at(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the n-th occurrence of `needle` in `text`."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def problems(loader: Callable[[Path], object], path: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(LoadError) as caught:
        loader(path)
    assert caught.value.findings, "a LoadError always carries findings"
    for finding in caught.value.findings:
        assert finding.file == str(path)
    return [(f.line, f.column, f.message) for f in caught.value.findings]


def test_minimal_files_load(write: Write) -> None:
    assert load_map(write(MINIMAL_MAP)).id == "tiny"
    scenario = load_scenario(write(MINIMAL_SCENARIO, "s.yaml"))
    assert [d.id for d in scenario.decisions] == ["who-triages", "who-authorises"]
    assert scenario.decisions[0].on == {"gap": ["delay"]}  # a bare `on:` key stays a string key


def test_unknown_responsibility_with_suggestion(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("responsibility: containment.authorize", "responsibility: containment.authorise")
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "containment.authorise")
    assert "unknown responsibility 'containment.authorise'" in message
    assert "did you mean 'containment.authorize'?" in message
    assert message.startswith("steps[1].decisions[0].responsibility:")


def test_unknown_responsibility_in_map_points_at_the_key(write: Write) -> None:
    path = write(MINIMAL_MAP.replace("  containment.authorize:", "  containment.authorise:"))
    [(line, column, message)] = problems(load_map, path)
    assert (line, column) == (19, 3)
    assert "did you mean 'containment.authorize'?" in message


def test_unknown_role_reference(write: Write) -> None:
    path = write(MINIMAL_MAP.replace("R: [soc-analyst]\n    C: []", "R: [soc-analist]\n    C: []"))
    [(line, column, message)] = problems(load_map, path)
    assert (line, column) == (21, 9)
    assert message == (
        "assignments.containment.authorize.R[0]: unknown role 'soc-analist' — did you mean 'soc-analyst'?"
    )


def test_unknown_party_and_deputy(write: Write) -> None:
    path = write(MINIMAL_MAP.replace("party: client", "party: clinet").replace("deputy: soc-analyst", "deputy: nobody"))
    found = problems(load_map, path)
    assert [(line, column) for line, column, _ in found] == [(12, 12), (13, 13)]
    assert "unknown party 'clinet'" in found[0][2] and "did you mean 'client'?" in found[0][2]
    assert "unknown role 'nobody'" in found[1][2]


def test_duplicate_role_id(write: Write) -> None:
    text = MINIMAL_MAP.replace("id: client-it-lead", "id: soc-analyst").replace("    deputy: soc-analyst\n", "")
    found = problems(load_map, write(text))
    assert at(text, "soc-analyst", 2) in [(line, column) for line, column, _ in found]
    assert any("duplicate role id 'soc-analyst' (first at line 7)" in m for _, _, m in found)


def test_duplicate_step_and_decision_ids(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("id: contain", "id: alert").replace("id: who-authorises", "id: who-triages")
    found = problems(load_scenario, write(text))
    messages = {(line, column): message for line, column, message in found}
    assert "duplicate step id 'alert' (first at line 9)" in messages[at(text, "alert\n    stage: containment")]
    assert "duplicate decision id 'who-triages'" in messages[at(text, "who-triages", 2)]


def test_duplicate_yaml_key(write: Write) -> None:
    path = write(MINIMAL_SCENARIO.replace("audience: any\n", "audience: any\naudience: msp\n"))
    [(line, column, message)] = problems(load_scenario, path)
    assert (line, column) == (5, 1)
    assert "duplicate key 'audience' (first at line 4)" in message


def test_assignment_without_an_accountable_role(write: Write) -> None:
    path = write(MINIMAL_MAP.replace("    A: soc-analyst\n", ""))
    [(line, column, message)] = problems(load_map, path)
    assert (line, column) == (16, 5)
    assert "missing 'A'; expected exactly one accountable role" in message


def test_assignment_with_two_accountable_roles(write: Write) -> None:
    path = write(MINIMAL_MAP.replace("A: client-it-lead", "A: [client-it-lead, soc-analyst]"))
    [(line, column, message)] = problems(load_map, path)
    assert (line, column) == (20, 8)
    assert "expected exactly one accountable role (A); got 2 (client-it-lead, soc-analyst)" in message


def test_undeclared_template_variable_points_inside_the_text(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("at {{ client }}", "at {{ clinet }}")
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "{{ clinet }}")
    assert "undeclared template variable 'clinet' — did you mean 'client'?" in message


def test_template_expressions_are_rejected(write: Write) -> None:
    path = write(MINIMAL_SCENARIO.replace("{{ host }}.\n", "{{ host.__class__ }}.\n"))
    [(line, column, message)] = problems(load_scenario, path)
    assert (line, column) == (3, 22)
    assert "is not a plain variable name" in message


def test_faker_provider_not_on_allow_list(write: Write) -> None:
    path = write(MINIMAL_SCENARIO.replace("faker: hostname", "faker: password"))
    [(line, column, message)] = problems(load_scenario, path)
    assert (line, column) == (6, 17)
    assert "Faker provider 'password' is not allowed" in message


def test_unknown_consequence(write: Write) -> None:
    path = write(MINIMAL_SCENARIO.replace("gap: delay", "gap: dealy"))
    found = problems(load_scenario, path)
    assert (18, 16) in [(line, column) for line, column, _ in found]
    assert any("unknown consequence 'dealy' — did you mean 'delay'?" in m for _, _, m in found)
    # ...and 'delay' is now never fired, which is reported too
    assert any("consequence 'delay' is never fired" in m for _, _, m in found)


def test_goto_unknown_step(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("goto: contain", "goto: contian")
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "contian")
    assert "goto to unknown step 'contian' — did you mean 'contain'?" in message


def test_illegal_stage_move_names_the_step(write: Write) -> None:
    steps, consequences = MINIMAL_SCENARIO.split("consequences:")
    text = (
        steps.replace("stage: containment", "stage: documentation")
        + "  - id: recheck\n    stage: containment\n    inject: Back to containment.\n"
        + "consequences:"
        + consequences
    )
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "containment\n    inject: Back")
    assert "step 'recheck' moves from documentation (step 'contain') back to containment" in message


def test_goto_making_an_illegal_stage_move(write: Write) -> None:
    # investigation -> documentation is a legal order, but the jump back from documentation is not
    text = MINIMAL_SCENARIO.replace("stage: detection", "stage: investigation").replace(
        "stage: containment", "stage: documentation"
    )
    assert load_scenario(write(text)).steps[1].stage == "documentation"
    text = text.replace("gap: delay", "gap: other") + "  other:\n    goto: alert\n"
    moved = text.replace("        on:\n          gap: other\n", "").replace(
        "        expect: accountable\n", "        expect: accountable\n        on:\n          gap: [delay, other]\n"
    )
    found = problems(load_scenario, write(moved))
    assert len(found) == 1
    (line, column, message) = found[0]
    assert (line, column) == at(moved, "other", 1)
    assert "consequence 'other' jumps from documentation (step 'contain') to investigation (step 'alert')" in message


def test_top_level_must_be_a_mapping(write: Write) -> None:
    [(line, column, message)] = problems(load_scenario, write("- just\n- a list\n"))
    assert (line, column) == (1, 1)
    assert "expected a mapping (key: value lines) at the top level; got a list" in message


def test_empty_file(write: Write) -> None:
    [(line, column, message)] = problems(load_map, write("# only a comment\n"))
    assert (line, column) == (1, 1) and "file is empty" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\ntitle: Caf\xe9\n".encode("latin-1"))
    [(line, column, message)] = problems(load_scenario, path)
    assert (line, column) == (2, 11)
    assert "byte 0xe9 is not UTF-8" in message


def test_file_over_two_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("id: x\n" + "# padding\n" * (MAX_BYTES // 10 + 10), encoding="utf-8")
    [(line, column, message)] = problems(load_scenario, path)
    assert (line, column) == (1, 1)
    assert "expected at most 2 MB" in message


def test_billion_laughs_is_rejected_by_its_alias_count(write: Write) -> None:
    """Rejected by counting what the aliases would expand to, before anything is built (no clock involved)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        ref = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([ref] * 9)}]")
    path = write("\n".join(lines) + "\nid: x\n")
    found = problems(load_scenario, path)
    assert any("expands to more than" in m and "aliases" in m for _, _, m in found)


def test_yaml_syntax_error_has_a_position_and_a_hint(write: Write) -> None:
    [(line, column, message)] = problems(load_scenario, write("id: x\ntitle: Alert: disk full\n"))
    assert (line, column) == (2, 13)
    assert message.startswith("invalid YAML: mapping values are not allowed")
    assert "put quotes around a value" in message


def test_tab_indentation_hint(write: Write) -> None:
    [(_, _, message)] = problems(load_scenario, write("id: x\nsteps:\n\t- id: a\n"))
    assert "spaces, not tabs" in message


def test_unknown_key_is_suggested(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("expect: accountable", "expcet: accountable")
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "expcet")
    assert "unknown key 'expcet'" in message and "did you mean 'expect'?" in message


def test_wrong_stage_value_is_suggested(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("stage: containment", "stage: containmnet")
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "containmnet")
    assert "did you mean 'containment'?" in message


def test_unquoted_clock_is_read_as_a_clock(write: Write) -> None:
    scenario = load_scenario(write(MINIMAL_SCENARIO.replace('clock: "02:14"', "clock: 02:14")))
    assert scenario.steps[0].clock == "02:14"


def test_bad_clock_format(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace('"02:14"', '"2am"')
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, '"2am"')
    assert 'expected a clock "HH:MM" or "Day N HH:MM"' in message


def test_every_problem_is_reported_at_once(write: Write) -> None:
    path = write(
        MINIMAL_SCENARIO.replace("responsibility: detection.triage", "responsibility: detection.triag")
        .replace("goto: contain", "goto: nowhere")
        .replace("{{ client }}", "{{ customer }}")
    )
    assert len(problems(load_scenario, path)) == 3


def test_roster_roles_are_checked_against_the_map(write: Write) -> None:
    authority_map = load_map(write(MINIMAL_MAP, "map.yaml"))
    path = write("participants:\n  - name: Dana\n    roles: [soc-analist]\n  - name: Dana\n", "roster.yaml")
    with pytest.raises(LoadError) as caught:
        load_roster(path, authority_map)
    messages = [(f.line, f.column, f.message) for f in caught.value.findings]
    assert (3, 13) in [(line, column) for line, column, _ in messages]
    assert any("did you mean 'soc-analyst'?" in m for _, _, m in messages)
    assert any("duplicate participant 'Dana'" in m for _, _, m in messages)


def test_a_wrong_shape_does_not_hide_misspelt_references(write: Write) -> None:
    text = (
        MINIMAL_SCENARIO.replace("expect: accountable", "expcet: accountable")
        .replace("responsibility: detection.triage", "responsibility: detection.triag")
        .replace("{{ client }}", "{{ clinet }}")
    )
    found = problems(load_scenario, write(text))
    assert [(line, column) for line, column, _ in found] == sorted(
        [at(text, "expcet"), at(text, "detection.triag"), at(text, "{{ clinet }}")]
    )
    text = MINIMAL_MAP.replace("name: SOC analyst", "nmae: SOC analyst").replace(
        "R: [soc-analyst]\n    C", "R: [soc-analist]\n    C"
    )
    found = problems(load_map, write(text, "map.yaml"))
    messages = [m for _, _, m in found]
    assert any("unknown key 'nmae'" in m for m in messages)
    assert any("unknown role 'soc-analist' — did you mean 'soc-analyst'?" in m for m in messages)


def test_a_scenario_must_ask_at_least_one_decision(write: Write) -> None:
    text = "id: quiet\ntitle: Nothing to decide\nsteps:\n  - id: only\n    stage: detection\n    inject: All calm.\n"
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "steps")
    assert "asks no decision" in message


def test_a_bad_variable_names_only_paths_of_the_file(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace("  client: company\n", "  client: 42\n")
    [(line, column, message)] = problems(load_scenario, write(text))
    assert (line, column) == at(text, "42")
    assert message.startswith("variables.client: ")
