"""Reading scenario, map and roster files into validated models; never imports the UI.

The loaders (and with them pydantic) are imported on first use, so code that only needs
`LoadError` or `Finding` (the bundled-content lookup, the exercise screen before its first
paint) does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.loading.findings import Finding, LoadError

if TYPE_CHECKING:
    from simulator.loading.load import Kind, Loaded, load_any, load_map, load_roster, load_scenario

__all__ = ["Finding", "Kind", "LoadError", "Loaded", "load_any", "load_map", "load_roster", "load_scenario"]
_FROM_LOAD = frozenset({"Kind", "Loaded", "load_any", "load_map", "load_roster", "load_scenario"})


def __getattr__(name: str) -> Any:
    if name in _FROM_LOAD:
        from simulator.loading import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
