"""`@frozen`: a frozen dataclass that costs a fraction of `@dataclass(frozen=True)` to define.

ttx defines about a hundred small immutable records (the model, the journal's records, the
score, the report models), and every `ttx` start defines them again. A frozen dataclass has
six methods generated for it (`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`,
`__delattr__`), each compiled from source when the class is defined; that compiling was a
large part of what `ttx run` spent before its first answer. A `@frozen` class has only its `__init__`
generated; the other five are written once, below, and work from the class's fields.

They behave as a frozen dataclass's do: assigning or deleting a field after `__init__` (or
adding an attribute) raises `dataclasses.FrozenInstanceError`; two records are equal when
they are of the same class and their compared fields are equal, and equal records hash
alike; `dataclasses.fields`, `replace` and `asdict` work as on any dataclass. A class may
still write its own `__eq__`, `__hash__` or `__repr__`; those are kept. `__post_init__`
sets derived fields with `object.__setattr__`, as on a frozen dataclass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # the decorator only tells type checkers what `frozen` does; nothing to do at run time

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda decorated: decorated


T = TypeVar("T", bound=type)


_COMPARED: dict[type, tuple[str, ...]] = {}
_SHOWN: dict[type, tuple[str, ...]] = {}


def _compared(self: Any) -> tuple[Any, ...]:
    names = _COMPARED.get(type(self))
    if names is None:
        names = _COMPARED[type(self)] = tuple(f.name for f in dataclasses.fields(self) if f.compare)
    return tuple(getattr(self, name) for name in names)


def _eq(self: Any, other: object) -> object:  # a bool, or NotImplemented for another class
    if other.__class__ is not self.__class__:
        return NotImplemented
    return bool(_compared(self) == _compared(other))


def _hash(self: Any) -> int:
    return hash(_compared(self))


def _repr(self: Any) -> str:
    names = _SHOWN.get(type(self))
    if names is None:
        names = _SHOWN[type(self)] = tuple(f.name for f in dataclasses.fields(self) if f.repr)
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
    return f"{type(self).__qualname__}({shown})"


def _setattr(self: Any, name: str, value: object) -> None:
    # `__init__` sets each field once; after that the record is frozen.
    if name in self.__dict__ or name not in self.__dataclass_fields__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


_WRITTEN_ONCE: dict[str, Callable[..., Any]] = {"__eq__": _eq, "__hash__": _hash, "__repr__": _repr}


def _make_record(cls: T, kw_only: bool) -> T:
    own_methods = {name for name in _WRITTEN_ONCE if _defined_above_object(cls, name)}
    dataclasses.dataclass(eq=False, repr=False, kw_only=kw_only)(cls)  # adds `__init__` to `cls` itself
    for name, method in _WRITTEN_ONCE.items():
        if name not in own_methods:
            setattr(cls, name, method)
    cls.__setattr__ = _setattr  # type: ignore[assignment]
    cls.__delattr__ = _delattr  # type: ignore[assignment]
    return cls


def _defined_above_object(cls: type, name: str) -> bool:
    """Whether `cls` or a base other than `object` writes `name` itself (not one `frozen` installed)."""
    for klass in cls.__mro__[:-1]:
        method = klass.__dict__.get(name)
        if method is not None and method is not _WRITTEN_ONCE[name]:
            return True
    return False


@overload
def frozen(cls: T, /) -> T: ...
@overload
def frozen(*, kw_only: bool = False) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True, eq_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: T | None = None, /, *, kw_only: bool = False) -> T | Callable[[T], T]:
    """Make `cls` a frozen record (see the module's docstring): `@frozen` or `@frozen(kw_only=True)`."""
    if cls is None:
        return lambda decorated: _make_record(decorated, kw_only)
    return _make_record(cls, kw_only)
