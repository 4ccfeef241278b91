"""`@frozen` records behave as frozen dataclasses do: immutable, equal by value, usable with dataclasses' tools."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.frozen import frozen
from simulator.model import Participant
from simulator.records import SourceFile
from simulator.scoring.result import NeededRole


@frozen
class Point:
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()
    seen: str = dataclasses.field(default="", compare=False)


@frozen(kw_only=True)
class Tagged(Point):
    colour: str = "red"


class Custom:
    pass


@frozen
class WithOwnEquality:
    value: int

    def __eq__(self, other: object) -> bool:  # a class's own methods are kept
        return isinstance(other, WithOwnEquality) and abs(self.value - other.value) < 2

    def __hash__(self) -> int:
        return 0


def test_fields_cannot_be_assigned_deleted_or_added_after_init() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'label'"):
        del point.label
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'extra'"):
        point.extra = 1  # type: ignore[attr-defined]
    assert point.x == 1 and point.label == "p"


def test_equality_and_hash_follow_the_compared_fields_and_the_class() -> None:
    assert Point(1, "a", ("t",)) == Point(1, "a", ("t",))
    assert Point(1) != Point(2) and Point(1, "a") != Point(1, "b")
    assert Point(1, seen="x") == Point(1, seen="y")  # compare=False is left out, as in a dataclass
    assert hash(Point(1, seen="x")) == hash(Point(1, seen="y"))
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert Point(1) != Tagged(x=1)  # another class is never equal, as with dataclasses
    assert Point(1) != (1, "p", (), "")  # type: ignore[comparison-overlap]
    assert WithOwnEquality(1) == WithOwnEquality(2) and WithOwnEquality(1) != WithOwnEquality(5)


def test_repr_replace_asdict_and_keyword_only_subclasses() -> None:
    assert repr(Point(1, "a")) == "Point(x=1, label='a', tags=(), seen='')"
    assert repr(Tagged(x=2, colour="blue")) == "Tagged(x=2, label='p', tags=(), seen='', colour='blue')"
    assert dataclasses.replace(Point(1), label="q") == Point(1, "q")
    assert dataclasses.asdict(Tagged(x=3)) == {"x": 3, "label": "p", "tags": (), "seen": "", "colour": "red"}
    assert [f.name for f in dataclasses.fields(Tagged)] == ["x", "label", "tags", "seen", "colour"]
    with pytest.raises(TypeError):
        Tagged(3, "q", (), "", "blue")  # type: ignore[call-arg]  # colour is keyword-only in the subclass
    assert Tagged(3, colour="blue").x == 3  # the base's fields stay positional


def test_the_package_records_are_frozen_records() -> None:
    # One of each kind: the model, the journal's records, the score.
    participant = Participant(name="Ana", roles=["soc-lead"])
    source = SourceFile(id="x", path="/p", sha256="0" * 64, copy="scenario.yaml")
    needed = NeededRole(role="r", party=None, deputy=None, deputy_staffed=False, decisions=("d",), answers=1)
    for value, field in ((participant, "name"), (source, "path"), (needed, "role")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, "changed")
    assert needed == dataclasses.replace(needed) and hash(needed) == hash(dataclasses.replace(needed))
