"""A Scenario as the YAML text of a scenario file: keys in the documented order, long text as blocks."""

from __future__ import annotations

from typing import Any

import yaml

from simulator.model import Scenario

# libyaml's emitter when PyYAML has it: the pure-Python one takes seconds on a large MSEL.
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_SafeDumper):  # type: ignore[valid-type,misc]
    """Safe dumper that writes multi-line text as a literal block, so the file reads like the bundled ones."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def scenario_yaml(scenario: Scenario, source: str) -> str:
    """YAML for `scenario`, with a first comment naming the sheet it came from."""
    data: dict[str, Any] = scenario.model_dump(mode="json", exclude_defaults=True)
    # `id`, `title` and `steps` are required, so exclude_defaults keeps them; the rest only when set.
    # No folding of long lines: a fold can fall inside a `{{ name }}` and the file reads worse for it.
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20, default_flow_style=False)
    first_line = " ".join(source.split())
    return f"# Imported from {first_line} by `ttx import msel`; check it with `ttx validate`.\n{body}"
