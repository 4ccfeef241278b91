"""Counted nouns read as English wherever ttx prints a count: never '1 answers' or '2 session(s)'."""

from __future__ import annotations

from simulator.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(1, "decision"), plural(2, "decision"), plural(0, "answer")] == [
        "1 decision",
        "2 decisions",
        "0 answers",
    ]


def test_a_consonant_and_y_becomes_ies_but_a_vowel_and_y_keeps_its_y() -> None:
    assert [plural(3, "responsibility"), plural(1, "responsibility"), plural(2, "day")] == [
        "3 responsibilities",
        "1 responsibility",
        "2 days",
    ]


def test_an_irregular_plural_is_given() -> None:
    assert [plural(2, "person", "people"), plural(1, "person", "people")] == ["2 people", "1 person"]
