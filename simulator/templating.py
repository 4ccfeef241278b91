"""`{{ name }}` substitution of declared variables, filled by Faker from a seed.

Substitution only: no expressions, no attribute access, nothing evaluated.
Faker is imported on first use, so validating and listing never pay for it, and only
with the provider modules a variable needs (building every en_US provider costs more
than all the names a session makes).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.model import ChoiceVariable, FakerVariable, VariableSpec

if TYPE_CHECKING:
    from collections.abc import Iterator

# Any `{{ ... }}` on one line; `NAME_RE` then says whether its content is a plain name. The content never
# runs over another `{{`, so a line of 300,000 unclosed `{{` is scanned once, not once per `{{` (quadratic).
PLACEHOLDER_RE = re.compile(r"\{\{((?:(?!\{\{)[^\n])*?)\}\}")
NAME_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*$")

FAKER_PROVIDERS: frozenset[str] = frozenset(
    {
        "name", "first_name", "last_name", "company", "hostname", "domain_name",
        "ipv4_public", "ipv4_private", "email", "company_email", "user_name", "job",
        "city", "country", "uuid4", "file_name", "url", "phone_number", "iban",
        "mac_address", "sha256", "md5", "free_email", "word", "date_this_year",
    }
)  # fmt: skip


def placeholders(text: str) -> Iterator[tuple[int, str, str | None]]:
    """(offset, raw placeholder, name or None when it is not a plain name) for each `{{ }}`."""
    for match in PLACEHOLDER_RE.finditer(text):
        name = NAME_RE.match(match.group(1))
        yield match.start(), match.group(0), name.group(1) if name else None


def render(text: str, values: Mapping[str, str]) -> str:
    """Replace each `{{ name }}` with its value; validation guarantees every name is declared."""

    def substitute(match: re.Match[str]) -> str:
        name = NAME_RE.match(match.group(1))
        if name is None or name.group(1) not in values:
            return match.group(0)
        return values[name.group(1)]

    return PLACEHOLDER_RE.sub(substitute, text)


# Faker's provider modules that each allowed provider needs, itself and whatever it calls
# (`email` asks `person` for a name). Loaded in Faker's own order, the subset gives exactly
# the values a full Faker("en_US") gives for the same seed; tests/test_templating.py checks it.
FAKER_MODULES: dict[str, tuple[str, ...]] = {
    "city": ("address", "person"),
    "company": ("company", "person"),
    "company_email": ("company", "internet", "person"),
    "country": ("address",),
    "date_this_year": ("date_time",),
    "domain_name": ("company", "internet", "person"),
    "email": ("internet", "person"),
    "file_name": ("file", "lorem"),
    "first_name": ("person",),
    "free_email": ("internet", "person"),
    "hostname": ("company", "internet", "person"),
    "iban": ("bank",),
    "ipv4_private": ("internet",),
    "ipv4_public": ("internet",),
    "job": ("job",),
    "last_name": ("person",),
    "mac_address": ("internet",),
    "md5": ("misc",),
    "name": ("person",),
    "phone_number": ("phone_number",),
    "sha256": ("misc",),
    "url": ("company", "internet", "person"),
    "user_name": ("internet", "person"),
    "uuid4": ("misc",),
    "word": ("lorem",),
}


def fill_variables(variables: Mapping[str, VariableSpec], seed: int) -> dict[str, str]:
    """The value of every variable for `seed`; the same seed gives the same values in any process."""
    values: dict[str, str] = {}
    for name, spec in sorted(variables.items()):
        # One seed per variable, so adding a variable does not reshuffle the others.
        variable_seed = random.Random(f"{seed}:{name}").randrange(2**32)
        if isinstance(spec, ChoiceVariable):
            values[name] = random.Random(variable_seed).choice(spec.choice)
            continue
        provider, prefix, suffix = (spec, "", "") if isinstance(spec, str) else (spec.faker, spec.prefix, spec.suffix)
        faker = _faker(FAKER_MODULES[provider])
        faker.seed_instance(variable_seed)
        values[name] = f"{prefix}{getattr(faker, provider)()}{suffix}"
    return values


@functools.cache
def _faker(modules: tuple[str, ...]) -> Any:
    """One Faker per set of provider modules, for the process: each use reseeds it."""
    from faker import Faker
    from faker.config import PROVIDERS

    return Faker("en_US", providers=[p for p in PROVIDERS if p.rsplit(".", 1)[-1] in modules])


def provider_of(spec: VariableSpec) -> str | None:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, FakerVariable):
        return spec.faker
    return None
