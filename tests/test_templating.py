from __future__ import annotations

import json
import random
import subprocess
import sys

from simulator.model import ChoiceVariable, FakerVariable
from simulator.templating import fill_variables, placeholders, render

VARIABLES = {
    "client": "company",
    "fileserver": FakerVariable(faker="hostname", prefix="FS-"),
    "attacker_ip": "ipv4_public",
    "shift": ChoiceVariable(choice=["night", "weekend", "holiday"]),
}

PROGRAM = """
import json, sys
from simulator.model import ChoiceVariable, FakerVariable
from simulator.templating import fill_variables
variables = {
    "client": "company",
    "fileserver": FakerVariable(faker="hostname", prefix="FS-"),
    "attacker_ip": "ipv4_public",
    "shift": ChoiceVariable(choice=["night", "weekend", "holiday"]),
}
print(json.dumps(fill_variables(variables, int(sys.argv[1]))))
"""


def _in_new_process(seed: int) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", PROGRAM, str(seed)], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def test_same_seed_same_values_across_processes() -> None:
    here = fill_variables(VARIABLES, 7)
    assert _in_new_process(7) == here
    assert _in_new_process(7) == here


def test_different_seeds_give_different_values() -> None:
    assert fill_variables(VARIABLES, 1) != fill_variables(VARIABLES, 2)


def test_prefix_and_choice() -> None:
    values = fill_variables(VARIABLES, 3)
    assert values["fileserver"].startswith("FS-")
    assert values["shift"] in {"night", "weekend", "holiday"}


def test_adding_a_variable_keeps_the_others() -> None:
    before = fill_variables(VARIABLES, 11)
    after = fill_variables({**VARIABLES, "analyst": "name"}, 11)
    assert {k: after[k] for k in before} == before


def test_render_substitutes_names_only() -> None:
    values = {"host": "FS-01", "client": "Acme"}
    assert render("{{ host }} at {{client}}", values) == "FS-01 at Acme"
    # anything that is not a plain declared name is left alone, never evaluated
    hostile = "{{ host.__class__ }} {{ 7*7 }} {{ undeclared }}"
    assert render(hostile, values) == hostile


def test_placeholders_tell_names_from_expressions() -> None:
    found = list(placeholders("a {{ x }} b {{ x.y }}"))
    assert found == [(2, "{{ x }}", "x"), (12, "{{ x.y }}", None)]


def test_every_allowed_provider_has_its_faker_modules() -> None:
    from simulator.templating import FAKER_MODULES, FAKER_PROVIDERS

    assert set(FAKER_MODULES) == set(FAKER_PROVIDERS)


def test_names_from_the_provider_subset_equal_a_full_fakers() -> None:
    # Only the provider modules a variable needs are loaded; the names must be the ones a
    # complete Faker("en_US") makes for the same seed, or old sessions would replay with new names.
    from faker import Faker

    from simulator.templating import FAKER_PROVIDERS

    full = Faker("en_US")
    for provider in sorted(FAKER_PROVIDERS):
        variables = {"x": provider, "y": FakerVariable(faker=provider, prefix="<", suffix=">")}
        for seed in (1, 7, 42, 1234):
            expected: dict[str, str] = {}
            for name in ("x", "y"):
                full.seed_instance(random.Random(f"{seed}:{name}").randrange(2**32))
                expected[name] = str(getattr(full, provider)())
            expected["y"] = f"<{expected['y']}>"
            assert fill_variables(variables, seed) == expected, provider
