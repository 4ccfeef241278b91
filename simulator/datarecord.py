"""Frozen records built from plain data (JSON-like dicts and lists), and dumped back to it.

The runtime model is made of these rather than of pydantic models, so a file that was
validated once (and cached as plain data) is played without loading pydantic at all.
`from_data` is strict but does not validate content: it rebuilds data that validation
produced (`model_dump`), and refuses anything of another shape with `RecordMismatch`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

from simulator.frozen import frozen

RecordT = TypeVar("RecordT", bound="DataRecord")


class RecordMismatch(ValueError):
    """Data whose shape does not fit the record it is built into."""


@frozen(kw_only=True)
class DataRecord:
    """Base of the frozen, keyword-only record dataclasses of the runtime model.

    Subclasses are declared `@frozen(kw_only=True)`:
    equality, hashing and repr are the ones below, which behave as the generated ones would.
    """

    @classmethod
    def from_data(cls: type[RecordT], data: object) -> RecordT:
        """The record `data` describes, field for field; RecordMismatch when its shape differs."""
        hints = _field_hints(cls)
        if not isinstance(data, dict) or set(data) != set(hints):
            raise RecordMismatch(f"{cls.__name__}: expected exactly the fields {', '.join(hints)}")
        return cls(**{name: _build(hint, data[name]) for name, hint in hints.items()})

    def model_dump(
        self, *, mode: Literal["python", "json"] = "python", exclude_defaults: bool = False
    ) -> dict[str, Any]:
        """The record as plain data (the same in both modes: every value is JSON already), in field order.

        With `exclude_defaults`, fields equal to their default are left out, at every depth.
        """
        dumped = _dump(self, exclude_defaults)
        assert isinstance(dumped, dict)
        return dumped

    def model_copy(self: RecordT, *, update: Mapping[str, Any] | None = None) -> RecordT:
        """A copy with the fields in `update` replaced (not validated, as a copy of valid data needs no check)."""
        return dataclasses.replace(self, **dict(update or {}))

    # Written once here rather than generated for every record class: generating them is most
    # of what defining a dataclass costs, and the model's records are defined at every start.
    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _field_hints(type(self)))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, DataRecord)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__, self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _field_hints(type(self)))
        return f"{type(self).__qualname__}({fields})"


_HINTS: dict[type[DataRecord], dict[str, Any]] = {}


def _field_hints(cls: type[DataRecord]) -> dict[str, Any]:
    """Each field's resolved type, in field order (worked out once per class)."""
    hints = _HINTS.get(cls)
    if hints is None:
        resolved = typing.get_type_hints(cls)
        hints = _HINTS[cls] = {field.name: resolved[field.name] for field in dataclasses.fields(cls)}
    return hints


def _build(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, DataRecord):
        return hint.from_data(value)
    if origin is list:
        if not isinstance(value, list):
            raise RecordMismatch("expected a list")
        [item] = get_args(hint)
        return [_build(item, v) for v in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise RecordMismatch("expected a mapping")
        key, item = get_args(hint)
        return {_build(key, k): _build(item, v) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):
        return _build_union(get_args(hint), value)
    if origin is Literal:
        if value not in get_args(hint):
            raise RecordMismatch(f"{value!r} is none of {get_args(hint)}")
        return value
    if hint is type(None):
        if value is not None:
            raise RecordMismatch("expected nothing")
        return None
    if hint in (str, int, bool):
        if type(value) is not hint:  # exactly: True is no int here, 1 no bool
            raise RecordMismatch(f"expected {hint.__name__}")
        return value
    raise RecordMismatch(f"no rule to build {hint!r}")


def _build_union(members: tuple[Any, ...], value: Any) -> Any:
    """The member `value` was dumped from: a record for a mapping with exactly its fields, else a plain value."""
    for member in members:
        if isinstance(member, type) and issubclass(member, DataRecord):
            if isinstance(value, dict) and set(value) == set(_field_hints(member)):
                return member.from_data(value)
            continue
        try:
            return _build(member, value)
        except RecordMismatch:
            continue
    raise RecordMismatch(f"{type(value).__name__} fits none of {members}")


def _dump(value: Any, exclude_defaults: bool) -> Any:
    if isinstance(value, DataRecord):
        dumped: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if exclude_defaults and _is_default(field, item):
                continue
            dumped[field.name] = _dump(item, exclude_defaults)
        return dumped
    if isinstance(value, list):
        return [_dump(item, exclude_defaults) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item, exclude_defaults) for key, item in value.items()}
    return value


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False
