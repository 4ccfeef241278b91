"""Scripted answers: the answers file of `ttx run --answers` and `ttx host --answers`, and the autoplay strategies.

Each expected error is written out in full, as the user reads it: `file:line:column: message`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine import Engine
from simulator.engine.scripted import AUTOPLAY_STRATEGIES, autoplay, load_answers, play_to_end
from simulator.loading import LoadError, load_map, load_scenario
from simulator.model import AuthorityMap, Participant, Roster, Scenario

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
LOOP_DECISIONS = "who-triages, who-confirms, who-rates, who-authorises, who-leads"
EVERY_DECISION = "expected every decision of scenario 'loop' (write 'nobody' for no one)"


@pytest.fixture(scope="module")
def loop() -> tuple[Scenario, AuthorityMap]:
    return load_scenario(FIXTURES / "loop.yaml"), load_map(FIXTURES / "tiny-map.yaml")


def answers_from(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path, loop: tuple[Scenario, AuthorityMap], complete: bool = True) -> list[str]:
    with pytest.raises(LoadError) as caught:
        load_answers(path, *loop, complete=complete)
    return [str(finding) for finding in caught.value.findings]


def test_every_way_of_writing_an_answer(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(
        tmp_path,
        "who-triages: analyst\n"
        "who-confirms: nobody\n"
        "who-rates: [analyst, observer, analyst]\n"
        "who-authorises:\n"
        "who-leads: []\n",
    )
    assert load_answers(path, *loop) == {
        "who-triages": ("analyst",),
        "who-confirms": (),
        "who-rates": ("analyst", "observer"),  # a role named twice answers once
        "who-authorises": (),  # left empty: nobody
        "who-leads": (),
    }


def test_an_empty_file_is_refused(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(tmp_path, "# answers to come\n")
    assert errors_of(path, loop) == [
        f"{path}:1:1: file is empty; expected a mapping (key: value lines) at the top level"
    ]


def test_one_missing_decision_is_named_in_the_singular(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(tmp_path, "who-triages: analyst\nwho-confirms: lead\nwho-rates: lead\nwho-authorises: lead\n")
    assert errors_of(path, loop) == [f"{path}:1:1: no answer for decision who-leads; {EVERY_DECISION}"]


def test_two_missing_decisions_are_named_in_the_plural(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(tmp_path, "who-triages: analyst\nwho-confirms: lead\nwho-rates: lead\n")
    assert errors_of(path, loop) == [f"{path}:1:1: no answer for decisions who-authorises, who-leads; {EVERY_DECISION}"]


def test_a_hosted_exercise_may_leave_decisions_out(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(tmp_path, "who-rates: observer\n")
    assert load_answers(path, *loop, complete=False) == {"who-rates": ("observer",)}
    bad = answers_from(tmp_path, "who-rates: obsrver\n")
    assert errors_of(bad, loop, complete=False) == [
        f"{bad}:1:12: who-rates: unknown role 'obsrver' — did you mean 'observer'?; expected a role of map 'tiny'"
    ]


@pytest.mark.parametrize(
    ("text", "got"), [("- who-triages\n", "a list"), ("analyst\n", "the value 'analyst'"), ("~\n", "the value '~'")]
)
def test_a_file_that_is_no_mapping(tmp_path: Path, loop: tuple[Scenario, AuthorityMap], text: str, got: str) -> None:
    path = answers_from(tmp_path, text)
    assert errors_of(path, loop) == [f"{path}:1:1: expected a mapping (key: value lines) at the top level; got {got}"]


def test_every_decision_missing(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(tmp_path, "what-now: lead\n")
    assert errors_of(path, loop) == [
        f"{path}:1:1: no answer for decisions {LOOP_DECISIONS}; {EVERY_DECISION}",
        f"{path}:1:1: what-now: unknown decision 'what-now'; expected a decision of scenario 'loop'",
    ]


def test_each_bad_entry_is_located(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(
        tmp_path,
        "who-triages: analyst\n"
        "who-confirm: lead\n"
        "who-rates: [analyst, leed, 5]\n"
        "who-authorises: {role: lead}\n"
        "who-leads: [zzz]\n"
        "what-now: lead\n",
    )
    assert errors_of(path, loop) == [  # in file order
        f"{path}:1:1: no answer for decision who-confirms; {EVERY_DECISION}",
        f"{path}:2:1: who-confirm: unknown decision 'who-confirm' — did you mean 'who-confirms'?;"
        " expected a decision of scenario 'loop'",
        f"{path}:3:12: who-rates: expected a role id, a list of role ids, or 'nobody'",
        f"{path}:4:17: who-authorises: expected a role id, a list of role ids, or 'nobody'",
        f"{path}:5:13: who-leads[0]: unknown role 'zzz'; expected a role of map 'tiny'",
        f"{path}:6:1: what-now: unknown decision 'what-now'; expected a decision of scenario 'loop'",
    ]


def test_unknown_roles_in_a_list_are_located_at_each_item(tmp_path: Path, loop: tuple[Scenario, AuthorityMap]) -> None:
    path = answers_from(
        tmp_path,
        "who-triages: analyst\n"
        "who-confirms: nobody\n"
        "who-rates:\n"
        "  - observer\n"
        "  - lede\n"
        "  - analist\n"
        "who-authorises: lead\n"
        "who-leads: analyst\n",
    )
    assert errors_of(path, loop) == [
        f"{path}:5:5: who-rates[1]: unknown role 'lede' — did you mean 'lead'?; expected a role of map 'tiny'",
        f"{path}:6:5: who-rates[2]: unknown role 'analist' — did you mean 'analyst'?; expected a role of map 'tiny'",
    ]


def test_an_unknown_autoplay_strategy_names_the_known_ones() -> None:
    assert AUTOPLAY_STRATEGIES == ("map", "nobody", "random")
    with pytest.raises(ValueError) as caught:
        autoplay("smart", seed=1)
    assert str(caught.value) == "unknown autoplay strategy 'smart'; expected one of: map, nobody, random"


def test_the_map_strategy_answers_the_accountable_role_or_nobody(loop: tuple[Scenario, AuthorityMap]) -> None:
    engine = Engine(*loop, Roster(participants=[Participant(name="Team", roles=["lead"])]), seed=1)
    engine.start()
    owner = autoplay("map", seed=1)
    picked: dict[str, tuple[str, ...]] = {}
    while not engine.finished and len(picked) < 3:
        pending = engine.pending_decision
        assert pending is not None
        picked[pending.decision.id] = owner(engine, pending)
        engine.answer(picked[pending.decision.id])
    # who-rates (confirmation.severity) has no assignment on the tiny map: nobody is accountable.
    assert picked == {"who-triages": ("analyst",), "who-confirms": ("lead",), "who-rates": ()}


def test_the_random_strategy_picks_zero_to_two_distinct_roles(loop: tuple[Scenario, AuthorityMap]) -> None:
    engine = Engine(*loop, Roster(participants=[Participant(name="Team", roles=["lead"])]), seed=1)
    engine.start()
    pending = engine.pending_decision
    assert pending is not None
    picks = [autoplay("random", seed)(engine, pending) for seed in range(60)]
    assert {len(pick) for pick in picks} == {0, 1, 2}
    assert all(len(set(pick)) == len(pick) and set(pick) <= {"lead", "backup", "analyst", "observer"} for pick in picks)
    assert autoplay("random", 7)(engine, pending) == autoplay("random", 7)(engine, pending)  # seeded


def test_play_to_end_answers_as_the_team_by_default(loop: tuple[Scenario, AuthorityMap]) -> None:
    engine = Engine(*loop, Roster(participants=[Participant(name="Team", roles=["lead"])]), seed=1)
    play_to_end(engine, autoplay("nobody", seed=1))  # starts the session itself
    assert engine.finished and engine.end_reason == "completed"
    assert {answer.answered_by for answer in engine.answers} == {"team"}
    assert {answer.roles for answer in engine.answers} == {()}
